package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jcipa.api.ImageScore;
import jcipa.api.Segmentation;
import jcipa.api.Segmenter;
import jcipa.data.Png8;
import jcipa.data.U8Image;
import jcipa.viz.AtomicPng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cipa segment}: the tumour segmentation of one PET-CT slice pair, as {@code pred.py} makes
 * it — probability σ(logit)·255 stored as an 8-bit PNG, the binary mask (σ·255 > 127.5), and a
 * fused picture with the mask's outline — optionally scored against a ground-truth mask.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segment the tumour in one PET-CT slice pair.",
                "Writes <name>_prob.png (sigmoid x 255, as pred.py saves it), <name>_mask.png (255 where sigmoid x 255 > 127.5)",
                "and <name>_overlay.png (CT in gray, PET in the hot colour map, the predicted outline in cyan); <name> is the CT",
                "file name without _CT.png or .png. With --mask, prints IoU, F1, Acc and HD95 of this image."})
final class SegmentCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin PetCtWeightsOptions inputs = new PetCtWeightsOptions();

    @CommandLine.Mixin DeviceOption device = new DeviceOption();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "segment-out", description = "output folder, created if needed (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--overwrite", description = "replace existing output files (without it, nothing is written if any exists)")
    boolean overwrite;

    @Option(names = "--mask", paramLabel = "M", description = "ground-truth mask, 8-bit grayscale PNG (tumour where > 127, as pred.py reads it)")
    Path mask;

    @Override
    public Integer call() throws IOException {
        Integer noDevice = device.apply();
        if (noDevice != null) return noDevice;
        U8Image pet, ct, truth = null;
        try {
            pet = Png8.read(inputs.pet);
            ct = Png8.read(inputs.ct);
            if (!pet.sameSize(ct))
                throw new IOException("PET " + inputs.pet + " is " + pet.size() + " but CT " + inputs.ct + " is " + ct.size() + "; they must be the same size");
            if (mask != null) {
                truth = Png8.read(mask);
                if (!truth.sameSize(ct)) throw new IOException("mask " + mask + " is " + truth.size() + " but the CT is " + ct.size());
            }
        } catch (IOException e) {
            throw usage(e.getMessage());
        }
        Segmenter segmenter;
        try {
            segmenter = Segmenter.load(inputs.weights);
            segmenter.checkSize(pet, ct);
        } catch (IOException | IllegalArgumentException e) {
            throw usage(e.getMessage());
        }

        String name = stem(inputs.ct.getFileName().toString());
        List<Path> targets = List.of(out.resolve(name + "_prob.png"), out.resolve(name + "_mask.png"), out.resolve(name + "_overlay.png"));
        if (Files.exists(out) && !Files.isDirectory(out)) throw usage("--out " + out + " exists and is not a folder");
        List<String> existing = new ArrayList<>();
        for (Path t : targets) if (Files.exists(t)) existing.add(t.toString());
        if (!existing.isEmpty() && !overwrite)
            throw usage("not overwriting " + String.join(", ", existing) + " (pass --overwrite to replace); nothing was written");

        Segmentation seg = segmenter.segment(pet, ct);
        Files.createDirectories(out);
        Png8.write(targets.get(0), seg.probabilityImage());
        Png8.write(targets.get(1), seg.maskImage());
        AtomicPng.write(targets.get(2), seg.overlay(ct, pet));

        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        log.printf(Locale.ROOT, "%s (%s)%n", segmenter.config(), inputs.weights);
        log.printf(Locale.ROOT, "tumour pixels: %d of %d%n", seg.tumourPixels(), seg.mask().length);
        for (Path t : targets) log.println("wrote " + t);
        if (truth != null) {
            ImageScore s = seg.score(name, truth);
            log.printf(Locale.ROOT, "TP %d, FP %d, FN %d, TN %d%n", s.counts().tp(), s.counts().fp(), s.counts().fn(), s.counts().tn());
            log.printf(Locale.ROOT, "IoU: %.6f%nF1: %.6f%nAcc: %.6f%nHD95: %s%n", s.iou(), s.f1(), s.acc(), Double.isNaN(s.hd95())
                    ? "undefined (the ground truth is empty but the prediction is not; medpy raises here)" : String.format(Locale.ROOT, "%.3f", s.hd95()));
        }
        return 0;
    }

    /** The CT file name without {@code _CT.png} or {@code .png}. */
    static String stem(String file) {
        for (String suffix : new String[] {"_CT.png", ".png"})
            if (file.length() > suffix.length() && file.regionMatches(true, file.length() - suffix.length(), suffix, 0, suffix.length()))
                return file.substring(0, file.length() - suffix.length());
        return file;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
