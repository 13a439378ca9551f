package jcipa.tensor.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a strided view of a storage.
 * Element {@code (i0, ..., ik)} is storage element {@code offset + Σ i_d · stride_d}. The
 * constructor's caller ({@link CheckpointGlobals}) has checked that every such element lies in
 * the storage; {@link #gather} copies them into row-major order.
 */
final class TensorView {
    final PickledStorage storage;
    final long offset;
    final long[] size;
    final long[] stride;
    final int numel;

    TensorView(PickledStorage storage, long offset, long[] size, long[] stride, int numel) {
        this.storage = storage;
        this.offset = offset;
        this.size = size;
        this.stride = stride;
        this.numel = numel;
    }

    /** True when the view is the row-major block starting at {@code offset}. */
    boolean contiguous() {
        long expect = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expect) return false;
            expect *= size[d];
        }
        return true;
    }

    /** The view's elements in row-major order, read from the storage's little-endian bytes. */
    TorchTensor gather(byte[] storageBytes) {
        int[] shape = new int[size.length];
        for (int d = 0; d < size.length; d++) shape[d] = (int) size[d];
        ByteBuffer le = ByteBuffer.wrap(storageBytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] index = storageIndices();
        StorageType t = storage.type();
        return switch (t.kind) {
            case FLOAT -> {
                float[] out = new float[numel];
                if (t == StorageType.FLOAT && index == null) le.asFloatBuffer().get((int) offset, out);
                else for (int n = 0; n < numel; n++) out[n] = t.floatAt(le, at(index, n));
                yield new TorchTensor(t.dtype, shape, out, null, null);
            }
            case DOUBLE -> {
                double[] out = new double[numel];
                if (index == null) le.asDoubleBuffer().get((int) offset, out);
                else for (int n = 0; n < numel; n++) out[n] = t.doubleAt(le, index[n]);
                yield new TorchTensor(t.dtype, shape, null, out, null);
            }
            case LONG -> {
                long[] out = new long[numel];
                if (t == StorageType.LONG && index == null) le.asLongBuffer().get((int) offset, out);
                else for (int n = 0; n < numel; n++) out[n] = t.longAt(le, at(index, n));
                yield new TorchTensor(t.dtype, shape, null, null, out);
            }
        };
    }

    private int at(int[] index, int n) {
        return index == null ? (int) offset + n : index[n];
    }

    /** Storage element of each row-major position, or null for a contiguous view. */
    private int[] storageIndices() {
        if (contiguous()) return null;
        int rank = size.length;
        int[] out = new int[numel];
        long[] i = new long[rank];
        long pos = offset;
        for (int n = 0; n < numel; n++) {
            out[n] = (int) pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++i[d] < size[d]) {
                    pos += stride[d];
                    break;
                }
                pos -= (size[d] - 1) * stride[d];
                i[d] = 0;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return storage.type().dtype + Arrays.toString(size) + " stride " + Arrays.toString(stride) + " offset " + offset
                + " of storage '" + storage.key() + "'";
    }
}
