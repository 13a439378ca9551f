package jcipa.tensor.ops;

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

    /** True if any element is NaN. */
    public static boolean hasNaN(Tensor t) {
        Tensor c = t.contiguous();
        int n = c.numel(), o = c.offset();
        float[] f = c.storageFloats();
        if (f != null) {
            for (int i = 0; i < n; i++) if (f[o + i] != f[o + i]) return true;
        } else {
            double[] d = c.storageDoubles();
            for (int i = 0; i < n; i++) if (d[o + i] != d[o + i]) return true;
        }
        return false;
    }
}
