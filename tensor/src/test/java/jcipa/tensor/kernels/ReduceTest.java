package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import jcipa.tensor.ref.ReduceRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ReduceTest {

    /** Longest rounding chain of the contiguous scheme over n elements (see Reduce's javadoc). */
    static long contiguousChain(long n) {
        return ceilDiv(Math.min(n, 4096), 16) + 4 + ceilDiv(n, 4096);
    }

    /** Longest rounding chain of the strided scheme over n steps. */
    static long stridedChain(long n) {
        return Math.min(n, 256) + ceilDiv(n, 256);
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static void assertWithin(double got, double exact, double bound, String what) {
        if (!(Math.abs(got - exact) <= bound)) fail(what + ": |" + got + " - " + exact + "| = " + Math.abs(got - exact) + " > " + bound);
    }

    @Provide
    Arbitrary<Integer> dim() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17, 257), Arbitraries.integers().between(1, 40));
    }

    @Provide
    Arbitrary<Integer> length() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 16, 17, 257, 4096, 4097, 9000), Arbitraries.integers().between(1, 300));
    }

    @Property(tries = 100)
    void sumAndMeanOverAnAxisMatchTheReference(@ForAll("dim") int outer, @ForAll("dim") int n, @ForAll("dim") int inner, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = DenseTestData.floats(r, outer * n * inner, DenseTestData.scale(r, 4, 4));
        float[] sum = new float[outer * inner], mean = new float[outer * inner];
        Reduce.sumAxis(x, outer, n, inner, sum);
        Reduce.meanAxis(x, outer, n, inner, mean);
        double[] ref = new double[sum.length], refMean = new double[sum.length], abs = new double[sum.length];
        double[] xd = DenseTestData.toDouble(x);
        ReduceRef.sumAxis(xd, outer, n, inner, ref);
        ReduceRef.meanAxis(xd, outer, n, inner, refMean);
        ReduceRef.sumAxis(DenseTestData.abs(xd), outer, n, inner, abs);
        long s = inner == 1 ? contiguousChain(n) : stridedChain(n);
        for (int i = 0; i < sum.length; i++) {
            double bound = (DenseTestData.gamma(s) + n * 0x1p-52) * abs[i];
            assertWithin(sum[i], ref[i], bound, "sum " + i + " of " + outer + "x" + n + "x" + inner);
            assertWithin(mean[i], refMean[i], (DenseTestData.gamma(s + 1) + n * 0x1p-52) * abs[i] / n, "mean " + i);
        }
    }

    @Property(tries = 100)
    void runReductionsMatchTheReference(@ForAll("length") int n, @ForAll long seed) {
        Random r = new Random(seed);
        float scale = DenseTestData.scale(r, 4, 4);
        float[] x = DenseTestData.floats(r, n + 2, scale), y = DenseTestData.floats(r, n + 1, 1f);
        for (int i = 0; i < x.length; i++) x[i] += scale * 0.5f;   // an offset, so deviations differ from values
        float mean = Reduce.sum(x, 2, n) / n;
        double[] xd = DenseTestData.toDouble(x), yd = DenseTestData.toDouble(y);
        long s = contiguousChain(n);
        double refErr = n * 0x1p-52;
        assertWithin(Reduce.sum(x, 2, n), ReduceRef.sum(xd, 2, n), (DenseTestData.gamma(s) + refErr) * ReduceRef.sum(DenseTestData.abs(xd), 2, n), "sum");
        assertWithin(Reduce.dot(x, 2, y, 1, n), ReduceRef.dot(xd, 2, yd, 1, n),
                (DenseTestData.gamma(s) + refErr) * ReduceRef.dot(DenseTestData.abs(xd), 2, DenseTestData.abs(yd), 1, n), "dot");
        double sq = ReduceRef.sumSquaredDeviations(xd, 2, n, mean);
        assertWithin(Reduce.sumSquaredDeviations(x, 2, n, mean), sq, (DenseTestData.gamma(s + 2) + refErr) * sq, "sumSquaredDeviations");
        double[] dev = new double[n];
        for (int j = 0; j < n; j++) dev[j] = Math.abs(xd[2 + j] - mean);
        assertWithin(Reduce.dotDeviations(x, 2, mean, y, 1, n), ReduceRef.dotDeviations(xd, 2, mean, yd, 1, n),
                (DenseTestData.gamma(s + 1) + refErr) * ReduceRef.dot(dev, 0, DenseTestData.abs(yd), 1, n), "dotDeviations");
    }

    @Property(tries = 60)
    void vectorPathGivesTheScalarPathBits(@ForAll("length") int n, @ForAll("dim") int outer, @ForAll("dim") int inner, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = DenseTestData.floats(r, n + 3, 3f), y = DenseTestData.floats(r, n, 2f);
        float m = x[0] * 0.25f;
        assertBits(Reduce.sum(x, 3, n, true), Reduce.sum(x, 3, n, false), "sum n=" + n);
        assertBits(Reduce.sumSquaredDeviations(x, 3, n, m, true), Reduce.sumSquaredDeviations(x, 3, n, m, false), "sumSquaredDeviations n=" + n);
        assertBits(Reduce.dot(x, 3, y, 0, n, true), Reduce.dot(x, 3, y, 0, n, false), "dot n=" + n);
        assertBits(Reduce.dotDeviations(x, 3, m, y, 0, n, true), Reduce.dotDeviations(x, 3, m, y, 0, n, false), "dotDeviations n=" + n);
        int steps = 1 + n % 40;
        float[] z = DenseTestData.floats(r, outer * steps * inner, 1f), v = new float[outer * inner], s = new float[outer * inner];
        Reduce.sumAxis(z, outer, steps, inner, v, true);
        Reduce.sumAxis(z, outer, steps, inner, s, false);
        assertEquals(-1, DenseTestData.firstBitDifference(v, s), "sumAxis " + outer + "x" + steps + "x" + inner);
    }

    static void assertBits(float a, float b, String what) {
        assertEquals(Float.floatToRawIntBits(b), Float.floatToRawIntBits(a), what + ": " + a + " vs " + b);
    }

    /** Four runs at once give each run's own sum and squared deviations, bit for bit (tails, −0 sums, up to a block). */
    @Example
    void fourRunsGiveEachRunsOwnSums() {
        Random r = new Random(21);
        for (int n : new int[] {1, 15, 16, 17, 96, 250, 384, 768, Reduce.BLOCK}) {
            float[] x = new float[4 * n + 9];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3);
            int[] offs = {5, 5 + n, 5 + 2 * n, 5 + 3 * n};
            for (int i = 0; i < n; i++) x[offs[2] + i] = -0f;                  // a run of −0: partials start at +0, so +0, as run gives
            float[] sums = new float[4], squares = new float[4], means = new float[4];
            Reduce.fourRuns(false, x, offs, n, null, sums, new float[4][Reduce.LANES_FIXED]);
            for (int k = 0; k < 4; k++) {
                assertEquals(Float.floatToRawIntBits(Reduce.sum(x, offs[k], n, true)), Float.floatToRawIntBits(sums[k]), "sum, n " + n + " run " + k);
                means[k] = sums[k] / n;
            }
            Reduce.fourRuns(true, x, offs, n, means, squares, new float[4][Reduce.LANES_FIXED]);
            for (int k = 0; k < 4; k++)
                assertEquals(Float.floatToRawIntBits(Reduce.sumSquaredDeviations(x, offs[k], n, means[k], true)), Float.floatToRawIntBits(squares[k]),
                        "squared deviations, n " + n + " run " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> Reduce.fourRuns(false, new float[4 * Reduce.BLOCK + 4], new int[4], Reduce.BLOCK + 1, null, new float[4], new float[4][Reduce.LANES_FIXED]));
    }

    @Example
    void longRunsUseBlocksRunsAndChunksWithinTheirBounds() {
        Random r = new Random(11);
        int n = 3 * Reduce.CHUNK + 12345;
        float[] x = DenseTestData.floats(r, n, 1f);
        double[] xd = DenseTestData.toDouble(x);
        double abs = ReduceRef.sum(DenseTestData.abs(xd), 0, n);
        long sAll = contiguousChain(Reduce.CHUNK) + ceilDiv(n, Reduce.CHUNK);
        assertWithin(Reduce.sumAll(x, 0, n), ReduceRef.sumAll(xd, 0, n), (DenseTestData.gamma(sAll) + n * 0x1p-52) * abs, "sumAll");
        assertBits(Reduce.sumAll(x, 0, n, true), Reduce.sumAll(x, 0, n, false), "sumAll paths");
        // A long strided axis: 3 outputs over n = 1000 steps (several run sums).
        float[] out = new float[3], s = new float[3];
        Reduce.sumAxis(x, 1, 1000, 3, out, true);
        Reduce.sumAxis(x, 1, 1000, 3, s, false);
        assertEquals(-1, DenseTestData.firstBitDifference(out, s));
        double[] ref = new double[3], absRef = new double[3];
        ReduceRef.sumAxis(java.util.Arrays.copyOf(xd, 3000), 1, 1000, 3, ref);
        ReduceRef.sumAxis(DenseTestData.abs(java.util.Arrays.copyOf(xd, 3000)), 1, 1000, 3, absRef);
        for (int i = 0; i < 3; i++) assertWithin(out[i], ref[i], (DenseTestData.gamma(stridedChain(1000)) + 1000 * 0x1p-52) * absRef[i], "strided " + i);
    }

    @Example
    void threadCountDoesNotChangeBits() {
        Random r = new Random(5);
        float[] x = DenseTestData.floats(r, 3 * Reduce.CHUNK + 77, 1f);
        float[] one = new float[1], three = new float[1];
        DenseTestData.withThreads(1, () -> one[0] = Reduce.sumAll(x, 0, x.length));
        DenseTestData.withThreads(3, () -> three[0] = Reduce.sumAll(x, 0, x.length));
        assertBits(one[0], three[0], "sumAll");
        for (int[] shape : new int[][] {{97, 257, 1}, {5, 300, 2100}, {700, 17, 33}}) {
            float[] z = DenseTestData.floats(r, shape[0] * shape[1] * shape[2], 1f);
            float[] a = new float[shape[0] * shape[2]], b = new float[a.length];
            DenseTestData.withThreads(1, () -> Reduce.sumAxis(z, shape[0], shape[1], shape[2], a));
            DenseTestData.withThreads(3, () -> Reduce.sumAxis(z, shape[0], shape[1], shape[2], b));
            assertEquals(-1, DenseTestData.firstBitDifference(a, b), java.util.Arrays.toString(shape));
        }
    }

    @Example
    void rejectsBadArguments() {
        float[] x = new float[12];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reduce.sumAxis(x, 2, 3, 3, new float[6]));
        assertTrue(e.getMessage().contains("Reduce.sumAxis") && e.getMessage().contains("n=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reduce.sumAxis(x, 2, 3, 2, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> Reduce.meanAxis(x, 0, 3, 2, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Reduce.sum(x, 5, 8));
        assertThrows(IllegalArgumentException.class, () -> Reduce.dot(x, 0, new float[3], 0, 4));
    }
}
