package jcipa.tensor.check;

import java.util.SplittableRandom;
import java.util.function.Function;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * Checks an op's backward against central finite differences in float64.
 *
 * <p>For a function f of float64 tensors, the scalar L = Σ f(x)·W (W fixed random weights) is
 * differentiated twice: by autograd, and numerically as (L(x + h·e_i) − L(x − h·e_i)) / 2h for
 * every element i (or a sample of them). The two must agree within {@code tol} relative to the
 * largest gradient magnitude (plus the same absolute tolerance).
 */
public final class GradCheck {
    private GradCheck() {}

    /** The outcome: the worst error found and where. */
    public record Result(double maxError, double scale, int input, int index, double analytic, double numeric) {
        public double relativeError() { return maxError / Math.max(scale, 1e-300); }
    }

    /**
     * Runs the check. {@code inputs} must be float64 leaves; they are marked as requiring gradients.
     * At most {@code maxPerInput} elements of each input are probed (evenly spread), h is the step.
     */
    public static Result run(Function<Tensor[], Tensor> f, Tensor[] inputs, double h, int maxPerInput, long seed) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.F64) throw new IllegalArgumentException("GradCheck: inputs must be F64, got " + t.dtype() + Shape.str(t.shape()));
            t.zeroGrad();
            t.requiresGrad(true);
        }
        Tensor y0 = f.apply(inputs);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[y0.numel()];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextDouble(-1, 1);
        Tensor weights = Tensor.of(w, y0.shape());
        y0.mul(weights).sum().backward();

        double scale = 0;
        double[][] analytic = new double[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            Tensor g = inputs[k].grad();
            analytic[k] = g == null ? new double[inputs[k].numel()] : g.toDoubleArray();
            for (double v : analytic[k]) scale = Math.max(scale, Math.abs(v));
        }
        Result worst = new Result(0, scale, -1, -1, 0, 0);
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int k = 0; k < inputs.length; k++) {
                double[] data = inputs[k].storageDoubles();
                if (!inputs[k].isContiguous() || inputs[k].offset() != 0)
                    throw new IllegalArgumentException("GradCheck: inputs must be contiguous leaves");
                int n = data.length;
                int step = Math.max(1, n / Math.max(1, maxPerInput));
                for (int i = 0; i < n; i += step) {
                    double keep = data[i];
                    data[i] = keep + h;
                    double lp = weighted(f.apply(inputs), w);
                    data[i] = keep - h;
                    double lm = weighted(f.apply(inputs), w);
                    data[i] = keep;
                    double num = (lp - lm) / (2 * h);
                    double err = Math.abs(num - analytic[k][i]);
                    if (!(err <= worst.maxError()) || Double.isNaN(err))
                        worst = new Result(Double.isNaN(err) ? Double.POSITIVE_INFINITY : err, scale, k, i, analytic[k][i], num);
                }
            }
        }
        return worst;
    }

    /** Runs the check and throws an AssertionError naming {@code what} if the relative error exceeds tol. */
    public static Result assertGradients(String what, Function<Tensor[], Tensor> f, double tol, Tensor... inputs) {
        Result r = run(f, inputs, 1e-6, 64, 12345);
        if (!(r.maxError() <= tol * Math.max(1.0, r.scale())))
            throw new AssertionError(what + ": backward disagrees with finite differences: input " + r.input() + " element " + r.index()
                    + " analytic " + r.analytic() + " numeric " + r.numeric() + " (error " + r.maxError() + ", gradient scale " + r.scale() + ")");
        return r;
    }

    private static double weighted(Tensor y, double[] w) {
        double[] v = y.toDoubleArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * w[i];
        return s;
    }
}
