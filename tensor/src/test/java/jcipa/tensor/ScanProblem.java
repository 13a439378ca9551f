package jcipa.tensor;

import java.util.SplittableRandom;

/**
 * A random selective-scan problem in VMamba's value range, shapes as in
 * {@link jcipa.tensor.ref.SelectiveScanRef}. Every input is a float32 value (held in double too),
 * so the float32 kernel and the float64 reference see exactly the same numbers.
 */
public final class ScanProblem {
    public final int batch, groups, channelsPerGroup, L, N;
    public final double[] u, delta, A, B, C, D, deltaBias, dy;

    public ScanProblem(int batch, int groups, int channelsPerGroup, int L, int N, double[] u, double[] delta,
                       double[] A, double[] B, double[] C, double[] D, double[] deltaBias, double[] dy) {
        this.batch = batch;
        this.groups = groups;
        this.channelsPerGroup = channelsPerGroup;
        this.L = L;
        this.N = N;
        this.u = u;
        this.delta = delta;
        this.A = A;
        this.B = B;
        this.C = C;
        this.D = D;
        this.deltaBias = deltaBias;
        this.dy = dy;
    }

    /**
     * u, B, C, dy ~ N(0, 1); Δ ~ U(−2, 2); Δbias ~ U(−1, 1); A = −U(0.2, N+0.5); D ~ U(−1.5, 1.5).
     * D and Δbias are null unless asked for.
     */
    public static ScanProblem random(long seed, int batch, int groups, int channelsPerGroup, int L, int N,
                                     boolean withD, boolean withBias) {
        SplittableRandom r = new SplittableRandom(seed);
        int KD = groups * channelsPerGroup, seq = batch * KD * L, proj = batch * groups * N * L;
        return new ScanProblem(batch, groups, channelsPerGroup, L, N,
                gaussian(r, seq), uniform(r, seq, -2, 2), uniform(r, KD * N, -N - 0.5, -0.2),
                gaussian(r, proj), gaussian(r, proj),
                withD ? uniform(r, KD, -1.5, 1.5) : null, withBias ? uniform(r, KD, -1, 1) : null,
                gaussian(r, seq));
    }

    /** The same problem with u, B, C, D, dy replaced by their absolute values (Δ, A, Δbias kept). */
    public ScanProblem magnitudeProblem() {
        return new ScanProblem(batch, groups, channelsPerGroup, L, N, abs(u), delta, A, abs(B), abs(C), abs(D),
                deltaBias, abs(dy));
    }

    private static double[] abs(double[] a) {
        if (a == null) return null;
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.abs(a[i]);
        return r;
    }

    public int channels() { return groups * channelsPerGroup; }

    public int sequenceSize() { return batch * channels() * L; }

    public int projectionSize() { return batch * groups * N * L; }

    public static double[] gaussian(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (float) nextGaussian(r);
        return a;
    }

    public static double[] uniform(SplittableRandom r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    private static double nextGaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public static float[] toFloat(double[] a) {
        if (a == null) return null;
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    public static double[] toDouble(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** max|got − want| / max|want| (0 when both are all zero). */
    public static double relativeError(double[] got, double[] want) {
        double err = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            err = Math.max(err, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return scale == 0 ? err : err / scale;
    }
}
