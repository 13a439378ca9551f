package jcipa.verify;

import jcipa.data.Masks;
import jcipa.data.SetMetrics;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;

/**
 * Checks golden files of {@code pred.py}'s evaluation: masks {@code gt}, {@code pred} (u8,
 * N×H×W) against {@code summary = [TP, FP, FN, TN]} (exactly), {@code scores = [IoU, F1, Acc,
 * mean HD95]} and the per-image {@code hd95} (each within {@link #TOL} absolute); and, where the
 * file has them, {@code loss/value} against our float64 dice + BCE loss of {@code loss/logits},
 * {@code loss/target}. Masks holding only 0 and 1 are read as they are; masks with larger values
 * are thresholded as {@code pred.py} thresholds a PNG (value > 127).
 */
public final class MetricsGolden {
    private MetricsGolden() {}

    /** Absolute tolerance of each score and each HD95 ("equal the golden values within 1e-9"). */
    public static final double TOL = 1e-9;
    /** Relative tolerance of the float64 loss against the golden value. */
    public static final double TOL_LOSS = 1e-9;

    static final String[] SCORES = {"IoU", "F1", "Acc", "mean HD95"};

    public static boolean recognises(SafeTensors st) {
        return st.has("summary") && st.has("scores") && st.has("hd95") && st.has("gt") && st.has("pred");
    }

    public static void check(SafeTensors st, Report report) {
        int[] shape = st.shapeInt("gt");
        int[] predShape = st.shapeInt("pred");
        if (shape.length != 3 || !java.util.Arrays.equals(shape, predShape))
            throw new IllegalArgumentException("metrics: gt " + java.util.Arrays.toString(shape) + " and pred "
                    + java.util.Arrays.toString(predShape) + " must be the same N×H×W");
        int n = shape[0], h = shape[1], w = shape[2], hw = h * w;
        byte[] gt = st.bytes("gt"), pred = st.bytes("pred");
        SetMetrics set = new SetMetrics();
        for (int i = 0; i < n; i++) set.add(mask(pred, i * hw, hw), mask(gt, i * hw, hw), h, w);

        long[] summary = st.longs("summary");
        report.add(Check.of("metrics", "summary [TP,FP,FN,TN]", "gold",
                Comparison.of(toDoubles(set.total().toArray()), toDoubles(summary)), null, 0, true));
        double[] scores = st.doubles("scores"), ours = set.scores();
        for (int k = 0; k < SCORES.length; k++)
            report.add(Check.of("metrics", SCORES[k], "gold",
                    Comparison.of(new double[] {ours[k]}, new double[] {scores[k]}), null, TOL, true));
        double[] hd = st.doubles("hd95"), oursHd = set.hd95();
        if (hd.length != n) throw new IllegalArgumentException("metrics: hd95 has " + hd.length + " values for " + n + " images");
        for (int i = 0; i < n; i++)
            report.add(Check.of("metrics/hd95", "image " + i, "gold",
                    Comparison.of(new double[] {oursHd[i]}, new double[] {hd[i]}), null, TOL, true));

        if (st.has("loss/value") && st.has("loss/logits") && st.has("loss/target")) {
            Tensor logits = Tensor.of(st.asDoubles("loss/logits"), st.shapeInt("loss/logits"));
            Tensor target = Tensor.of(st.asDoubles("loss/target"), st.shapeInt("loss/target"));
            double loss = Losses.diceBce(logits, target).item();
            report.add(Check.of("loss", "dice_bce (fp64)", "gold",
                    Comparison.of(new double[] {loss}, st.asDoubles("loss/value")), null, TOL_LOSS, false));
        }
    }

    /** One image's mask: 0/1 data as is, else pred.py's PNG threshold (> 127). */
    static boolean[] mask(byte[] u8, int from, int n) {
        for (int i = 0; i < n; i++) if ((u8[from + i] & 0xff) > 1) return Masks.fromPng(u8, from, n);
        return Masks.nonzero(u8, from, n);
    }

    private static double[] toDoubles(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

}
