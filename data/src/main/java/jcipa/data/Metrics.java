package jcipa.data;

/**
 * The confusion counts of one binary prediction against its ground truth, pixel by pixel, as
 * {@code pred.py} counts them: TP = pred ∧ gt, FP = pred ∧ ¬gt, FN = ¬pred ∧ gt, TN = ¬pred ∧ ¬gt.
 */
public record Metrics(long tp, long fp, long fn, long tn) {

    /** Counts over two masks of the same length (row-major pixels; true = foreground). */
    public static Metrics of(boolean[] pred, boolean[] gt) {
        if (pred.length != gt.length)
            throw new IllegalArgumentException("Metrics.of: pred has " + pred.length + " pixels, gt " + gt.length);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i]) { if (gt[i]) tp++; else fp++; }
            else { if (gt[i]) fn++; else tn++; }
        }
        return new Metrics(tp, fp, fn, tn);
    }

    /** Element-wise sum (the counts of two image sets together). */
    public Metrics plus(Metrics o) { return new Metrics(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn); }

    /** The counts as {@code [TP, FP, FN, TN]}. */
    public long[] toArray() { return new long[] {tp, fp, fn, tn}; }
}
