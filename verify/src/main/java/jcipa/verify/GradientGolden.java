package jcipa.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jcipa.model.Cipa;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;

/**
 * Checks the gradients of a golden model file: with the model in evaluation mode (BatchNorm uses
 * its running statistics), runs {@code loss = diceBce(model(ct, pet), target)} with CT and PET as
 * leaves that require gradients, backpropagates, and compares every stored gradient of the loss:
 * {@code grad/param/<name>}, {@code grad/input/ct|pet} (full tensors), {@code sample/grad/...}
 * ({@code flat(g)[::s][:k]}, {@code s = max(1, numel // k)}, k = the stored sample's length) and
 * {@code stats/grad/...} ({@code [Σg, Σ|g|, Σg²]}), each against its fp64 twin ({@code grad64/...})
 * where the file has one, with the GPU build's own error against that twin beside ours, else
 * against the GPU's fp32 tensor.
 *
 * <p>k is read from each sample's length: the golden README gives k = 1024 for gradient samples,
 * but the mini file holds 4096-element samples (its tiny-512 file does hold 1024). Since a sample
 * shorter than k is a whole tensor (s = 1), the stored length always reproduces the sampling.
 */
public final class GradientGolden {
    private GradientGolden() {}

    /** Every gradient: relative to the reference tensor's largest magnitude (fp64 twin, else GPU fp32). */
    public static final double TOL = 1e-3;

    private static final String[] KINDS = {"", "sample/", "stats/"};

    /** True if the file holds any gradient of the loss. */
    public static boolean recognises(SafeTensors st) {
        for (String n : st.names()) if (gradientName(n) != null) return true;
        return false;
    }

    /**
     * Runs forward and backward of {@code model} (set to evaluation mode; its parameter gradients
     * are reset first) on {@code ct}, {@code pet} (B, 3, S, S) and {@code target} (B, 1, S, S),
     * converted to the model's dtype (a float64 model checks the exactness of our backward), and
     * adds one row per stored gradient tensor to {@code report}. Must not be called inside a
     * no-grad scope (IllegalStateException). Returns our loss.
     */
    public static double check(SafeTensors st, Report report, Cipa model, Tensor ct, Tensor pet, Tensor target, String caseName) {
        Map<String, Tensor> ours = gradients(model, ct, pet, target);
        double loss = ours.remove("loss").item();
        compare(st, report, ours, caseName);
        return loss;
    }

    /**
     * Our gradients by golden name ({@code param/<name>}, {@code input/ct}, {@code input/pet}; a
     * parameter outside the graph maps to null), plus the loss under {@code "loss"}.
     */
    static Map<String, Tensor> gradients(Cipa model, Tensor ct, Tensor pet, Tensor target) {
        if (!Autograd.isEnabled())
            throw new IllegalStateException("GradientGolden: called inside a no-grad scope, where no gradient can be recorded");
        model.eval();
        Map<String, Tensor> params = model.namedParameters();
        for (Tensor p : params.values()) { p.zeroGrad(); p.requiresGrad(true); }
        DType dt = params.values().iterator().next().dtype();   // a float64 model gets float64 inputs
        Tensor ctLeaf = ct.to(dt).detach().requiresGrad(true), petLeaf = pet.to(dt).detach().requiresGrad(true);
        Tensor loss = Losses.diceBce(model.forward(ctLeaf, petLeaf), target.to(dt));
        loss.backward();
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put("param/" + n, p.grad()));
        out.put("input/ct", ctLeaf.grad());
        out.put("input/pet", petLeaf.grad());
        out.put("loss", loss.detach());
        return out;
    }

    /** The gradient a stored name is about ({@code param/x}, {@code input/ct}), or null. */
    static String gradientName(String n) {
        for (String kind : KINDS) {
            if (!n.startsWith(kind)) continue;
            String rest = n.substring(kind.length());
            if (rest.startsWith("grad/")) return rest.substring(5);
            if (rest.startsWith("grad64/")) return rest.substring(7);
        }
        return null;
    }

    static void compare(SafeTensors st, Report report, Map<String, Tensor> ours, String caseName) {
        Set<String> stored = new LinkedHashSet<>();
        for (String n : st.names()) {
            String g = gradientName(n);
            if (g != null) stored.add(g);
        }
        for (String g : stored) {
            String part = g.startsWith("param/") ? g.substring(6) : g;
            if (!ours.containsKey(g)) {
                report.add(new Check(part, "grad", "-", null, null, Double.NaN, false, Check.Status.FAIL,
                        "the model has no " + (g.startsWith("param/") ? "parameter " + part : g)));
                continue;
            }
            Tensor t = ours.get(g);
            double[] x = t == null ? null : t.toDoubleArray();   // null: outside our graph, i.e. zero
            for (String kind : KINDS) {
                String exact = kind + "grad64/" + g, gpu = kind + "grad/" + g;
                if (!st.has(exact) && !st.has(gpu)) continue;
                String label = kind.isEmpty() ? "grad" : kind.substring(0, kind.length() - 1) + " grad";
                double[] ref = st.asDoubles(st.has(exact) ? exact : gpu);
                double[] mine = x == null ? new double[kind.equals("stats/") ? 3 : ref.length] : switch (kind) {
                    case "sample/" -> sample(x, ref.length);
                    case "stats/" -> stats(x);
                    default -> x;
                };
                if (mine.length != ref.length) {
                    report.add(new Check(part, label, "-", null, null, Double.NaN, false, Check.Status.FAIL,
                            "our gradient gives " + mine.length + " values, the file " + ref.length));
                    continue;
                }
                Comparison gpuVsExact = st.has(exact) && st.has(gpu) ? measure(kind, st.asDoubles(gpu), ref) : null;
                report.add(Check.of(part, label, st.has(exact) ? "fp64" : "gpu", measure(kind, mine, ref), gpuVsExact, TOL, false));
            }
        }
        // gradients the file lacks stand for PyTorch's None (outside the graph): ours must be none or zero
        List<String> absent = new ArrayList<>(), nonZero = new ArrayList<>();
        for (var e : ours.entrySet()) {
            if (stored.contains(e.getKey())) continue;
            absent.add(e.getKey());
            if (e.getValue() != null && maxAbs(e.getValue().toDoubleArray()) != 0) nonZero.add(e.getKey());
        }
        if (!nonZero.isEmpty())
            report.add(new Check(caseName, "grads absent from the file", "-", null, null, Double.NaN, false, Check.Status.FAIL,
                    "the file has no gradient (PyTorch: None) for " + absent.size() + " tensors, but ours is non-zero for " + nonZero.size()
                            + ", e.g. " + nonZero.get(0)));
        else if (!absent.isEmpty())
            report.line("no golden gradient " + caseName + ": " + absent.size() + " tensors (ours are zero or none), e.g. " + absent.get(0));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Samples and full tensors element by element; stats as ModelGolden compares summed activations. */
    static Comparison measure(String kind, double[] mine, double[] ref) {
        if (!kind.equals("stats/")) return Comparison.of(mine, ref);
        // Σx relative to Σ|x| (it may cancel); Σ|x| and Σx² relative to themselves
        double err = Math.max(Math.abs(mine[0] - ref[0]) / Math.max(ref[1], 1e-300),
                Math.max(Math.abs(mine[1] - ref[1]) / Math.max(ref[1], 1e-300), Math.abs(mine[2] - ref[2]) / Math.max(ref[2], 1e-300)));
        return new Comparison(ref[1] == 0 && ref[2] == 0 ? Math.abs(mine[0]) + mine[1] + mine[2] : err, 1.0);
    }

    /** flat(x)[::s][:k], s = max(1, numel // k). */
    static double[] sample(double[] x, int k) {
        int s = Math.max(1, x.length / Math.max(k, 1));
        int n = Math.min(k, (x.length + s - 1) / s);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[i * s];
        return out;
    }

    /** [Σx, Σ|x|, Σx²] in float64. */
    static double[] stats(double[] x) {
        double sum = 0, abs = 0, sq = 0;
        for (double v : x) { sum += v; abs += Math.abs(v); sq += v * v; }
        return new double[] {sum, abs, sq};
    }
}
