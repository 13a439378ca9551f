package jcipa.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.SelectiveScanOp;

/**
 * Checks golden files of the selective scan alone: for each case prefix {@code P} with
 * {@code P/u, P/delta, P/A, P/B, P/C} (and optional {@code P/D, P/delta_bias}, {@code P/dout}),
 * runs our float32 scan and its backward (gradients of Σ out·dout) and our float64 reference, and
 * compares them with {@code P/out64}, {@code P/grad64_*} (or, where a file has no fp64 twin, with
 * the GPU's {@code P/out}, {@code P/grad_*}). Dimensions come from the tensors' shapes, so any
 * batch, group count, width, length or state size is accepted.
 */
public final class ScanGolden {
    private ScanGolden() {}

    /** Relative tolerance of our float32 results against the fp64 twin. */
    public static final double TOL_FP32_VS_FP64 = 1e-5;
    /** Relative tolerance against the GPU's fp32 result when a file has no fp64 twin. */
    public static final double TOL_FP32_VS_GPU = 1e-4;
    /** Relative tolerance of our float64 reference against the fp64 twin. */
    public static final double TOL_FP64 = 1e-9;

    static final String[] INPUTS = {"u", "delta", "A", "B", "C", "D", "delta_bias"};

    /** True if the file holds at least one scan case. */
    public static boolean recognises(SafeTensors st) { return !cases(st).isEmpty(); }

    /** Case prefixes, in file order. */
    static List<String> cases(SafeTensors st) {
        Set<String> tags = new LinkedHashSet<>();
        for (String n : st.names()) {
            int slash = n.lastIndexOf('/');
            if (slash > 0 && n.substring(slash + 1).equals("u")) {
                String p = n.substring(0, slash);
                if (st.has(p + "/delta") && st.has(p + "/A") && st.has(p + "/B") && st.has(p + "/C")) tags.add(p);
            }
        }
        return new ArrayList<>(tags);
    }

    public static void check(SafeTensors st, Report report) {
        for (String p : cases(st)) checkCase(st, p, report);
    }

    private static void checkCase(SafeTensors st, String p, Report report) {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor[] in = new Tensor[INPUTS.length];
            for (int i = 0; i < INPUTS.length; i++) {
                String name = p + "/" + INPUTS[i];
                if (!st.has(name)) continue;
                Tensor t32 = Tensor.of(st.floats(name), st.shapeInt(name));
                in[i] = t32.to(dt).detach().requiresGrad(true);
            }
            Tensor y = SelectiveScanOp.apply(in[0], in[1], in[2], in[3], in[4], in[5], in[6]);
            boolean grads = st.has(p + "/dout");
            if (grads) y.backward(Tensor.of(st.floats(p + "/dout"), st.shapeInt(p + "/dout")).to(dt));
            String label = dt == DType.F32 ? "fp32" : "fp64 ref";
            compare(st, report, p, label, "out", y, dt);
            if (grads) {
                for (int i = 0; i < INPUTS.length; i++) {
                    if (in[i] == null) continue;
                    compare(st, report, p, label, "grad_" + INPUTS[i], in[i].grad(), dt);
                }
            }
        }
    }

    /** One row: {@code ours} against the fp64 twin ({@code out64}, {@code grad64_x}) or, failing that, the GPU tensor. */
    private static void compare(SafeTensors st, Report report, String p, String label, String what, Tensor ours, DType dt) {
        String twin = p + "/" + (what.equals("out") ? "out64" : what.replace("grad_", "grad64_"));
        String gpuName = p + "/" + what;
        double[] o = ours.toDoubleArray();
        String tensor = what + " (" + label + ")";
        if (st.has(twin)) {
            double[] exact = st.asDoubles(twin);
            Comparison gpu = st.has(gpuName) ? Comparison.of(st.asDoubles(gpuName), exact) : null;
            report.add(Check.of(p, tensor, "fp64", Comparison.of(o, exact), dt == DType.F32 ? gpu : null,
                    dt == DType.F32 ? TOL_FP32_VS_FP64 : TOL_FP64, false));
        } else if (st.has(gpuName)) {
            report.add(Check.of(p, tensor, "gpu", Comparison.of(o, st.asDoubles(gpuName)), null, TOL_FP32_VS_GPU, false));
        } else {
            report.add(Check.notChecked(p, tensor, "the file has neither " + twin + " nor " + gpuName));
        }
    }
}
