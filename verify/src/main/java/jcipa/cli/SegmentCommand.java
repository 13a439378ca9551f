package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import jcipa.data.Hd95;
import jcipa.data.Masks;
import jcipa.data.Metrics;
import jcipa.data.SetMetrics;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.nn.StoredTensor;
import jcipa.nn.WeightFiles;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.math.FMath;
import jcipa.viz.AtomicPng;
import jcipa.viz.GrayPng;
import jcipa.viz.Overlay;
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
        PetCtPair images;
        boolean[] truth = null;
        try {
            images = PetCtPair.read(inputs.pet, inputs.ct);
            if (mask != null) {
                GrayPng.Image m = GrayPng.read(mask);
                if (m.width() != images.width() || m.height() != images.height())
                    throw new IOException("mask " + mask + " is " + m.width() + "x" + m.height() + " but the CT is " + images.width() + "x" + images.height());
                truth = Masks.fromPng(m.pixels(), 0, m.pixels().length);
            }
        } catch (IOException e) {
            throw usage(e.getMessage());
        }
        int h = images.height(), w = images.width();

        if (!Files.isRegularFile(inputs.weights)) throw usage(inputs.weights + ": no such weights file");
        Map<String, StoredTensor> sd;
        CipaConfig cfg;
        try {
            sd = WeightFiles.read(inputs.weights);
            cfg = WeightsConfig.of(sd);
        } catch (IOException | RuntimeException e) {
            throw usage(inputs.weights + ": not readable as CIPA weights (" + e.getMessage() + ")");
        }
        if (w != cfg.imageSize() || h != cfg.imageSize())
            throw usage("the images are " + w + "x" + h + " but these weights cannot take that: " + WeightsConfig.sizeRule(cfg));

        String name = stem(inputs.ct.getFileName().toString());
        List<Path> targets = List.of(out.resolve(name + "_prob.png"), out.resolve(name + "_mask.png"), out.resolve(name + "_overlay.png"));
        if (Files.exists(out) && !Files.isDirectory(out)) throw usage("--out " + out + " exists and is not a folder");
        List<String> existing = new ArrayList<>();
        for (Path t : targets) if (Files.exists(t)) existing.add(t.toString());
        if (!existing.isEmpty() && !overwrite)
            throw usage("not overwriting " + String.join(", ", existing) + " (pass --overwrite to replace); nothing was written");

        Cipa model = WeightsConfig.model(cfg, sd);
        float[] logits;
        try (Autograd.Scope ng = Autograd.noGrad()) {
            Tensor ctIn = Inputs.fromU8(images.ct().pixels(), 1, h, w), petIn = Inputs.fromU8(images.pet().pixels(), 1, h, w);
            logits = model.forward(ctIn, petIn).contiguous().floats();
        }
        float[] prob = new float[h * w];
        for (int i = 0; i < prob.length; i++) prob[i] = FMath.sigmoid(logits[i]);
        boolean[] predicted = Masks.fromProbabilities(prob, 0, prob.length);

        Files.createDirectories(out);
        AtomicPng.write(targets.get(0), GrayPng.toBuffered(new GrayPng.Image(w, h, probabilityU8(prob))));
        AtomicPng.write(targets.get(1), GrayPng.toBuffered(new GrayPng.Image(w, h, maskU8(predicted))));
        AtomicPng.write(targets.get(2), Overlay.render(images.ct().pixels(), images.pet().pixels(), predicted, h, w));

        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        log.printf(Locale.ROOT, "%s (%s)%n", cfg, inputs.weights);
        log.printf(Locale.ROOT, "tumour pixels: %d of %d%n", Masks.count(predicted), prob.length);
        for (Path t : targets) log.println("wrote " + t);
        if (truth != null) printScores(log, predicted, truth, h, w);
        return 0;
    }

    /**
     * {@code pred.py} saves the float32 array σ·255 with {@code cv2.imwrite}, which converts it to
     * 8 bits by rounding to nearest, ties to even, then saturating to 0..255.
     */
    static byte[] probabilityU8(float[] prob) {
        byte[] u8 = new byte[prob.length];
        for (int i = 0; i < prob.length; i++) {
            float v = prob[i] * 255f;
            u8[i] = (byte) (int) Math.max(0, Math.min(255, Math.rint(v)));
        }
        return u8;
    }

    private static byte[] maskU8(boolean[] m) {
        byte[] u8 = new byte[m.length];
        for (int i = 0; i < m.length; i++) u8[i] = (byte) (m[i] ? 255 : 0);
        return u8;
    }

    /** One image's scores, as pred.py computes them for a set (a set of one). */
    private static void printScores(PrintStream log, boolean[] pred, boolean[] truth, int h, int w) {
        Metrics m = Metrics.of(pred, truth);
        SetMetrics s = new SetMetrics();
        String hd;
        try {
            double d = Hd95.asPredPy(pred, truth, h, w);
            s.add(m, d);
            hd = String.format(Locale.ROOT, "%.3f", d);
        } catch (IllegalArgumentException e) {
            s.add(m, Double.NaN);
            hd = "undefined (the ground truth is empty but the prediction is not; medpy raises here)";
        }
        log.printf(Locale.ROOT, "TP %d, FP %d, FN %d, TN %d%n", m.tp(), m.fp(), m.fn(), m.tn());
        log.printf(Locale.ROOT, "IoU: %.6f%nF1: %.6f%nAcc: %.6f%nHD95: %s%n", s.iou(), s.f1(), s.acc(), hd);
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
