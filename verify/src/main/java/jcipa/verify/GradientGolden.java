package jcipa.verify;

import java.util.Map;

import jcipa.model.Cipa;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;

/**
 * Checks the gradients of a golden file: {@code grad/param/<name>}, {@code grad/input/ct|pet} (full)
 * and {@code sample/grad/param/<name>}, {@code stats/grad/param/<name>} (big tensors) are the
 * gradients of {@code out/loss} in eval mode (BatchNorm on running statistics, no drop path). Ours
 * are compared with the fp64 twins ({@code grad64/...}) relative to the twin's largest magnitude,
 * beside the GPU build's own error against the same twin.
 * On the mini case ours are within 6.3e-6 (the GPU's within 9.5e-6) of the twins' largest
 * magnitudes; the tolerance is {@value #TOL_GRAD}. Training-mode gradients are checked through
 * their effect in {@link TrainStepGolden}.
 */
public final class GradientGolden {
    private GradientGolden() {}

    /** Gradients: relative to the fp64 twin's largest magnitude. */
    public static final double TOL_GRAD = 1e-4;

    public static boolean present(SafeTensors st) {
        for (String n : st.names()) if (n.startsWith("grad/") || n.startsWith("sample/grad/")) return true;
        return false;
    }

    /** Eval-mode gradients of the loss on a model holding the file's weights (the model is left in eval mode, gradients cleared). */
    public static void check(SafeTensors st, Report report, Cipa model, Tensor ct, Tensor pet, Tensor target, String caseName) {
        if (!present(st)) return;
        if (!Autograd.isEnabled()) throw new IllegalStateException("GradientGolden: gradients are switched off on this thread");
        model.eval();
        Map<String, Tensor> params = model.namedParameters();
        for (Tensor p : params.values()) p.zeroGrad();
        Tensor ctLeaf = Tensor.of(ct.contiguous().floats().clone(), ct.shape()).requiresGrad(true);
        Tensor petLeaf = Tensor.of(pet.contiguous().floats().clone(), pet.shape()).requiresGrad(true);
        Losses.diceBce(model.forward(ctLeaf, petLeaf), target).backward();

        String part = caseName + " grad";
        for (String n : st.names()) {
            boolean full = n.startsWith("grad/"), sampled = n.startsWith("sample/grad/"), summed = n.startsWith("stats/grad/");
            if (!full && !sampled && !summed) continue;
            String what = n.substring(n.indexOf("grad/") + 5);           // param/<name> or input/ct
            Tensor g = gradient(what, params, ctLeaf, petLeaf);
            if (g == null) {
                report.add(new Check(part, what, "fp64", null, null, Double.NaN, false, Check.Status.FAIL, "we have no gradient for " + what));
                continue;
            }
            double[] ours = g.toDoubleArray();
            String twin = n.replace("grad/", "grad64/");
            boolean exact = st.has(twin);
            double[] ref = st.asDoubles(exact ? twin : n);
            String against = exact ? "fp64" : "gpu";
            if (summed) {
                double[] s = stats(ours);
                double err = Math.max(Math.abs(s[0] - ref[0]) / Math.max(ref[1], 1e-300),
                        Math.max(Math.abs(s[1] - ref[1]) / Math.max(ref[1], 1e-300), Math.abs(s[2] - ref[2]) / Math.max(ref[2], 1e-300)));
                Comparison gpu = null;
                if (exact) {
                    double[] gs = st.asDoubles(n);
                    gpu = new Comparison(Math.max(Math.abs(gs[0] - ref[0]) / Math.max(ref[1], 1e-300),
                            Math.max(Math.abs(gs[1] - ref[1]) / Math.max(ref[1], 1e-300), Math.abs(gs[2] - ref[2]) / Math.max(ref[2], 1e-300))), 1.0);
                }
                report.add(Check.of(what, "grad stats", against, new Comparison(err, 1.0), gpu, TOL_GRAD, false));
                continue;
            }
            if (sampled) ours = sample(ours, ref.length);
            if (ours.length != ref.length) {
                report.add(new Check(what, "grad", against, null, null, Double.NaN, false, Check.Status.FAIL,
                        "our gradient has " + ours.length + " values, the file " + ref.length));
                continue;
            }
            Comparison gpu = exact ? Comparison.of(st.asDoubles(n), ref) : null;
            report.add(Check.of(what, sampled ? "grad sample" : "grad", against, Comparison.of(ours, ref), gpu, TOL_GRAD, false));
        }
        for (Tensor p : params.values()) p.zeroGrad();
    }

    private static Tensor gradient(String what, Map<String, Tensor> params, Tensor ct, Tensor pet) {
        if (what.equals("input/ct")) return ct.grad();
        if (what.equals("input/pet")) return pet.grad();
        if (what.startsWith("param/")) {
            Tensor p = params.get(what.substring(6));
            return p == null ? null : p.grad() != null ? p.grad() : Tensor.zerosLike(p);
        }
        return null;
    }

    /** flat(x)[::s][:k] with s = max(1, numel/k): the golden files' sampling. */
    static double[] sample(double[] x, int k) {
        int step = Math.max(1, x.length / Math.max(k, 1));
        double[] out = new double[k];
        for (int j = 0; j < k && (long) j * step < x.length; j++) out[j] = x[j * step];
        return out;
    }

    /** [Σx, Σ|x|, Σx²] in double. */
    static double[] stats(double[] x) {
        double s1 = 0, s2 = 0, s3 = 0;
        for (double v : x) { s1 += v; s2 += Math.abs(v); s3 += v * v; }
        return new double[] {s1, s2, s3};
    }
}
