package jcipa.tensor;

import java.util.Arrays;

/** Small helpers for shapes (int arrays) and row-major strides. */
public final class Shape {
    private Shape() {}

    /** Number of elements; throws on overflow past int range (a tensor holds at most 2^31-1 elements). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= s;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Resolves a possibly negative dimension index against a rank. */
    public static int dim(String op, int d, int rank) {
        int r = d < 0 ? d + rank : d;
        if (r < 0 || r >= rank) throw new IllegalArgumentException(op + ": dimension " + d + " out of range for rank " + rank);
        return r;
    }

    /** The broadcast shape of two shapes (NumPy/PyTorch rules), or an error naming the op. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " cannot be broadcast together");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    public static String str(int[] shape) { return Arrays.toString(shape); }

    public static int[] of(int... dims) { return dims.clone(); }
}
