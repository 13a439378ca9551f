package jcipa.tensor.ops;

import java.util.Arrays;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * Views share storage with their input and only change shape, strides and offset. Each backward
 * undoes the geometry: reshape reshapes back, permute applies the inverse permutation, a slice puts
 * the gradient into a zero tensor, a flip flips back, an expand sums over the expanded dimensions.
 */
public final class Views {
    private Views() {}

    /** A contiguous copy, no graph. */
    public static Tensor copyContiguous(Tensor x) {
        Tensor out = Tensor.unfilled(x.dtype(), x.shape());                 // every element is copied
        Strided.copy(x, out);
        return out;
    }

    /** Same values, contiguous layout. d/dx = identity. */
    public static Tensor contiguous(Tensor x) {
        Tensor y = copyContiguous(x);
        return Autograd.record("contiguous", y, g -> new Tensor[] {g}, x);
    }

    /** Dtype conversion (float64 to float32 rounds to nearest). The gradient converts back. */
    public static Tensor convert(Tensor x, DType to) {
        int n = x.numel();
        Tensor c = x.contiguous();
        Tensor y;
        if (to == DType.F32) {
            double[] s = c.doubles();
            float[] o = new float[n];
            for (int i = 0; i < n; i++) o[i] = (float) s[i];
            y = Tensor.of(o, x.shape());
        } else {
            float[] s = c.floats();
            double[] o = new double[n];
            for (int i = 0; i < n; i++) o[i] = s[i];
            y = Tensor.of(o, x.shape());
        }
        DType from = x.dtype();
        return Autograd.record("to" + to, y, g -> new Tensor[] {g.to(from)}, x);
    }

    /** Same elements in a new shape (one dimension may be -1). A view when the input is contiguous. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] shape = inferShape("reshape", x, newShape);
        Tensor c = x.contiguous();
        Tensor y = Tensor.strided(c, shape, Shape.contiguousStrides(shape), c.offset());
        int[] old = x.shape();
        return Autograd.record("reshape", y, g -> new Tensor[] {reshape(g, old)}, c);
    }

    private static int[] inferShape(String op, Tensor x, int[] newShape) {
        int[] s = newShape.clone();
        int free = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (free >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + Arrays.toString(newShape));
                free = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + s[i] + " in " + Arrays.toString(newShape));
            } else known *= s[i];
        }
        int n = x.numel();
        if (free >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException(op + ": cannot view shape " + Shape.str(x.shape()) + " as " + Arrays.toString(newShape));
            s[free] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot view shape " + Shape.str(x.shape()) + " (" + n + " elements) as " + Arrays.toString(newShape));
        }
        return s;
    }

    /** Reorders dimensions: output dimension i is input dimension dims[i]. */
    public static Tensor permute(Tensor x, int... dims) {
        int r = x.rank();
        if (dims.length != r) throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " for rank " + r);
        int[] shape = x.shape(), st = x.strides();
        int[] ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int dd = Shape.dim("permute", dims[i], r);
            if (used[dd]) throw new IllegalArgumentException("permute: repeated dimension in " + Arrays.toString(dims));
            used[dd] = true;
            ns[i] = shape[dd];
            nst[i] = st[dd];
            inverse[dd] = i;
        }
        Tensor y = Tensor.strided(x, ns, nst, x.offset());
        return Autograd.record("permute", y, g -> new Tensor[] {permute(g, inverse)}, x);
    }

    /** Swaps two dimensions. */
    public static Tensor transpose(Tensor x, int a, int b) {
        int r = x.rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        int ia = Shape.dim("transpose", a, r), ib = Shape.dim("transpose", b, r);
        p[ia] = ib;
        p[ib] = ia;
        return permute(x, p);
    }

    /** Elements start..end-1 along {@code dim}. */
    public static Tensor slice(Tensor x, int dim, int start, int end) {
        int dd = Shape.dim("slice", dim, x.rank());
        int[] shape = x.shape(), st = x.strides();
        if (start < 0 || end > shape[dd] || start > end)
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for dimension " + dim + " of shape " + Shape.str(shape));
        shape[dd] = end - start;
        Tensor y = Tensor.strided(x, shape, st, x.offset() + start * st[dd]);
        int[] full = x.shape();
        DType dt = x.dtype();
        return Autograd.record("slice", y, g -> {
            Tensor z = Tensor.zeros(dt, full);
            Strided.copy(g, slice(z, dd, start, end));
            return new Tensor[] {z};
        }, x);
    }

    /** Reverses the order of elements along each listed dimension (a view with negative strides). */
    public static Tensor flip(Tensor x, int... dims) {
        int[] shape = x.shape(), st = x.strides();
        int off = x.offset();
        for (int dim : dims) {
            int dd = Shape.dim("flip", dim, x.rank());
            if (shape[dd] > 0) off += (shape[dd] - 1) * st[dd];
            st[dd] = -st[dd];
        }
        Tensor y = Tensor.strided(x, shape, st, off);
        return Autograd.record("flip", y, g -> new Tensor[] {flip(g, dims)}, x);
    }

    /** Broadcasts dimensions of size 1 (and new leading dimensions) to a larger shape, with stride 0. */
    public static Tensor expand(Tensor x, int... newShape) {
        int r = newShape.length, xr = x.rank();
        if (r < xr) throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(x.shape()) + " to " + Arrays.toString(newShape));
        int[] shape = x.shape(), st = x.strides();
        int[] ns = new int[r], nst = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - xr);
            int want = newShape[i];
            if (j < 0) {
                ns[i] = want;
                nst[i] = 0;
            } else if (want == -1 || want == shape[j]) {
                ns[i] = shape[j];
                nst[i] = st[j];
            } else if (shape[j] == 1) {
                ns[i] = want;
                nst[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to " + Arrays.toString(newShape));
            }
        }
        Tensor y = Tensor.strided(x, ns, nst, x.offset());
        int[] orig = x.shape();
        return Autograd.record("expand", y, g -> new Tensor[] {Reductions.sumTo(g, orig)}, x);
    }

    /** Inserts a dimension of size 1 at {@code dim} (0..rank). */
    public static Tensor unsqueeze(Tensor x, int dim) {
        int r = x.rank();
        int dd = dim < 0 ? dim + r + 1 : dim;
        if (dd < 0 || dd > r) throw new IllegalArgumentException("unsqueeze: dimension " + dim + " out of range for rank " + r);
        int[] s = x.shape();
        int[] ns = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) ns[i] = i == dd ? 1 : s[j++];
        return reshape(x, ns);
    }

    /** Removes a dimension of size 1. */
    public static Tensor squeeze(Tensor x, int dim) {
        int dd = Shape.dim("squeeze", dim, x.rank());
        int[] s = x.shape();
        if (s[dd] != 1) throw new IllegalArgumentException("squeeze: dimension " + dim + " of shape " + Shape.str(s) + " is not 1");
        int[] ns = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != dd) ns[j++] = s[i];
        return reshape(x, ns);
    }
}
