package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import jcipa.tensor.kernels.ConvShape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Conv2dRefTest {

    static double[] gaussian(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return a;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Checks grad against central differences of loss at 12 random coordinates of v. */
    static void checkGradient(String what, Random r, double[] v, double[] grad, Function<double[], Double> loss) {
        double h = 1e-3;
        for (int k = 0; k < 12; k++) {
            int i = r.nextInt(v.length);
            double keep = v[i];
            v[i] = keep + h; double up = loss.apply(v);
            v[i] = keep - h; double down = loss.apply(v);
            v[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad[i], 1e-8 * (1 + Math.abs(fd)), what + " coordinate " + i);
        }
    }

    @Property(tries = 40)
    void gradientsMatchCentralDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int groups = new int[]{1, 1, 2, 3}[r.nextInt(4)];
        int cIn = groups * (1 + r.nextInt(3)), cOut = groups * (1 + r.nextInt(3));
        int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), ph = r.nextInt(2), pw = r.nextInt(2);
        ConvShape s = new ConvShape(1 + r.nextInt(2), cIn, Math.max(kh, 1 + r.nextInt(9)), Math.max(kw, 1 + r.nextInt(9)),
                cOut, kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), ph, pw, groups);
        double[] x = gaussian(r, s.inputSize()), w = gaussian(r, s.weightSize()), b = gaussian(r, s.cOut()), g = gaussian(r, s.outputSize());
        checkGradient("dx " + s, r, x, Conv2dRef.backwardInput(s, g, w), v -> dot(Conv2dRef.forward(s, v, w, b), g));
        checkGradient("dw " + s, r, w, Conv2dRef.backwardWeight(s, x, g), v -> dot(Conv2dRef.forward(s, x, v, b), g));
        checkGradient("db " + s, r, b, Conv2dRef.backwardBias(s, g), v -> dot(Conv2dRef.forward(s, x, w, v), g));
    }

    @Test
    void matchesPyTorchFloat64() {
        List<TorchSpatialGolden.Record> cases = TorchSpatialGolden.of("conv");
        assertFalse(cases.isEmpty());
        for (var c : cases) {
            ConvShape s = new ConvShape(c.intArg(0), c.intArg(1), c.intArg(2), c.intArg(3), c.intArg(4), c.intArg(5), c.intArg(6),
                    c.intArg(7), c.intArg(8), c.intArg(9), c.intArg(10), c.intArg(11));
            boolean bias = c.intArg(12) == 1;
            int k = 0;
            double[] x = c.get(k++).asDouble(), w = c.get(k++).asDouble(), b = bias ? c.get(k++).asDouble() : null, g = c.get(k++).asDouble();
            TorchSpatialGolden.assertClose("y " + s, Conv2dRef.forward(s, x, w, b), c.get(k++).d(), 1e-12);
            TorchSpatialGolden.assertClose("dx " + s, Conv2dRef.backwardInput(s, g, w), c.get(k++).d(), 1e-12);
            TorchSpatialGolden.assertClose("dw " + s, Conv2dRef.backwardWeight(s, x, g), c.get(k++).d(), 1e-12);
            if (bias) TorchSpatialGolden.assertClose("db " + s, Conv2dRef.backwardBias(s, g), c.get(k).d(), 1e-12);
        }
    }
}
