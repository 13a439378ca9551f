package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import jcipa.tensor.ref.BilinearRef.Axis;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BilinearRefTest {

    @Test
    void twoSamplesUpsampledTwiceGiveQuarterWeights() {
        double a = 3, b = 7;
        double[] y = BilinearRef.forward(new double[]{a, b}, 1, 1, Axis.ofSize(1, 1), Axis.ofSize(2, 4));
        assertArrayEquals(new double[]{a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b}, y, 1e-15);
    }

    @Test
    void twoByTwoToFourByFourIsTheOuterProductOfTheOneDimensionalWeights() {
        double[] x = {1, 2, 3, 5};
        double[][] u = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
        double[] expected = new double[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) expected[r * 4 + c] += u[r][i] * u[c][j] * x[i * 2 + j];
        assertArrayEquals(expected, BilinearRef.forward(x, 1, 1, Axis.ofSize(2, 4), Axis.ofSize(2, 4)), 1e-15);
        // The corners are copied; the central 2×2 block averages to the mean of the four inputs.
        assertEquals(1, expected[0]); assertEquals(5, expected[15]);
        assertEquals((1 + 2 + 3 + 5) / 4.0, (expected[5] + expected[6] + expected[9] + expected[10]) / 4, 1e-15);
    }

    @Test
    void halvingAveragesPairs() {
        double[] y = BilinearRef.forward(new double[]{1, 2, 4, 8}, 1, 1, Axis.ofSize(1, 1), Axis.ofSize(4, 2));
        assertArrayEquals(new double[]{1.5, 6}, y, 1e-15);
    }

    @Test
    void scaleFactorUsesItsReciprocalNotTheSizeRatio() {
        Axis scaled = Axis.ofScale(5, 1.7), sized = Axis.ofSize(5, 8);
        assertEquals(8, scaled.out());
        // output 3: src = 3.5/1.7 − 0.5 = 1.5588..., not 3.5·5/8 − 0.5 = 1.6875
        assertEquals(1, scaled.i0()[3]);
        assertEquals(3.5 / 1.7 - 0.5 - 1, scaled.l1()[3], 1e-15);
        assertEquals(0.6875, sized.l1()[3], 1e-15);
    }

    @Test
    void sameSizeIsIdentity() {
        Random r = new Random(3);
        double[] x = new double[2 * 3 * 5 * 7];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        assertArrayEquals(x, BilinearRef.forward(x, 2, 3, Axis.ofSize(5, 5), Axis.ofScale(7, 1.0)), 0.0);
        assertArrayEquals(x, BilinearRef.backward(x, 2, 3, Axis.ofSize(5, 5), Axis.ofSize(7, 7)), 0.0);
    }

    static Axis randomAxis(Random r) {
        int in = new int[]{1, 2, 3, 5, 17}[r.nextInt(5)];
        if (r.nextBoolean()) return Axis.ofSize(in, new int[]{1, 3, 4, 17, 40}[r.nextInt(5)]);
        double s = new double[]{0.3, 0.5, 1.0, 1.7, 2.0, 3.3, 4.0}[r.nextInt(7)];
        return in * s >= 1 ? Axis.ofScale(in, s) : Axis.ofSize(in, 1);
    }

    @Property(tries = 100)
    void backwardIsTheAdjointOfForward(@ForAll long seed) {
        Random r = new Random(seed);
        Axis rows = randomAxis(r), cols = randomAxis(r);
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3);
        double[] x = Conv2dRefTest.gaussian(r, n * c * rows.in() * cols.in()), y = Conv2dRefTest.gaussian(r, n * c * rows.out() * cols.out());
        double lhs = Conv2dRefTest.dot(BilinearRef.forward(x, n, c, rows, cols), y);
        double rhs = Conv2dRefTest.dot(x, BilinearRef.backward(y, n, c, rows, cols));
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    @Property(tries = 40)
    void backwardMatchesCentralDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Axis rows = randomAxis(r), cols = randomAxis(r);
        double[] x = Conv2dRefTest.gaussian(r, rows.in() * cols.in()), g = Conv2dRefTest.gaussian(r, rows.out() * cols.out());
        Conv2dRefTest.checkGradient("bilinear dx", r, x, BilinearRef.backward(g, 1, 1, rows, cols),
                v -> Conv2dRefTest.dot(BilinearRef.forward(v, 1, 1, rows, cols), g));
    }

    @Test
    void matchesPyTorchFloat64() {
        int checked = 0;
        for (var rec : TorchSpatialGolden.load()) {
            if (!rec.op().startsWith("bilinear")) continue;
            int n = rec.get(0).dims()[0], c = rec.get(0).dims()[1], h = rec.get(0).dims()[2], w = rec.get(0).dims()[3];
            Axis rows, cols;
            if (rec.op().equals("bilinear_size")) { rows = Axis.ofSize(h, rec.intArg(2)); cols = Axis.ofSize(w, rec.intArg(3)); }
            else { rows = Axis.ofScale(h, rec.doubleArg(2)); cols = Axis.ofScale(w, rec.doubleArg(3)); }
            TorchSpatialGolden.assertClose("y " + rec.key(), BilinearRef.forward(rec.get(0).asDouble(), n, c, rows, cols), rec.get(4).d(), 1e-12);
            TorchSpatialGolden.assertClose("dx " + rec.key(), BilinearRef.backward(rec.get(1).asDouble(), n, c, rows, cols), rec.get(5).d(), 1e-12);
            checked++;
        }
        assertFalse(checked == 0);
    }
}
