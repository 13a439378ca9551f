package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import jcipa.tensor.ref.GemmRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class GemmTest {

    /** One random problem: sizes, layout, offsets, strides and data. */
    static final class Problem {
        final int batch, m, n, k, aOff, aStride, bOff, bStride, cOff, cStride;
        final boolean transA, transB, accumulate;
        final float[] a, b, c0;

        Problem(int batch, int m, int n, int k, boolean transA, boolean transB, boolean accumulate, long seed) {
            Random r = new Random(seed);
            this.batch = batch; this.m = m; this.n = n; this.k = k;
            this.transA = transA; this.transB = transB; this.accumulate = accumulate;
            aOff = r.nextInt(4); bOff = r.nextInt(4); cOff = r.nextInt(4);
            aStride = batch > 1 && r.nextInt(4) == 0 ? 0 : m * k + r.nextInt(3);
            bStride = batch > 1 && r.nextInt(3) == 0 ? 0 : k * n + r.nextInt(3);
            cStride = m * n + r.nextInt(3);
            a = DenseTestData.floats(r, aOff + (batch - 1) * aStride + m * k + r.nextInt(2), DenseTestData.scale(r, 3, 3));
            b = DenseTestData.floats(r, bOff + (batch - 1) * bStride + k * n + r.nextInt(2), DenseTestData.scale(r, 3, 3));
            c0 = DenseTestData.floats(r, cOff + (batch - 1) * cStride + m * n + r.nextInt(2), DenseTestData.scale(r, 3, 3));
        }

        float[] runVector() {
            float[] c = c0.clone();
            Gemm.gemmBatched(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
            return c;
        }

        float[] runScalar() {
            float[] c = c0.clone();
            Gemm.gemmScalar(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
            return c;
        }

        boolean isOutput(int idx) {
            int rel = idx - cOff;
            if (rel < 0) return false;
            int t = rel / cStride;
            return t < batch && rel - t * cStride < m * n;
        }

        @Override public String toString() {
            return "batch=" + batch + " M=" + m + " N=" + n + " K=" + k + " transA=" + transA + " transB=" + transB
                    + " acc=" + accumulate + " offs=" + aOff + "/" + bOff + "/" + cOff + " strides=" + aStride + "/" + bStride + "/" + cStride;
        }
    }

    @Provide
    Arbitrary<Integer> dim() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17, 257), Arbitraries.integers().between(1, 64));
    }

    @Property(tries = 100)
    void matchesFloat64ReferenceWithinTheDocumentedBound(
            @ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate, @ForAll long seed) {
        Problem p = new Problem(batch, m, n, k, transA, transB, accumulate, seed);
        float[] c = p.runVector();
        double[] ref = DenseTestData.toDouble(p.c0);
        GemmRef.gemmBatched(batch, transA, transB, m, n, k, DenseTestData.toDouble(p.a), p.aOff, p.aStride,
                DenseTestData.toDouble(p.b), p.bOff, p.bStride, ref, p.cOff, p.cStride, accumulate);
        // S = |c0| + Σ|a||b|, the scale of the bound, from the reference on absolute values.
        double[] s = accumulate ? DenseTestData.abs(DenseTestData.toDouble(p.c0)) : new double[p.c0.length];
        GemmRef.gemmBatched(batch, transA, transB, m, n, k, DenseTestData.abs(DenseTestData.toDouble(p.a)), p.aOff, p.aStride,
                DenseTestData.abs(DenseTestData.toDouble(p.b)), p.bOff, p.bStride, s, p.cOff, p.cStride, accumulate);
        double gamma = DenseTestData.gamma(k), refError = 2.0 * (k + 1) * 0x1p-53;
        for (int i = 0; i < c.length; i++) {
            if (!p.isOutput(i)) {
                assertEquals(Float.floatToRawIntBits(p.c0[i]), Float.floatToRawIntBits(c[i]), "wrote outside C at " + i + ": " + p);
                continue;
            }
            double bound = (gamma + refError) * s[i] + k * 0x1p-149;
            double err = Math.abs(c[i] - ref[i]);
            if (!(err <= bound)) fail("index " + i + ": |" + c[i] + " - " + ref[i] + "| = " + err + " > " + bound + " for " + p);
        }
    }

    @Property(tries = 80)
    void vectorPathGivesTheScalarPathBits(
            @ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k, @ForAll @IntRange(min = 1, max = 2) int batch,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate, @ForAll long seed) {
        Problem p = new Problem(batch, m, n, k, transA, transB, accumulate, seed);
        float[] v = p.runVector(), s = p.runScalar();
        int at = DenseTestData.firstBitDifference(v, s);
        assertEquals(-1, at, () -> "bits differ at " + at + ": " + v[at] + " vs " + s[at] + " for " + p);
    }

    @Property(tries = 20)
    void threadCountDoesNotChangeBits(
            @ForAll @IntRange(min = 129, max = 600) int m, @ForAll("dim") int n, @ForAll("dim") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
        Problem p = new Problem(2, m, n, k, transA, transB, true, seed);
        float[][] out = new float[2][];
        DenseTestData.withThreads(1, () -> out[0] = p.runVector());
        DenseTestData.withThreads(3, () -> out[1] = p.runVector());
        assertEquals(-1, DenseTestData.firstBitDifference(out[0], out[1]), p::toString);
    }

    /** Every width of a last, partial panel (the 1- and 2-vector tiles and the full one), with 8-row tiles and single rows. */
    @Example
    void everyPartialPanelWidthGivesTheScalarPathBits() {
        for (int n = 1; n <= 2 * Gemm.NRW; n++) {
            for (int variant = 0; variant < 4; variant++) {
                Problem p = new Problem(1, 19, n, 37, variant % 2 == 1, variant / 2 == 1, n % 2 == 0, n * 4L + variant);
                assertEquals(-1, DenseTestData.firstBitDifference(p.runVector(), p.runScalar()), p::toString);
            }
        }
    }

    /**
     * One output column (SingleColumnGemm: rows in lanes through register transposes): rows and k short of, on and past
     * whole tiles, across a task's rows, both layouts of A, with and without accumulating, on 1 and 3 threads.
     */
    @Example
    void oneOutputColumnGivesTheScalarPathBits() {
        for (int m : new int[] {1, 15, 16, 17, 100, SingleColumnGemm.ROWS_PER_TASK + 37}) {
            for (int k : new int[] {1, 15, 16, 17, 96}) {
                for (int variant = 0; variant < 8; variant++) {
                    Problem p = new Problem(1 + variant / 4, m, 1, k, variant % 2 == 1, variant / 2 % 2 == 1, variant % 3 == 0, m * 31L + k * 7 + variant);
                    float[] s = p.runScalar();
                    float[][] v = new float[2][];
                    DenseTestData.withThreads(1, () -> v[0] = p.runVector());
                    DenseTestData.withThreads(3, () -> v[1] = p.runVector());
                    assertEquals(-1, DenseTestData.firstBitDifference(v[0], s), p::toString);
                    assertEquals(-1, DenseTestData.firstBitDifference(v[1], s), p::toString);
                }
            }
        }
    }

    @Example
    void longKIsPackedInPiecesWithoutChangingBits() {
        // K·(packed width) exceeds the packing cap, so B is packed one k range at a time
        // (B stored (N,K) packs every panel; B stored (K,N) only its last, partial panel).
        int k = (int) (Gemm.PACK_CAP / Gemm.NRW) + 777;
        for (boolean transB : new boolean[] {false, true}) {
            Problem p = new Problem(1, 3, Gemm.NRW + 5, k, !transB, transB, false, 42);
            assertEquals(-1, DenseTestData.firstBitDifference(p.runVector(), p.runScalar()), p::toString);
        }
    }

    @Example
    void manyBatchItemsArePackedInGroupsWithoutChangingBits() {
        int n = 2 * Gemm.NRW + 3, k = 1000;
        for (boolean transB : new boolean[] {false, true}) {
            int packedPanels = transB ? 3 : 1;
            int batch = (int) (Gemm.PACK_CAP / ((long) packedPanels * Gemm.NRW * k)) + 3;
            Problem p = new Problem(batch, 2, n, k, false, transB, true, 7);
            for (long seed = 8; p.bStride == 0; seed++) p = new Problem(batch, 2, n, k, false, transB, true, seed);
            Problem q = p;
            assertEquals(-1, DenseTestData.firstBitDifference(q.runVector(), q.runScalar()), q::toString);
        }
    }

    @Example
    void linearHelpersAreTheDocumentedProducts() {
        Random r = new Random(3);
        int m = 19, k = 23, n = 29;
        float[] x = DenseTestData.floats(r, m * k, 1), w = DenseTestData.floats(r, n * k, 1), dy = DenseTestData.floats(r, m * n, 1);
        float[] y = new float[m * n], y2 = new float[m * n];
        Gemm.linear(x, w, y, m, k, n);
        Gemm.gemm(false, true, m, n, k, x, 0, w, 0, y2, 0, false);
        assertTrue(Arrays.equals(y, y2));
        float[] dx = new float[m * k], dx2 = new float[m * k];
        Gemm.linearBackwardInput(dy, w, dx, m, k, n, false);
        Gemm.gemm(false, false, m, k, n, dy, 0, w, 0, dx2, 0, false);
        assertTrue(Arrays.equals(dx, dx2));
        float[] dw = new float[n * k], dw2 = new float[n * k];
        Gemm.linearBackwardWeight(dy, x, dw, m, k, n, false);
        Gemm.gemm(true, false, n, k, m, dy, 0, x, 0, dw2, 0, false);
        assertTrue(Arrays.equals(dw, dw2));
        // dW[j,i] = Σ_r dy[r,j]·x[r,i], written out independently.
        double expect = 0;
        for (int row = 0; row < m; row++) expect += (double) dy[row * n + 5] * x[row * k + 7];
        assertEquals(expect, dw[5 * k + 7], DenseTestData.gamma(m) * 4 * m);
    }

    @Example
    void rejectsBadArguments() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 0, 2, 3, a, 0, b, 0, c, 0, false));
        assertTrue(e.getMessage().contains("Gemm") && e.getMessage().contains("M=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(false, false, 2, 2, 4, a, 0, b, 0, c, 0, false));
        assertTrue(e.getMessage().contains("A too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(false, false, 2, 2, 3, a, 0, b, 0, c, 1, false));
        assertTrue(e.getMessage().contains("C too short"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmBatched(2, false, false, 1, 2, 3, a, 0, 3, b, 0, 0, c, 0, 1, false));
    }
}
