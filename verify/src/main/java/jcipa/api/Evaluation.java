package jcipa.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jcipa.data.Pclt20k;
import jcipa.data.Problem;
import jcipa.data.Sample;
import jcipa.data.SetMetrics;

/**
 * The evaluation of a network on slices of a PCLT20K-layout data set, as {@code pred.py} does it:
 * each slice segmented alone, confusion counts summed over the set, HD95 averaged over the images.
 *
 * @param images  per-image scores, in the order evaluated
 * @param set     the pooled metrics (IoU, F1, Acc from the summed counts; mean HD95)
 * @param skipped slices that could not be read (only with {@code skipBad}), with the reason
 */
public record Evaluation(List<ImageScore> images, SetMetrics set, List<Problem> skipped) {

    /**
     * Segments and scores {@code names} of {@code data}. A slice that cannot be read, or whose size
     * the network cannot take, stops the run with an IOException naming it, unless {@code skipBad},
     * in which case it is listed in {@link #skipped} and the rest go on.
     */
    public static Evaluation run(Segmenter segmenter, Pclt20k data, List<String> names, boolean skipBad, Progress progress) throws IOException {
        List<ImageScore> scores = new ArrayList<>();
        List<Problem> skipped = new ArrayList<>();
        SetMetrics set = new SetMetrics();
        int done = 0;
        for (String name : names) {
            Sample s;
            try {
                s = data.loadWithMask(name);
                segmenter.checkSize(s.pet(), s.ct());
            } catch (IOException | IllegalArgumentException e) {
                if (!skipBad) throw new IOException(name + ": " + e.getMessage() + " (pass --skip-bad to go on without it)", e);
                skipped.add(new Problem(name, e.getMessage()));
                progress.update(++done, names.size(), "skipped " + skipped.size());
                continue;
            }
            ImageScore score = segmenter.segment(s.pet(), s.ct()).score(name, s.mask());
            scores.add(score);
            set.add(score.counts(), score.hd95());
            progress.update(++done, names.size(), String.format(Locale.ROOT, "IoU %.4f", set.iou()));
        }
        progress.finish();
        return new Evaluation(List.copyOf(scores), set, List.copyOf(skipped));
    }

    /** The {@code n} worst images: lowest IoU, then lowest F1, then name. */
    public List<ImageScore> worst(int n) {
        return images.stream().sorted(Comparator.comparingDouble(ImageScore::iou).thenComparingDouble(ImageScore::f1)
                .thenComparing(ImageScore::name)).limit(n).toList();
    }

    /**
     * Mean HD95 over the images that have one. pred.py stops with an error on an image whose ground
     * truth is empty while the prediction is not (medpy raises); such images are left out here and
     * counted by {@link #undefinedHd95}. Equal to {@code set.meanHd95()} when none is undefined.
     */
    public double meanHd95() {
        SetMetrics defined = new SetMetrics();
        for (ImageScore s : images) if (!Double.isNaN(s.hd95())) defined.add(s.counts(), s.hd95());
        return defined.meanHd95();
    }

    public long undefinedHd95() { return images.stream().filter(s -> Double.isNaN(s.hd95())).count(); }

    /** The metric table pred.py prints (IoU, F1 — its "Dice" — Acc, HD95), with the image count. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "images  %d%s%n", images.size(), skipped.isEmpty() ? "" : " (" + skipped.size() + " skipped)"));
        b.append(String.format(Locale.ROOT, "IoU     %.6f%n", set.iou()));
        b.append(String.format(Locale.ROOT, "F1      %.6f%n", set.f1()));
        b.append(String.format(Locale.ROOT, "Acc     %.6f%n", set.acc()));
        b.append(String.format(Locale.ROOT, "HD95    %.3f%s%n", meanHd95(),
                undefinedHd95() == 0 ? "" : " (over " + (images.size() - undefinedHd95()) + " images; " + undefinedHd95()
                        + " have an empty ground truth but a non-empty prediction, where pred.py's medpy call raises)"));
        return b.toString();
    }

    /** The per-image CSV: name, TP, FP, FN, TN, IoU, F1, Acc, HD95 (empty where undefined). */
    public String csv() {
        StringBuilder b = new StringBuilder("name,tp,fp,fn,tn,iou,f1,acc,hd95\n");
        for (ImageScore s : images)
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.6f,%.6f,%.6f,%s%n", s.name(), s.counts().tp(), s.counts().fp(), s.counts().fn(),
                    s.counts().tn(), s.iou(), s.f1(), s.acc(), Double.isNaN(s.hd95()) ? "" : String.format(Locale.ROOT, "%.4f", s.hd95())));
        return b.toString();
    }
}
