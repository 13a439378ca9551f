package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import jcipa.tensor.ref.LayerNormRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class LayerNormTest {

    static final double U = DenseTestData.U;
    static final float[] EPS = {1e-6f, 1e-5f, 1e-3f, 0.5f};

    /** A random LayerNorm problem and the float64 reference results for it. */
    static final class Problem {
        final int rows, cols;
        final float eps;
        final float[] x, w, b, dy;
        // float64 reference
        final double[] y, mean, rstd, dx, dw, db;

        Problem(int rows, int cols, int affine, long seed) {
            Random r = new Random(seed);
            this.rows = rows; this.cols = cols;
            eps = EPS[r.nextInt(EPS.length)];
            float scale = DenseTestData.scale(r, 4, 4);
            x = DenseTestData.floats(r, rows * cols, scale);
            for (int row = 0; row < rows; row++) {       // a per-row offset of up to 4 scales
                float offset = (2 * r.nextFloat() - 1) * 4 * scale;
                for (int j = 0; j < cols; j++) x[row * cols + j] += offset;
            }
            w = affine >= 1 ? DenseTestData.floats(r, cols, 2f) : null;
            b = affine == 2 ? DenseTestData.floats(r, cols, 2f) : null;
            dy = DenseTestData.floats(r, rows * cols, DenseTestData.scale(r, 2, 2));
            y = new double[rows * cols]; mean = new double[rows]; rstd = new double[rows];
            LayerNormRef.forward(DenseTestData.toDouble(x), d(w), d(b), y, mean, rstd, rows, cols, eps);
            dx = new double[rows * cols]; dw = new double[cols]; db = new double[cols];
            LayerNormRef.backward(DenseTestData.toDouble(x), d(w), mean, rstd, DenseTestData.toDouble(dy), dx, dw, db, rows, cols);
        }

        static double[] d(float[] a) { return a == null ? null : DenseTestData.toDouble(a); }

        double xhat(int row, int j) { return (x[row * cols + j] - mean[row]) * rstd[row]; }

        /** κ = r·mean|x| of a row. */
        double kappa(int row) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.abs(x[row * cols + j]);
            return rstd[row] * s / cols;
        }

        @Override public String toString() {
            return "rows=" + rows + " cols=" + cols + " eps=" + eps + " weight=" + (w != null) + " bias=" + (b != null);
        }
    }

    /** Float32 results of one problem. */
    static final class Result {
        final float[] y, mean, rstd, dx, dw, db;

        Result(Problem p, boolean vector) {
            y = new float[p.rows * p.cols]; mean = new float[p.rows]; rstd = new float[p.rows];
            LayerNorm.forward(p.x, p.w, p.b, y, mean, rstd, p.rows, p.cols, p.eps, vector);
            dx = new float[p.rows * p.cols]; dw = new float[p.cols]; db = new float[p.cols];
            LayerNorm.backward(p.x, p.w, mean, rstd, p.dy, dx, dw, db, p.rows, p.cols, vector);
        }

        void assertSameBits(Result o, String what) {
            float[][] mine = {y, mean, rstd, dx, dw, db}, theirs = {o.y, o.mean, o.rstd, o.dx, o.dw, o.db};
            String[] names = {"y", "mean", "rstd", "dx", "dw", "db"};
            for (int i = 0; i < mine.length; i++) {
                int at = DenseTestData.firstBitDifference(mine[i], theirs[i]);
                if (at >= 0) fail(names[i] + " bits differ at " + at + ": " + mine[i][at] + " vs " + theirs[i][at] + " for " + what);
            }
        }
    }

    static long contiguousChain(int n) {
        return ReduceTest.contiguousChain(n);
    }

    static void within(double got, double exact, double bound, String what) {
        if (!(Math.abs(got - exact) <= bound)) fail(what + ": |" + got + " - " + exact + "| = " + Math.abs(got - exact) + " > " + bound);
    }

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17), Arbitraries.integers().between(1, 8));
    }

    @Provide
    Arbitrary<Integer> cols() {
        return Arbitraries.oneOf(Arbitraries.of(1, 3, 17, 96, 192, 257, 384, 768), Arbitraries.integers().between(1, 100));   // multiples of 16: the two-pass rows
    }

    @Property(tries = 120)
    void forwardAndBackwardMatchTheReferenceWithinTheDocumentedBounds(
            @ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll @IntRange(min = 0, max = 2) int affine, @ForAll long seed) {
        Problem p = new Problem(rows, cols, affine, seed);
        Result f = new Result(p, true);
        checkBounds(p, f);
    }

    static void checkBounds(Problem p, Result f) {
        int rows = p.rows, cols = p.cols;
        long s = contiguousChain(cols);
        double e = (s + 9) * U;
        for (int row = 0; row < rows; row++) {
            double kappa = p.kappa(row), r = p.rstd[row];
            within(f.mean[row], p.mean[row], (s + 1) * U * kappa / r, "mean row " + row + " " + p);
            within(f.rstd[row], r, e * r, "rstd row " + row + " " + p);
            double g1 = 0, g2 = 0;
            for (int j = 0; j < cols; j++) {
                double g = p.dy[row * cols + j] * (p.w == null ? 1 : p.w[j]);
                g1 += Math.abs(g);
                g2 += Math.abs(g * p.xhat(row, j));
            }
            g1 /= cols;
            g2 /= cols;
            for (int j = 0; j < cols; j++) {
                int i = row * cols + j;
                double xh = Math.abs(p.xhat(row, j)), w = p.w == null ? 1 : Math.abs(p.w[j]), b = p.b == null ? 0 : Math.abs(p.b[j]);
                within(f.y[i], p.y[i], (e + U) * (xh + kappa) * w + U * b, "y[" + row + "," + j + "] " + p);
                double g = Math.abs(p.dy[i] * (p.w == null ? 1 : p.w[j]));
                within(f.dx[i], p.dx[i], 5 * e * r * (g + g1 + (xh + kappa) * (g2 + kappa * g1)), "dx[" + row + "," + j + "] " + p);
            }
        }
        int chunk = LayerNorm.rowChunk(rows);
        long t = chunk + (rows + chunk - 1) / chunk;
        for (int j = 0; j < cols; j++) {
            double sw = 0, sb = 0;
            for (int row = 0; row < rows; row++) {
                double dy = Math.abs(p.dy[row * cols + j]);
                sw += dy * (Math.abs(p.xhat(row, j)) + p.kappa(row));
                sb += dy;
            }
            within(f.dw[j], p.dw[j], (e + t * U) * sw, "dw[" + j + "] " + p);
            within(f.db[j], p.db[j], DenseTestData.gamma(t) * sb, "db[" + j + "] " + p);
        }
    }

    @Property(tries = 80)
    void vectorPathGivesTheScalarPathBits(
            @ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll @IntRange(min = 0, max = 2) int affine, @ForAll long seed) {
        Problem p = new Problem(rows, cols, affine, seed);
        new Result(p, true).assertSameBits(new Result(p, false), p.toString());
    }

    @Example
    void longRowsOfHeightTimesWidthAndManyRows() {
        // CRM normalises rows of H·W = 16384; a Linear-sized batch has many short rows.
        for (int[] shape : new int[][] {{3, 16384}, {1000, 96}}) {
            Problem p = new Problem(shape[0], shape[1], 2, shape[1]);
            Result v = new Result(p, true);
            checkBounds(p, v);
            v.assertSameBits(new Result(p, false), p.toString());
        }
    }

    @Example
    void threadCountDoesNotChangeBits() {
        Problem p = new Problem(700, 33, 2, 99);
        Result[] out = new Result[2];
        DenseTestData.withThreads(1, () -> out[0] = new Result(p, true));
        DenseTestData.withThreads(3, () -> out[1] = new Result(p, true));
        out[0].assertSameBits(out[1], p.toString());
    }

    @Example
    void nullOutputsAreSkippedAndGiveTheSameValues() {
        Problem p = new Problem(5, 40, 2, 3);
        Result full = new Result(p, true);
        float[] y = new float[p.rows * p.cols];
        LayerNorm.forward(p.x, p.w, p.b, y, null, null, p.rows, p.cols, p.eps);
        assertEquals(-1, DenseTestData.firstBitDifference(y, full.y));
        float[] dw = new float[p.cols];
        LayerNorm.backward(p.x, p.w, full.mean, full.rstd, p.dy, null, dw, null, p.rows, p.cols);
        assertEquals(-1, DenseTestData.firstBitDifference(dw, full.dw));
    }

    @Example
    void rejectsBadArguments() {
        float[] x = new float[6], y = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorm.forward(x, null, null, y, null, null, 2, 4, 1e-5f));
        assertTrue(e.getMessage().contains("LayerNorm.forward") && e.getMessage().contains("cols=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.forward(x, new float[2], null, y, null, null, 2, 3, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.forward(x, null, null, y, new float[3], null, 2, 3, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.forward(x, null, null, y, null, null, 0, 3, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.forward(x, null, null, y, null, null, 2, 3, -1f));
        assertThrows(IllegalArgumentException.class,
                () -> LayerNorm.backward(x, null, null, new float[2], y, new float[6], null, null, 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> LayerNorm.backward(x, null, new float[2], new float[2], y, new float[6], new float[2], null, 2, 3));
    }
}
