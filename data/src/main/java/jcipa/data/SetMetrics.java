package jcipa.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation of a set of images as {@code pred.py} reports it: confusion counts summed over
 * all images, then IoU = TP/(TP+FP+FN) and F1 = 2TP/(2TP+FP+FN) (each 1 when its denominator
 * is 0), Acc = mean(TPR, TNR) = (TP/(TP+FN) + TN/(TN+FP))/2 (NaN where a rate's denominator is 0,
 * as numpy gives), and the mean of the per-image HD95 ({@link Hd95#asPredPy}).
 */
public final class SetMetrics {
    private Metrics total = new Metrics(0, 0, 0, 0);
    private final List<Double> hd95 = new ArrayList<>();

    /** Adds one image: its counts and its HD95 by {@code pred.py}'s rules. Returns the image's counts. */
    public Metrics add(boolean[] pred, boolean[] gt, int h, int w) {
        Metrics m = Metrics.of(pred, gt);
        double hd = Hd95.asPredPy(pred, gt, h, w);
        add(m, hd);
        return m;
    }

    /** Adds one image's counts and HD95. */
    public void add(Metrics m, double hd95) {
        total = total.plus(m);
        this.hd95.add(hd95);
    }

    public Metrics total() { return total; }

    public int images() { return hd95.size(); }

    public double[] hd95() { return hd95.stream().mapToDouble(Double::doubleValue).toArray(); }

    public double iou() {
        long den = total.tp() + total.fp() + total.fn();
        return den == 0 ? 1.0 : (double) total.tp() / den;
    }

    public double f1() {
        long den = 2 * total.tp() + total.fp() + total.fn();
        return den == 0 ? 1.0 : (double) (2 * total.tp()) / den;
    }

    public double acc() {
        double tpr = ratio(total.tp(), total.tp() + total.fn()), tnr = ratio(total.tn(), total.tn() + total.fp());
        return NumpyStats.mean(new double[] {tpr, tnr});
    }

    /** Mean HD95 over the images (NaN for none, as numpy). */
    public double meanHd95() { return NumpyStats.mean(hd95()); }

    /** {@code [IoU, F1, Acc, mean HD95]}. */
    public double[] scores() { return new double[] {iou(), f1(), acc(), meanHd95()}; }

    /** numpy's int64 / int64: a float64 true division, NaN for 0/0. */
    private static double ratio(long a, long b) { return b == 0 ? (a == 0 ? Double.NaN : Double.POSITIVE_INFINITY) : (double) a / b; }
}
