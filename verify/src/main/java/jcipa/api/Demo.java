package jcipa.api;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import jcipa.data.Pclt20k;
import jcipa.data.Sample;
import jcipa.verify.Check;
import jcipa.verify.Report;
import jcipa.verify.Verifier;
import jcipa.viz.AtomicPng;

/**
 * {@code cipa demo}: the bundled phantom slices (never seen in training) segmented with the
 * bundled weights, scored, drawn, and a quick conformance check against bundled goldens.
 *
 * <p>The bundle ({@code demo/}): {@code weights.safetensors} (trained by {@code cipa train} on
 * phantoms of seed 1, README "Demo recipe") and {@code phantoms/} (a PCLT20K-layout set of seed 2;
 * all its slices, both split files, are held out).
 */
public final class Demo {
    private Demo() {}

    /** The golden files the quick check runs: the selective-scan operator, the mini model's forward pass, pred.py's metrics. */
    public static final List<String> QUICK_GOLDENS = List.of("ops-selective-scan.safetensors", "cipa-mini.safetensors", "metrics.safetensors");

    /** What the demo found: the evaluation, the overlays written, and the conformance reports. */
    public record Result(Evaluation evaluation, List<Path> overlays, List<Report> conformance) {
        public boolean conforms() {
            return conformance.stream().allMatch(r -> r.count(Check.Status.FAIL) == 0);
        }
    }

    /** Every slice name of the bundled set (train.txt then test.txt, once each). */
    public static List<String> heldOut(Pclt20k data) throws IOException {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String split : List.of("train", "test")) if (Files.exists(data.splitFile(split))) names.addAll(data.split(split));
        return List.copyOf(names);
    }

    /** The files the demo writes under {@code out}: the evaluation outputs and one overlay per slice. */
    static List<Path> files(Path out, List<String> names) {
        List<Path> f = new ArrayList<>(EvalOutput.files(out));
        for (String n : names) f.add(out.resolve(n + "_overlay.png"));
        return f;
    }

    /** {@code img} enlarged by the whole factor (nearest neighbour, pixels stay sharp) that brings its side to about {@code side}. */
    static BufferedImage enlarged(BufferedImage img, int side) {
        int k = Math.max(1, side / Math.max(img.getWidth(), img.getHeight()));
        if (k == 1) return img;
        BufferedImage out = new BufferedImage(img.getWidth() * k, img.getHeight() * k, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    public static Result run(Path bundle, Path golden, Path out, boolean overwrite, Progress progress, PrintStream log) throws IOException {
        Pclt20k data = Pclt20k.open(bundle.resolve("phantoms"));
        List<String> names = heldOut(data);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + " exists and is not a folder");
        if (!overwrite)
            for (Path f : files(out, names))
                if (Files.exists(f)) throw new IOException("not overwriting " + f + " and the other results in " + out + " (pass --overwrite to replace them); nothing was written");
        Segmenter segmenter = Segmenter.load(bundle.resolve("weights.safetensors"));
        var c = segmenter.config();
        log.printf(Locale.ROOT, "weights %s: CIPA with dims %d, encoder depths %s, %dx%d input, trained on synthetic phantoms (README: Demo recipe)%n",
                bundle.resolve("weights.safetensors"), c.dims(), java.util.Arrays.toString(c.depths()), c.imageSize(), c.imageSize());
        log.printf(Locale.ROOT, "segmenting %d held-out phantom slices of %s%n", names.size(), data.root());
        Evaluation ev = Evaluation.run(segmenter, data, names, false, progress);
        log.print(ev.table());

        EvalOutput.write(out, overwrite, ev, segmenter, data, 6);
        List<Path> overlays = new ArrayList<>();
        for (String n : names) {
            Sample s = data.load(n);
            Path f = out.resolve(n + "_overlay.png");
            AtomicPng.write(f, enlarged(segmenter.segment(s.pet(), s.ct()).overlay(s.ct(), s.pet()), 384));
            overlays.add(f);
        }
        log.printf(Locale.ROOT, "wrote %d overlays (CT gray, PET hot, predicted outline cyan; enlarged to about 384 px), %s, %s and %s to %s%n", overlays.size(),
                EvalOutput.GALLERY, EvalOutput.CSV, EvalOutput.SUMMARY, out);

        List<Report> reports = new ArrayList<>();
        for (String g : QUICK_GOLDENS) {
            Path f = golden.resolve(g);
            Report r = Verifier.verify(f, true);
            reports.add(r);
            log.printf(Locale.ROOT, "conformance %-32s %4d passed, %d failed%n", g, r.count(Check.Status.PASS), r.count(Check.Status.FAIL));
        }
        return new Result(ev, List.copyOf(overlays), List.copyOf(reports));
    }
}
