package jcipa.tensor.ref;

/** Float64 reference of {@code Reduce}: plain sums in index order. */
public final class ReduceRef {
    private ReduceRef() {}

    /** Σ x[off + j], j &lt; n. */
    public static double sum(double[] x, int off, int n) {
        check("sum", x.length, off, n);
        double s = 0;
        for (int j = 0; j < n; j++) s += x[off + j];
        return s;
    }

    /** Σ (x[off + j] − mean)². */
    public static double sumSquaredDeviations(double[] x, int off, int n, double mean) {
        check("sumSquaredDeviations", x.length, off, n);
        double s = 0;
        for (int j = 0; j < n; j++) s += (x[off + j] - mean) * (x[off + j] - mean);
        return s;
    }

    /** Σ x[xOff + j]·y[yOff + j]. */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        check("dot", x.length, xOff, n);
        check("dot", y.length, yOff, n);
        double s = 0;
        for (int j = 0; j < n; j++) s += x[xOff + j] * y[yOff + j];
        return s;
    }

    /** Σ (x[xOff + j] − mean)·y[yOff + j]. */
    public static double dotDeviations(double[] x, int xOff, double mean, double[] y, int yOff, int n) {
        check("dotDeviations", x.length, xOff, n);
        check("dotDeviations", y.length, yOff, n);
        double s = 0;
        for (int j = 0; j < n; j++) s += (x[xOff + j] - mean) * y[yOff + j];
        return s;
    }

    /** Σ x[off + j], j &lt; n (the whole-array sum; same as {@link #sum}). */
    public static double sumAll(double[] x, int off, int n) {
        return sum(x, off, n);
    }

    /** out[o·inner + i] = Σ_j x[(o·n + j)·inner + i]. */
    public static void sumAxis(double[] x, int outer, int n, int inner, double[] out) {
        checkAxis("sumAxis", x.length, outer, n, inner, out.length);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += x[(o * n + j) * inner + i];
                out[o * inner + i] = s;
            }
        }
    }

    /** out[o·inner + i] = (1/n)·Σ_j x[(o·n + j)·inner + i]. */
    public static void meanAxis(double[] x, int outer, int n, int inner, double[] out) {
        sumAxis(x, outer, n, inner, out);
        for (int i = 0; i < out.length; i++) out[i] /= n;
    }

    private static void check(String what, int length, int off, int n) {
        if (n < 1 || off < 0 || (long) off + n > length)
            throw new IllegalArgumentException("ReduceRef." + what + ": bad run off=" + off + " n=" + n + " for array length " + length);
    }

    private static void checkAxis(String what, int length, int outer, int n, int inner, int outLength) {
        String dims = "outer=" + outer + " n=" + n + " inner=" + inner;
        if (outer < 1 || n < 1 || inner < 1) throw new IllegalArgumentException("ReduceRef." + what + ": dimensions must be positive: " + dims);
        if ((long) outer * n * inner != length) throw new IllegalArgumentException("ReduceRef." + what + ": x length " + length + " != outer·n·inner (" + dims + ")");
        if ((long) outer * inner != outLength) throw new IllegalArgumentException("ReduceRef." + what + ": out length " + outLength + " != outer·inner (" + dims + ")");
    }
}
