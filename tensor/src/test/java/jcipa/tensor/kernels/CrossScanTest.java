package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.ScanProblem;
import jcipa.tensor.parallel.Parallel;
import jcipa.tensor.ref.CrossScanRef;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** SS2D's CrossScan / CrossMerge: the four orders by hand, adjointness, float32 vs float64. */
class CrossScanTest {

    /** x = [[0 1 2] [3 4 5]] (H = 2, W = 3): the four sequences written out from the definition. */
    @Test
    void fourOrdersOfASmallImage() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] xs = new double[24];
        CrossScanRef.crossScan(x, 1, 1, 2, 3, xs);
        assertArrayEquals(new double[] {
                0, 1, 2, 3, 4, 5,     // row-major
                0, 3, 1, 4, 2, 5,     // column-major
                5, 4, 3, 2, 1, 0,     // row-major reversed
                5, 2, 4, 1, 3, 0},    // column-major reversed
                xs);
        float[] xs32 = new float[24];
        CrossScan.crossScan(ScanProblem.toFloat(x), 1, 1, 2, 3, xs32);
        assertArrayEquals(ScanProblem.toFloat(xs), xs32);
    }

    /** Merging the scans of x gives 4·x, and merging one order alone gives it back on the pixel grid. */
    @Test
    void mergeFoldsEachOrderBackOntoItsPixel() {
        double[] ys = new double[24];
        for (int l = 0; l < 6; l++) ys[6 + l] = 10 * l;                 // only the column-major order: 10·q
        double[] y = new double[6];
        CrossScanRef.crossMerge(ys, 1, 1, 2, 3, y);
        assertArrayEquals(new double[] {0, 20, 40, 10, 30, 50}, y);    // pixel (h, w) gets 10·(w·2 + h)
        double[] x = {0, 1, 2, 3, 4, 5}, xs = new double[24];
        CrossScanRef.crossScan(x, 1, 1, 2, 3, xs);
        CrossScanRef.crossMerge(xs, 1, 1, 2, 3, y);
        assertArrayEquals(new double[] {0, 4, 8, 12, 16, 20}, y);
    }

    /** CrossMerge is the adjoint of CrossScan: ⟨CrossScan(x), y⟩ = ⟨x, CrossMerge(y)⟩ in float64. */
    @Property(tries = 100)
    void mergeIsTheAdjointOfScan(@ForAll @IntRange(min = 1, max = 2) int batch,
                                 @ForAll @IntRange(min = 1, max = 3) int channels,
                                 @ForAll @IntRange(min = 1, max = 9) int height,
                                 @ForAll @IntRange(min = 1, max = 9) int width,
                                 @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = batch * channels * height * width;
        double[] x = ScanProblem.gaussian(r, n), ys = ScanProblem.gaussian(r, 4 * n);
        double[] xs = new double[4 * n], y = new double[n];
        CrossScanRef.crossScan(x, batch, channels, height, width, xs);
        CrossScanRef.crossMerge(ys, batch, channels, height, width, y);
        double left = 0, right = 0, magnitude = 0;
        for (int i = 0; i < 4 * n; i++) {
            left += xs[i] * ys[i];
            magnitude += Math.abs(xs[i] * ys[i]);
        }
        for (int i = 0; i < n; i++) right += x[i] * y[i];
        assertTrue(Math.abs(left - right) <= 1e-13 * magnitude, left + " vs " + right);
    }

    /**
     * Float32 against float64 on the same inputs: CrossScan exactly (it only copies); CrossMerge within
     * 2u·Σ|terms| per pixel (u = 2⁻²⁴: two rounded partial sums and one rounded total).
     */
    @Property(tries = 50)
    void kernelMatchesReference(@ForAll @IntRange(min = 1, max = 2) int batch,
                                @ForAll @IntRange(min = 1, max = 3) int channels,
                                @ForAll @IntRange(min = 1, max = 17) int height,
                                @ForAll @IntRange(min = 1, max = 17) int width,
                                @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = batch * channels * height * width;
        double[] x = ScanProblem.gaussian(r, n), ys = ScanProblem.gaussian(r, 4 * n);
        double[] xs = new double[4 * n], y = new double[n], absY = new double[n];
        CrossScanRef.crossScan(x, batch, channels, height, width, xs);
        CrossScanRef.crossMerge(ys, batch, channels, height, width, y);
        double[] absYs = ys.clone();
        for (int i = 0; i < absYs.length; i++) absYs[i] = Math.abs(absYs[i]);
        CrossScanRef.crossMerge(absYs, batch, channels, height, width, absY);

        float[] xs32 = new float[4 * n], y32 = new float[n];
        CrossScan.crossScan(ScanProblem.toFloat(x), batch, channels, height, width, xs32);
        CrossScan.crossMerge(ScanProblem.toFloat(ys), batch, channels, height, width, y32);
        assertArrayEquals(ScanProblem.toFloat(xs), xs32);
        double u = 0x1p-24;
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(y32[i] - y[i]) <= 2 * u * absY[i] * (1 + 2 * u), "pixel " + i);
        }
    }

    /** 1 and 3 threads give the same bits (257 = 1·257 pixels, a prime: one row). */
    @Test
    void resultsDoNotDependOnThreadCount() {
        int[][] shapes = {{1, 1}, {1, 3}, {17, 3}, {1, 257}, {17, 17}};
        int before = Parallel.threads();
        try {
            for (int[] hw : shapes) {
                int n = 2 * 5 * hw[0] * hw[1];
                float[] ys = ScanProblem.toFloat(ScanProblem.gaussian(new SplittableRandom(n), 4 * n));
                float[] one = new float[n], three = new float[n];
                Parallel.setThreads(1);
                CrossScan.crossMerge(ys, 2, 5, hw[0], hw[1], one);
                Parallel.setThreads(3);
                CrossScan.crossMerge(ys, 2, 5, hw[0], hw[1], three);
                assertArrayEquals(one, three);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CrossScan.crossScan(new float[6], 1, 1, 2, 3, new float[23]));
        assertTrue(e.getMessage().contains("CrossScan.crossScan") && e.getMessage().contains("23"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossScan.crossMerge(new float[0], 1, 1, 0, 3, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> CrossScanRef.crossMerge(new double[24], 1, 1, 2, 3, new double[5]));
    }
}
