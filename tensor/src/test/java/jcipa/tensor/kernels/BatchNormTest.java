package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import jcipa.tensor.ref.BatchNormRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class BatchNormTest {

    static final double U = DenseTestData.U;

    /** A random BatchNorm2d problem (NCHW with hw = H·W). */
    static final class Problem {
        final int n, c, hw;
        final float eps, momentum;
        final float[] x, w, b, dy, runMean0, runVar0;

        Problem(int n, int c, int hw, int affine, long seed) {
            Random r = new Random(seed);
            this.n = n; this.c = c; this.hw = hw;
            eps = new float[] {1e-5f, 1e-3f, 0.1f}[r.nextInt(3)];
            momentum = new float[] {0.1f, 0.01f, 0.5f}[r.nextInt(3)];
            float scale = DenseTestData.scale(r, 4, 4);
            x = DenseTestData.floats(r, n * c * hw, scale);
            for (int ch = 0; ch < c; ch++) {             // a per-channel offset of up to 4 scales
                float offset = (2 * r.nextFloat() - 1) * 4 * scale;
                for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) x[(i * c + ch) * hw + j] += offset;
            }
            w = affine >= 1 ? DenseTestData.floats(r, c, 2f) : null;
            b = affine == 2 ? DenseTestData.floats(r, c, 2f) : null;
            dy = DenseTestData.floats(r, n * c * hw, DenseTestData.scale(r, 2, 2));
            runMean0 = DenseTestData.floats(r, c, 1f);
            runVar0 = new float[c];
            for (int ch = 0; ch < c; ch++) runVar0[ch] = 0.5f + r.nextFloat() * scale * scale;
        }

        int at(int i, int ch, int j) { return (i * c + ch) * hw + j; }

        @Override public String toString() {
            return "n=" + n + " c=" + c + " hw=" + hw + " eps=" + eps + " momentum=" + momentum + " weight=" + (w != null) + " bias=" + (b != null);
        }
    }

    /** Float32 results of one problem, train or eval mode. */
    static final class Result {
        final float[] y, mean, rstd, runMean, runVar, dx, dw, db;

        Result(Problem p, boolean train, boolean vector) {
            int size = p.n * p.c * p.hw;
            y = new float[size]; dx = new float[size];
            mean = new float[p.c]; rstd = new float[p.c]; dw = new float[p.c]; db = new float[p.c];
            runMean = p.runMean0.clone(); runVar = p.runVar0.clone();
            if (train) {
                BatchNorm.forwardTrain(p.x, p.w, p.b, y, mean, rstd, runMean, runVar, p.n, p.c, p.hw, p.eps, p.momentum, vector);
                BatchNorm.backwardTrain(p.x, p.w, mean, rstd, p.dy, dx, dw, db, p.n, p.c, p.hw, vector);
            } else {
                BatchNorm.forwardEval(p.x, p.w, p.b, runMean, runVar, y, p.n, p.c, p.hw, p.eps, vector);
                BatchNorm.backwardEval(p.x, p.w, runMean, runVar, p.eps, p.dy, dx, dw, db, p.n, p.c, p.hw, vector);
            }
        }

        void assertSameBits(Result o, String what) {
            float[][] mine = {y, mean, rstd, runMean, runVar, dx, dw, db}, theirs = {o.y, o.mean, o.rstd, o.runMean, o.runVar, o.dx, o.dw, o.db};
            String[] names = {"y", "mean", "rstd", "runningMean", "runningVar", "dx", "dw", "db"};
            for (int i = 0; i < mine.length; i++) {
                int at = DenseTestData.firstBitDifference(mine[i], theirs[i]);
                if (at >= 0) fail(names[i] + " bits differ at " + at + ": " + mine[i][at] + " vs " + theirs[i][at] + " for " + what);
            }
        }
    }

    static void within(double got, double exact, double bound, String what) {
        if (!(Math.abs(got - exact) <= bound)) fail(what + ": |" + got + " - " + exact + "| = " + Math.abs(got - exact) + " > " + bound);
    }

    static double[] d(float[] a) { return a == null ? null : DenseTestData.toDouble(a); }

    @Provide
    Arbitrary<Integer> hw() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17, 257), Arbitraries.integers().between(1, 64));
    }

    @Provide
    Arbitrary<Integer> channels() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17), Arbitraries.integers().between(1, 8));
    }

    @Property(tries = 100)
    void trainModeMatchesTheReferenceWithinTheDocumentedBounds(
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll("channels") int c, @ForAll("hw") int hw,
            @ForAll @IntRange(min = 0, max = 2) int affine, @ForAll long seed) {
        if (n * hw < 2) n = 2;
        Problem p = new Problem(n, c, hw, affine, seed);
        checkTrain(p, new Result(p, true, true));
    }

    static void checkTrain(Problem p, Result f) {
        int n = p.n, c = p.c, hw = p.hw, size = n * c * hw;
        double[] y = new double[size], mean = new double[c], rstd = new double[c];
        double[] runMean = d(p.runMean0), runVar = d(p.runVar0), dx = new double[size], dw = new double[c], db = new double[c];
        BatchNormRef.forwardTrain(d(p.x), d(p.w), d(p.b), y, mean, rstd, runMean, runVar, n, c, hw, p.eps, p.momentum);
        BatchNormRef.backwardTrain(d(p.x), d(p.w), mean, rstd, d(p.dy), dx, dw, db, n, c, hw);
        long s = ReduceTest.contiguousChain(hw) + n;
        double e = (s + 9) * U, count = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double absX = 0, g1 = 0, g2 = 0, sumDy = 0, sumDyXk = 0, r = rstd[ch], wc = p.w == null ? 1 : p.w[ch];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = p.at(i, ch, j);
                    double xh = (p.x[k] - mean[ch]) * r;
                    absX += Math.abs(p.x[k]);
                    g1 += Math.abs(p.dy[k] * wc);
                    g2 += Math.abs(p.dy[k] * wc * xh);
                    sumDy += Math.abs(p.dy[k]);
                }
            }
            double kappa = r * absX / count;
            g1 /= count;
            g2 /= count;
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) sumDyXk += Math.abs(p.dy[p.at(i, ch, j)]) * (Math.abs((p.x[p.at(i, ch, j)] - mean[ch]) * r) + kappa);
            String where = "channel " + ch + " " + p;
            within(f.mean[ch], mean[ch], (s + 1) * U * absX / count, "mean " + where);
            within(f.rstd[ch], r, e * r, "rstd " + where);
            within(f.db[ch], db[ch], DenseTestData.gamma(s) * sumDy, "db " + where);
            within(f.dw[ch], dw[ch], e * sumDyXk, "dw " + where);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = p.at(i, ch, j);
                    double xh = Math.abs((p.x[k] - mean[ch]) * r), b = p.b == null ? 0 : Math.abs(p.b[ch]);
                    within(f.y[k], y[k], (e + U) * (xh + kappa) * Math.abs(wc) + U * b, "y[" + k + "] " + where);
                    double g = Math.abs(p.dy[k] * wc);
                    within(f.dx[k], dx[k], 5 * e * r * (g + g1 + (xh + kappa) * (g2 + kappa * g1)), "dx[" + k + "] " + where);
                }
            }
            // The running statistics, against the formula written out here from the data itself.
            double mu = 0, dev = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) mu += p.x[p.at(i, ch, j)];
            mu /= count;
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) dev += (p.x[p.at(i, ch, j)] - mu) * (p.x[p.at(i, ch, j)] - mu);
            double unbiased = dev / (count - 1), m = p.momentum;
            double expectMean = (1 - m) * p.runMean0[ch] + m * mu, expectVar = (1 - m) * p.runVar0[ch] + m * unbiased;
            within(runMean[ch], expectMean, 1e-12 * (Math.abs(expectMean) + absX / count), "reference runningMean " + where);
            within(runVar[ch], expectVar, 1e-12 * expectVar, "reference runningVar " + where);
            double delta = (s + 1) * U * absX / count;
            within(f.runMean[ch], expectMean, m * delta + U * Math.abs(expectMean), "runningMean " + where);
            within(f.runVar[ch], expectVar, m * ((s + 3) * U * unbiased + delta * delta * count / (count - 1)) + U * expectVar, "runningVar " + where);
        }
    }

    @Property(tries = 80)
    void evalModeMatchesTheReferenceWithinTheDocumentedBounds(
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll("channels") int c, @ForAll("hw") int hw,
            @ForAll @IntRange(min = 0, max = 2) int affine, @ForAll long seed) {
        Problem p = new Problem(n, c, hw, affine, seed);
        Result f = new Result(p, false, true);
        int size = n * c * hw;
        double[] y = new double[size], dx = new double[size], dw = new double[c], db = new double[c];
        BatchNormRef.forwardEval(d(p.x), d(p.w), d(p.b), d(p.runMean0), d(p.runVar0), y, n, c, hw, p.eps);
        BatchNormRef.backwardEval(d(p.x), d(p.w), d(p.runMean0), d(p.runVar0), p.eps, d(p.dy), dx, dw, db, n, c, hw);
        long s = ReduceTest.contiguousChain(hw) + n;
        for (int ch = 0; ch < c; ch++) {
            double r = 1 / Math.sqrt((double) p.runVar0[ch] + p.eps), wc = p.w == null ? 1 : p.w[ch], bc = p.b == null ? 0 : p.b[ch];
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = p.at(i, ch, j);
                    double xh = (p.x[k] - p.runMean0[ch]) * r;
                    sumDy += Math.abs(p.dy[k]);
                    sumDyXhat += Math.abs(p.dy[k] * xh);
                    within(f.y[k], y[k], 4 * U * Math.abs(xh * wc) + U * Math.abs(bc), "eval y[" + k + "] " + p);
                    within(f.dx[k], dx[k], 3 * U * Math.abs(dx[k]), "eval dx[" + k + "] " + p);
                }
            }
            within(f.db[ch], db[ch], DenseTestData.gamma(s) * sumDy, "eval db " + ch + " " + p);
            within(f.dw[ch], dw[ch], DenseTestData.gamma(s + 3) * sumDyXhat, "eval dw " + ch + " " + p);
        }
    }

    @Property(tries = 60)
    void vectorPathGivesTheScalarPathBits(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll("channels") int c, @ForAll("hw") int hw,
            @ForAll @IntRange(min = 0, max = 2) int affine, @ForAll boolean train, @ForAll long seed) {
        if (n * hw < 2) n = 2;
        Problem p = new Problem(n, c, hw, affine, seed);
        new Result(p, train, true).assertSameBits(new Result(p, train, false), p + " train=" + train);
    }

    @Example
    void largePlanesAndThreadCounts() {
        Problem p = new Problem(3, 5, 128 * 96, 2, 17);
        Result one = null;
        for (boolean train : new boolean[] {true, false}) {
            Result[] out = new Result[2];
            DenseTestData.withThreads(1, () -> out[0] = new Result(p, train, true));
            DenseTestData.withThreads(3, () -> out[1] = new Result(p, train, true));
            out[0].assertSameBits(out[1], p + " train=" + train);
            if (train) one = out[0];
        }
        checkTrain(p, one);
        one.assertSameBits(new Result(p, true, false), p.toString());
    }

    @Example
    void rejectsBadArguments() {
        float[] x = new float[12], y = new float[12];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.forwardTrain(x, null, null, y, null, null, null, null, 2, 3, 3, 1e-5f, 0.1f));
        assertTrue(e.getMessage().contains("BatchNorm.forwardTrain") && e.getMessage().contains("hw=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.forwardTrain(new float[3], null, null, new float[3], null, null, null, null, 1, 3, 1, 1e-5f, 0.1f));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.forwardTrain(x, new float[2], null, y, null, null, null, null, 2, 3, 2, 1e-5f, 0.1f));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.forwardEval(x, null, null, null, new float[3], y, 2, 3, 2, 1e-5f));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.backwardTrain(x, null, new float[3], new float[3], y, new float[11], null, null, 2, 3, 2));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.backwardEval(x, null, new float[3], new float[3], 1e-5f, y, null, null, null, 0, 3, 2));
    }
}
