package jcipa.api;

import jcipa.data.Hd95;
import jcipa.data.Metrics;
import jcipa.data.SetMetrics;

/**
 * One image's scores as {@code pred.py} computes them for a set of one: confusion counts, IoU, F1,
 * Acc, and HD95 by its rules ({@link Hd95#asPredPy}); {@code hd95} is NaN where pred.py has none
 * (an empty ground truth with a non-empty prediction, where medpy raises).
 */
public record ImageScore(String name, Metrics counts, double hd95) {

    /** Scores {@code pred} against {@code truth} (h×w, row-major). */
    public static ImageScore of(String name, boolean[] pred, boolean[] truth, int h, int w) {
        Metrics m = Metrics.of(pred, truth);
        double hd;
        try {
            hd = Hd95.asPredPy(pred, truth, h, w);
        } catch (IllegalArgumentException e) {
            hd = Double.NaN;
        }
        return new ImageScore(name, m, hd);
    }

    private SetMetrics alone() {
        SetMetrics s = new SetMetrics();
        s.add(counts, hd95);
        return s;
    }

    public double iou() { return alone().iou(); }

    public double f1() { return alone().f1(); }

    public double acc() { return alone().acc(); }
}
