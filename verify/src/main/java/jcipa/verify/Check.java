package jcipa.verify;

/**
 * One row of a verification table: a tensor of a golden case, our error against the reference
 * the tolerance is stated for, and (where the file has an fp64 twin) the GPU build's own error
 * against that twin for comparison.
 *
 * @param part       the case or part of the file (e.g. {@code s0}, {@code logits})
 * @param tensor     the tensor's name
 * @param against    what the error is measured against ({@code fp64} or {@code gpu})
 * @param ours       our error
 * @param gpu        the GPU build's error against the same fp64 reference, or null
 * @param tolerance  the bound on {@code ours.relative()} (or absolute, when {@code absolute})
 * @param absolute   whether the tolerance is on the absolute error
 * @param status     PASS, FAIL or NOT_CHECKED
 * @param note       why, for NOT_CHECKED rows; else empty
 */
public record Check(String part, String tensor, String against, Comparison ours, Comparison gpu, double tolerance,
                    boolean absolute, Status status, String note) {

    public enum Status { PASS, FAIL, NOT_CHECKED }

    /** A checked row; passes when the (relative or absolute) error is within the tolerance. */
    public static Check of(String part, String tensor, String against, Comparison ours, Comparison gpu, double tolerance, boolean absolute) {
        double err = absolute ? ours.maxAbs() : ours.relative();
        return new Check(part, tensor, against, ours, gpu, tolerance, absolute, err <= tolerance ? Status.PASS : Status.FAIL, "");
    }

    /** A row for something this build cannot check yet; it counts neither way (unless --require-all). */
    public static Check notChecked(String part, String tensor, String why) {
        return new Check(part, tensor, "-", null, null, Double.NaN, false, Status.NOT_CHECKED, why);
    }
}
