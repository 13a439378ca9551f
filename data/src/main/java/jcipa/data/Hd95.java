package jcipa.data;

/**
 * The 95th-percentile Hausdorff distance of two 2-D binary masks, in pixels, as
 * {@code medpy.metric.binary.hd95} (connectivity 1, unit spacing) computes it: take each mask's
 * {@link Surface}; for every surface pixel of one mask, its Euclidean distance to the nearest
 * surface pixel of the other, in both directions; the result is the 95th percentile (numpy,
 * linear interpolation) of the two directed distance sets <em>together</em> — not the larger of
 * the two directed percentiles.
 */
public final class Hd95 {
    private Hd95() {}

    /** medpy's hd95 of {@code pred} against {@code gt} (h×w, row-major); both must be non-empty. */
    public static double of(boolean[] pred, boolean[] gt, int h, int w) {
        checkDims("Hd95.of", pred, h, w);
        checkDims("Hd95.of", gt, h, w);
        if (Masks.count(pred) == 0 || Masks.count(gt) == 0)
            throw new IllegalArgumentException("Hd95.of: " + (Masks.count(pred) == 0 ? "prediction" : "ground truth")
                    + " mask of " + h + "x" + w + " is empty (medpy raises RuntimeError)");
        boolean[] sp = Surface.of(pred, h, w), sg = Surface.of(gt, h, w);
        double[] predToGt = directed(sp, sg, h, w), gtToPred = directed(sg, sp, h, w);
        double[] both = new double[predToGt.length + gtToPred.length];
        System.arraycopy(predToGt, 0, both, 0, predToGt.length);
        System.arraycopy(gtToPred, 0, both, predToGt.length, gtToPred.length);
        return NumpyStats.percentile(both, 95);
    }

    /**
     * HD95 with {@code pred.py}'s rules around empty masks: both empty gives 0; an empty
     * prediction first gets one foreground pixel at (h/2, w/2) ({@code pred.py} writes
     * {@code pred_bin[256, 256]} for its 512×512 images). An empty ground truth with a non-empty
     * prediction has no value: medpy raises and {@code pred.py} does not catch it (the pixel goes
     * into the prediction, not the ground truth), so this throws too.
     */
    public static double asPredPy(boolean[] pred, boolean[] gt, int h, int w) {
        checkDims("Hd95.asPredPy", pred, h, w);
        checkDims("Hd95.asPredPy", gt, h, w);
        boolean predEmpty = Masks.count(pred) == 0, gtEmpty = Masks.count(gt) == 0;
        if (predEmpty && gtEmpty) return 0.0;
        if (predEmpty) {
            pred = pred.clone();
            pred[(h / 2) * w + w / 2] = true;
        }
        return of(pred, gt, h, w);
    }

    /** For each surface pixel of {@code from} (row-major order), the distance to the nearest one of {@code to}. */
    static double[] directed(boolean[] from, boolean[] to, int h, int w) {
        long[] d2 = DistanceTransform.squared(to, h, w);
        double[] out = new double[Masks.count(from)];
        int k = 0;
        for (int i = 0; i < from.length; i++) if (from[i]) out[k++] = Math.sqrt(d2[i]);
        return out;
    }

    static void checkDims(String op, boolean[] mask, int h, int w) {
        if (h <= 0 || w <= 0 || (long) h * w != mask.length)
            throw new IllegalArgumentException(op + ": mask of " + mask.length + " pixels is not " + h + "x" + w);
    }
}
