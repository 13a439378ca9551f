package jcipa.tensor.ops;

import java.util.Arrays;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Reduce;
import jcipa.tensor.ref.ReduceRef;

/**
 * Sums and means over dimensions. Each reduced dimension is summed in a fixed order (the kernel's),
 * one dimension at a time from the last to the first, so results never depend on threads or SIMD.
 * Backward: the gradient is broadcast back over the reduced dimensions (divided by the count for a mean).
 */
public final class Reductions {
    private Reductions() {}

    /** Σ over {@code dims}. */
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        int[] in = x.shape();
        boolean[] reduce = reducedDims("sum", dims, in.length);
        Tensor y = sumKeep(x, reduce);
        int[] kept = y.shape();
        Tensor out = keepDim ? y : Tensor.strided(y, dropped(kept, reduce), Shape.contiguousStrides(dropped(kept, reduce)), 0);
        return Autograd.record("sum", out, g -> new Tensor[] {Views.copyContiguous(Pointwise.broadcastView(g.reshape(kept), in))}, x);
    }

    /** Mean over {@code dims}. */
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        int[] in = x.shape();
        boolean[] reduce = reducedDims("mean", dims, in.length);
        long count = 1;
        for (int i = 0; i < in.length; i++) if (reduce[i]) count *= in[i];
        return sum(x, dims, keepDim).mul(1.0 / count);
    }

    /** Sums {@code g} down to {@code shape} (undoing a broadcast): the backward of every broadcasting op. */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int k = gs.length - shape.length;
        if (k < 0) throw new IllegalArgumentException("sumTo: cannot sum shape " + Shape.str(gs) + " to " + Shape.str(shape));
        boolean[] reduce = new boolean[gs.length];
        for (int i = 0; i < gs.length; i++) reduce[i] = i < k || (shape[i - k] == 1 && gs[i] != 1);
        Tensor y = sumKeep(g, reduce);
        return y.reshape(shape);
    }

    /** Sum over the flagged dimensions, keeping them as size 1; no graph. */
    static Tensor sumKeep(Tensor x, boolean[] reduce) {
        Tensor cur = x.contiguous();
        int[] shape = cur.shape();
        for (int dim = shape.length - 1; dim >= 0; dim--) {
            if (!reduce[dim]) continue;
            int outer = 1, inner = 1, n = shape[dim];
            for (int i = 0; i < dim; i++) outer *= shape[i];
            for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
            int[] ns = shape.clone();
            ns[dim] = 1;
            Tensor next = Tensor.zeros(cur.dtype(), ns);
            if (cur.dtype() == DType.F32)
                Reduce.sumAxis(cur.floats(), outer, n, inner, next.storageFloats());
            else
                ReduceRef.sumAxis(cur.doubles(), outer, n, inner, next.storageDoubles());
            cur = next;
            shape = ns;
        }
        return cur == x ? Views.copyContiguous(x) : cur;
    }

    private static boolean[] reducedDims(String op, int[] dims, int rank) {
        boolean[] r = new boolean[rank];
        for (int d : dims) {
            int dd = Shape.dim(op, d, rank);
            if (r[dd]) throw new IllegalArgumentException(op + ": dimension " + d + " listed twice");
            r[dd] = true;
        }
        return r;
    }

    private static int[] dropped(int[] shape, boolean[] reduce) {
        int n = 0;
        for (boolean b : reduce) if (!b) n++;
        int[] s = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) if (!reduce[i]) s[j++] = shape[i];
        return s;
    }
}
