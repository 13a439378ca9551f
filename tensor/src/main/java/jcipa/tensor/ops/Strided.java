package jcipa.tensor.ops;

import jcipa.tensor.Tensor;

/** Walking strided views: copying one view into another of the same shape. */
public final class Strided {
    private Strided() {}

    /**
     * Copies the elements of {@code src} into the view {@code dst} (same shape and dtype), in
     * row-major order of the shape. Converts nothing and records no graph.
     */
    public static void copy(Tensor src, Tensor dst) {
        int[] shape = src.shape();
        if (!java.util.Arrays.equals(shape, dst.shape()) || src.dtype() != dst.dtype())
            throw new IllegalArgumentException("copy: " + src.dtype() + java.util.Arrays.toString(shape) + " into " + dst.dtype() + java.util.Arrays.toString(dst.shape()));
        int rank = shape.length;
        if (src.numel() == 0) return;
        int[] ss = src.strides(), ds = dst.strides();
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int sIn = rank == 0 ? 0 : ss[rank - 1], dIn = rank == 0 ? 0 : ds[rank - 1];
        int[] idx = new int[Math.max(rank - 1, 0)];
        int sp = src.offset(), dp = dst.offset();
        float[] sf = src.storageFloats(), df = dst.storageFloats();
        double[] sd = src.storageDoubles(), dd = dst.storageDoubles();
        int rows = src.numel() / inner;
        for (int r = 0; r < rows; r++) {
            if (sf != null) {
                if (sIn == 1 && dIn == 1) System.arraycopy(sf, sp, df, dp, inner);
                else for (int i = 0; i < inner; i++) df[dp + i * dIn] = sf[sp + i * sIn];
            } else {
                if (sIn == 1 && dIn == 1) System.arraycopy(sd, sp, dd, dp, inner);
                else for (int i = 0; i < inner; i++) dd[dp + i * dIn] = sd[sp + i * sIn];
            }
            // advance the odometer over the outer dimensions
            for (int k = rank - 2; k >= 0; k--) {
                idx[k]++;
                sp += ss[k];
                dp += ds[k];
                if (idx[k] < shape[k]) break;
                sp -= ss[k] * shape[k];
                dp -= ds[k] * shape[k];
                idx[k] = 0;
            }
        }
    }
}
