package jcipa.tensor.ops;

import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;

import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * Fails an op that produced NaN, naming the op and the shapes of its inputs. On by default; one
 * pass over the op's output (and over the inputs only when a NaN is found). Switch off with
 * {@code -Djcipa.nancheck=false} (benchmarks of kernels alone do; results never depend on it).
 */
public final class NanCheck {
    private NanCheck() {}

    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("jcipa.nancheck", "true"));

    /** Throws if {@code out} holds a NaN; says whether an input already held one. Returns {@code out}. */
    public static Tensor check(String op, Tensor out, Tensor... inputs) {
        if (!ENABLED || !hasNaN(out)) return out;
        StringBuilder shapes = new StringBuilder();
        int nanInput = -1;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) continue;
            shapes.append(shapes.length() > 0 ? ", " : "").append(Shape.str(inputs[i].shape()));
            if (nanInput < 0 && hasNaN(inputs[i])) nanInput = i;
        }
        String what = nanInput >= 0
                ? "input " + nanInput + " already contains NaN"
                : "produced NaN from inputs without NaN (e.g. log or sqrt of a negative number, 0/0, inf-inf)";
        throw new ArithmeticException(op + ": " + what + "; input shapes " + shapes + ", output shape " + Shape.str(out.shape()));
    }

    /** True if any element is NaN. Walks views in place (no copy); float rows go a vector at a time. */
    public static boolean hasNaN(Tensor t) {
        if (t.numel() == 0) return false;
        int[] shape = t.shape(), strides = t.strides();
        int rank = shape.length;
        if (t.isContiguous()) return hasNaN(t, t.offset(), t.numel());
        int inner = shape[rank - 1], step = strides[rank - 1];
        int rows = t.numel() / inner;
        for (int r = 0; r < rows; r++) {
            int p = t.offset(), rest = r;
            for (int k = rank - 2; k >= 0; k--) {
                p += rest % shape[k] * strides[k];
                rest /= shape[k];
            }
            if (step == 1) {
                if (hasNaN(t, p, inner)) return true;
            } else {
                float[] f = t.storageFloats();
                double[] d = t.storageDoubles();
                for (int i = 0; i < inner; i++) {
                    int q = p + i * step;
                    if (f != null ? f[q] != f[q] : d[q] != d[q]) return true;
                }
            }
        }
        return false;
    }

    /** Elements per task of the parallel scan of a large contiguous output. */
    private static final int CHUNK = 1 << 18;

    /** True if storage elements [from, from+n) hold a NaN; large runs are scanned in fixed chunks in parallel. */
    private static boolean hasNaN(Tensor t, int from, int n) {
        if (n <= 2 * CHUNK || t.storageFloats() == null) return hasNaNRun(t, from, n);
        return Parallel.anyTask(Parallel.chunkCount(n, CHUNK), c -> hasNaNRun(t, from + c * CHUNK, (int) Math.min(n, (c + 1L) * CHUNK) - c * CHUNK));
    }

    /** True if storage elements [from, from+n) hold a NaN, in one pass on this thread. */
    private static boolean hasNaNRun(Tensor t, int from, int n) {
        float[] f = t.storageFloats();
        if (f == null) {
            double[] d = t.storageDoubles();
            for (int i = from; i < from + n; i++) if (d[i] != d[i]) return true;
            return false;
        }
        return Simd.hasNaN(f, from, n);
    }
}
