package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The float64 LayerNorm backward against central finite differences of the forward. */
class LayerNormRefTest {

    static double[] random(Random r, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (2 * r.nextDouble() - 1) * scale;
        return x;
    }

    /** L = Σ y·c, the scalar whose gradient the backward gives with dy = c. */
    static double loss(double[] x, double[] w, double[] b, double[] c, int rows, int cols, double eps) {
        double[] y = new double[rows * cols];
        LayerNormRef.forward(x, w, b, y, null, null, rows, cols, eps);
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * c[i];
        return s;
    }

    static void checkGradient(double[] param, double[] analytic, java.util.function.DoubleSupplier loss, String name) {
        for (int i = 0; i < param.length; i++) {
            double keep = param[i], h = 1e-6 * Math.max(1, Math.abs(keep));
            param[i] = keep + h;
            double up = loss.getAsDouble();
            param[i] = keep - h;
            double down = loss.getAsDouble();
            param[i] = keep;
            double fd = (up - down) / (2 * h);
            if (!(Math.abs(fd - analytic[i]) <= 1e-6 * (1 + Math.abs(fd)))) fail(name + "[" + i + "]: analytic " + analytic[i] + " vs finite difference " + fd);
        }
    }

    @Property(tries = 60)
    void backwardMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int rows, @ForAll @IntRange(min = 1, max = 17) int cols,
                                          @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        double eps = 1e-5;
        double[] x = random(r, rows * cols, 2), c = random(r, rows * cols, 1);
        double[] w = affine ? random(r, cols, 1.5) : null, b = affine ? random(r, cols, 1.5) : null;
        double[] y = new double[rows * cols], mean = new double[rows], rstd = new double[rows];
        LayerNormRef.forward(x, w, b, y, mean, rstd, rows, cols, eps);
        double[] dx = new double[rows * cols], dw = new double[cols], db = new double[cols];
        LayerNormRef.backward(x, w, mean, rstd, c, dx, affine ? dw : null, affine ? db : null, rows, cols);
        checkGradient(x, dx, () -> loss(x, w, b, c, rows, cols, eps), "dx");
        if (affine) {
            checkGradient(w, dw, () -> loss(x, w, b, c, rows, cols, eps), "dw");
            checkGradient(b, db, () -> loss(x, w, b, c, rows, cols, eps), "db");
        }
    }
}
