package jcipa.tensor.ops;

import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.TileTranspose;
import jcipa.tensor.parallel.Parallel;

/**
 * Walking strided views: copying one view into another of the same shape. A copy moves values and
 * does no arithmetic, so how it is split (threads, tiles) cannot change a bit of the result.
 */
public final class Strided {
    private Strided() {}

    /** Elements per parallel task (copies smaller than this run on the calling thread). */
    static final int CHUNK = 1 << 16;
    /** Side of the square tiles a transposing copy moves at a time (two tiles stay in L1). */
    static final int TILE = 32;

    /**
     * Copies the elements of {@code src} into the view {@code dst} (same shape and dtype), in
     * row-major order of the shape. Converts nothing and records no graph.
     */
    public static void copy(Tensor src, Tensor dst) {
        int[] shape = src.shape();
        if (!java.util.Arrays.equals(shape, dst.shape()) || src.dtype() != dst.dtype())
            throw new IllegalArgumentException("copy: " + src.dtype() + java.util.Arrays.toString(shape) + " into " + dst.dtype() + java.util.Arrays.toString(dst.shape()));
        if (src.numel() == 0) return;
        int rank = shape.length;
        int[] ss = src.strides(), ds = dst.strides();
        float[] sf = src.storageFloats(), df = dst.storageFloats();
        if (sf != null && rank >= 2 && ds[rank - 1] == 1 && ss[rank - 1] != 1) {
            int k = contiguousSourceDim(shape, ss);
            if (k >= 0) {
                transposeTiles(sf, src.offset(), ss, df, dst.offset(), ds, shape, k);
                return;
            }
        }
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int rows = src.numel() / inner;
        int rowsPerTask = Math.max(1, CHUNK / inner);
        int sp0 = src.offset(), dp0 = dst.offset();
        if (sf != null) {
            Parallel.forChunks(rows, rowsPerTask, (r0, r1) -> copyRows(sf, sp0, ss, df, dp0, ds, shape, r0, r1));
        } else {
            double[] sd = src.storageDoubles(), dd = dst.storageDoubles();
            Parallel.forChunks(rows, rowsPerTask, (r0, r1) -> copyRows(sd, sp0, ss, dd, dp0, ds, shape, r0, r1));
        }
    }

    /** The outer dimension k (not the last) along which src is contiguous (stride 1, size > 1), or −1. */
    private static int contiguousSourceDim(int[] shape, int[] ss) {
        for (int k = shape.length - 2; k >= 0; k--) if (ss[k] == 1 && shape[k] > 1) return k;
        return -1;
    }


    /** Rows [r0, r1) of the last dimension, each a run of shape[rank−1] elements. */
    private static void copyRows(float[] s, int sBase, int[] ss, float[] d, int dBase, int[] ds, int[] shape, int r0, int r1) {
        int rank = shape.length, inner = rank == 0 ? 1 : shape[rank - 1];
        int sIn = rank == 0 ? 0 : ss[rank - 1], dIn = rank == 0 ? 0 : ds[rank - 1];
        for (int r = r0; r < r1; r++) {
            int sp = rank == 0 ? sBase : Pointwise.rowOffset(r, shape, ss, sBase), dp = rank == 0 ? dBase : Pointwise.rowOffset(r, shape, ds, dBase);
            if (sIn == 1 && dIn == 1) System.arraycopy(s, sp, d, dp, inner);
            else for (int i = 0; i < inner; i++) d[dp + i * dIn] = s[sp + i * sIn];
        }
    }

    private static void copyRows(double[] s, int sBase, int[] ss, double[] d, int dBase, int[] ds, int[] shape, int r0, int r1) {
        int rank = shape.length, inner = rank == 0 ? 1 : shape[rank - 1];
        int sIn = rank == 0 ? 0 : ss[rank - 1], dIn = rank == 0 ? 0 : ds[rank - 1];
        for (int r = r0; r < r1; r++) {
            int sp = rank == 0 ? sBase : Pointwise.rowOffset(r, shape, ss, sBase), dp = rank == 0 ? dBase : Pointwise.rowOffset(r, shape, ds, dBase);
            if (sIn == 1 && dIn == 1) System.arraycopy(s, sp, d, dp, inner);
            else for (int i = 0; i < inner; i++) d[dp + i * dIn] = s[sp + i * sIn];
        }
    }

    /**
     * A copy that is a transpose: src is contiguous along dimension k, dst along the last one.
     * Moves TILE×TILE tiles of the (k, last) plane, so both sides read and write whole cache lines.
     * Tasks: (index over the other dimensions, block of TILE along k).
     */
    private static void transposeTiles(float[] s, int sBase, int[] ss, float[] d, int dBase, int[] ds, int[] shape, int k) {
        int rank = shape.length, last = rank - 1;
        int p = shape[k], q = shape[last], sq = ss[last], dpStride = ds[k];
        int outer = 1;
        for (int i = 0; i < last; i++) if (i != k) outer *= shape[i];
        int pBlocks = (p + TILE - 1) / TILE;
        int tasks = outer * pBlocks, outerCount = outer;
        Parallel.TaskBody body = task -> {
            int o = task / pBlocks, p0 = (task % pBlocks) * TILE, p1 = Math.min(p, p0 + TILE);
            int sp = sBase, dp = dBase, rest = o;
            for (int i = last - 1; i >= 0; i--) {
                if (i == k) continue;
                int idx = rest % shape[i];
                rest /= shape[i];
                sp += idx * ss[i];
                dp += idx * ds[i];
            }
            // W×W register tiles where they fit (a transpose only moves values: the same bits), the rest element-wise
            int w = TileTranspose.AVAILABLE ? TileTranspose.W : 1;
            int pW = w > 1 ? p0 + (p1 - p0) / w * w : p0, qW = w > 1 ? q / w * w : 0;
            for (int i0 = p0; i0 < pW; i0 += w)
                for (int j0 = 0; j0 < qW; j0 += w) TileTranspose.transpose(s, sp + i0 + j0 * sq, sq, d, dp + i0 * dpStride + j0, dpStride);
            for (int q0 = 0; q0 < q; q0 += TILE) {
                int q1 = Math.min(q, q0 + TILE);
                for (int i = p0; i < p1; i++) {
                    int si = sp + i, di = dp + i * dpStride;
                    for (int j = Math.max(q0, i < pW ? qW : 0); j < q1; j++) d[di + j] = s[si + j * sq];
                }
            }
        };
        if ((long) outerCount * p * q < CHUNK) {
            for (int t = 0; t < tasks; t++) body.run(t);
        } else {
            Parallel.forTasks(tasks, body);
        }
    }
}
