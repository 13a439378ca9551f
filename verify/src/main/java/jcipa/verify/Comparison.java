package jcipa.verify;

/**
 * How far one tensor is from another: the largest absolute difference, and that difference
 * relative to the reference tensor's largest magnitude (the project's tolerance measure).
 */
public record Comparison(double maxAbs, double refScale) {

    /** Compares {@code ours} with {@code reference} element by element (same length). */
    public static Comparison of(double[] ours, double[] reference) {
        if (ours.length != reference.length)
            throw new IllegalArgumentException("compare: " + ours.length + " values against " + reference.length);
        double worst = 0, scale = 0;
        for (int i = 0; i < ours.length; i++) {
            double e = Math.abs(ours[i] - reference[i]);
            if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return new Comparison(worst, scale);
    }

    /** maxAbs / max|reference| (maxAbs itself when the reference is all zero). */
    public double relative() { return refScale > 0 ? maxAbs / refScale : maxAbs; }
}
