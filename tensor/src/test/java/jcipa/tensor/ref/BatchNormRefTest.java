package jcipa.tensor.ref;

import static jcipa.tensor.ref.LayerNormRefTest.random;

import java.util.Random;
import java.util.function.DoubleSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The float64 BatchNorm backward (train and eval) against central finite differences. */
class BatchNormRefTest {

    static double dotLoss(double[] y, double[] c) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * c[i];
        return s;
    }

    @Property(tries = 60)
    void backwardMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                                          @ForAll @IntRange(min = 1, max = 6) int hw, @ForAll boolean affine, @ForAll boolean train,
                                          @ForAll long seed) {
        if (n * hw < 2) hw = 2;
        int size = n * c * hw, nn = n, hh = hw;
        Random r = new Random(seed);
        double eps = 1e-3;
        double[] x = random(r, size, 2), cot = random(r, size, 1);
        double[] w = affine ? random(r, c, 1.5) : null, b = affine ? random(r, c, 1.5) : null;
        double[] runMean = random(r, c, 1), runVar = new double[c];
        for (int ch = 0; ch < c; ch++) runVar[ch] = 0.5 + r.nextDouble();
        DoubleSupplier loss = () -> {
            double[] y = new double[size];
            if (train) BatchNormRef.forwardTrain(x, w, b, y, null, null, null, null, nn, c, hh, eps, 0.1);
            else BatchNormRef.forwardEval(x, w, b, runMean, runVar, y, nn, c, hh, eps);
            return dotLoss(y, cot);
        };
        double[] y = new double[size], mean = new double[c], rstd = new double[c];
        double[] dx = new double[size], dw = new double[c], db = new double[c];
        if (train) {
            BatchNormRef.forwardTrain(x, w, b, y, mean, rstd, null, null, n, c, hw, eps, 0.1);
            BatchNormRef.backwardTrain(x, w, mean, rstd, cot, dx, dw, db, n, c, hw);
        } else {
            BatchNormRef.backwardEval(x, w, runMean, runVar, eps, cot, dx, dw, db, n, c, hw);
        }
        LayerNormRefTest.checkGradient(x, dx, loss, "dx");
        if (affine) {
            LayerNormRefTest.checkGradient(w, dw, loss, "dw");
            LayerNormRefTest.checkGradient(b, db, loss, "db");
        }
    }
}
