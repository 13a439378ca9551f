package jcipa.tensor.ops;

import java.util.ArrayList;
import java.util.List;

import jcipa.tensor.Autograd;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * Joining and cutting along a dimension: concat, split, chunk, repeat. The backward of a concat is
 * the slices of the gradient; split and chunk are slices (views); the backward of repeat sums the
 * gradient over the copies.
 */
public final class Joins {
    private Joins() {}

    /** Tensors joined along {@code dim}; all other dimensions must agree. */
    public static Tensor concat(int dim, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors");
        int r = xs[0].rank();
        int dd = Shape.dim("concat", dim, r);
        int[] shape = xs[0].shape();
        int total = 0;
        for (Tensor x : xs) {
            int[] s = x.shape();
            if (x.dtype() != xs[0].dtype()) throw new IllegalArgumentException("concat: dtypes " + xs[0].dtype() + " and " + x.dtype() + " differ");
            boolean ok = s.length == r;
            for (int i = 0; ok && i < r; i++) ok = i == dd || s[i] == shape[i];
            if (!ok) throw new IllegalArgumentException("concat: shapes " + Shape.str(shape) + " and " + Shape.str(s) + " differ outside dimension " + dim);
            total += s[dd];
        }
        shape[dd] = total;
        Tensor y = Tensor.zeros(xs[0].dtype(), shape);
        int[] starts = new int[xs.length + 1];
        for (int i = 0; i < xs.length; i++) {
            starts[i + 1] = starts[i] + xs[i].size(dd);
            Strided.copy(xs[i], sliceView(y, dd, starts[i], starts[i + 1]));
        }
        return Autograd.record("concat", y, g -> {
            Tensor[] gs = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) gs[i] = Views.copyContiguous(sliceView(g, dd, starts[i], starts[i + 1]));
            return gs;
        }, xs);
    }

    /** Pieces of the given sizes along {@code dim} (views). */
    public static List<Tensor> split(Tensor x, int dim, int... sizes) {
        int dd = Shape.dim("split", dim, x.rank());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + java.util.Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.size(dd))
            throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " do not add up to dimension " + dim + " of shape " + Shape.str(x.shape()));
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(Views.slice(x, dd, at, at + s));
            at += s;
        }
        return out;
    }

    /** {@code n} pieces along {@code dim}, each ⌈size/n⌉ long but the last (as torch.chunk). */
    public static List<Tensor> chunk(Tensor x, int n, int dim) {
        if (n < 1) throw new IllegalArgumentException("chunk: number of chunks must be >= 1, got " + n);
        int dd = Shape.dim("chunk", dim, x.rank());
        int size = x.size(dd);
        int step = (size + n - 1) / n;
        List<Tensor> out = new ArrayList<>();
        for (int at = 0; at < size; at += step) out.add(Views.slice(x, dd, at, Math.min(size, at + step)));
        if (size == 0) out.add(x);
        return out;
    }

    /** Tiles the tensor: dimension i is repeated {@code reps[i]} times (as torch.Tensor.repeat). */
    public static Tensor repeat(Tensor x, int... reps) {
        int r = reps.length;
        if (r < x.rank()) throw new IllegalArgumentException("repeat: " + reps.length + " repeats for rank " + x.rank());
        int[] xs = new int[r];
        int k = r - x.rank();
        for (int i = 0; i < r; i++) xs[i] = i < k ? 1 : x.size(i - k);
        // view x as (1, s0, 1, s1, ...), expand to (r0, s0, r1, s1, ...), then merge pairs
        int[] pairShape = new int[2 * r], expanded = new int[2 * r], outShape = new int[r];
        for (int i = 0; i < r; i++) {
            if (reps[i] < 0) throw new IllegalArgumentException("repeat: negative repeat count " + reps[i]);
            pairShape[2 * i] = 1;
            pairShape[2 * i + 1] = xs[i];
            expanded[2 * i] = reps[i];
            expanded[2 * i + 1] = xs[i];
            outShape[i] = reps[i] * xs[i];
        }
        return x.reshape(pairShape).expand(expanded).contiguous().reshape(outShape);
    }

    private static Tensor sliceView(Tensor t, int dim, int start, int end) {
        int[] s = t.shape();
        s[dim] = end - start;
        return Tensor.strided(t, s, t.strides(), t.offset() + start * t.strides()[dim]);
    }
}
