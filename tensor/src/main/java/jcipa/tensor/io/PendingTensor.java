package jcipa.tensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** A tensor queued in a {@link SafeTensors.Writer}: a private copy of its array, dtype and shape. */
record PendingTensor(String name, StDType dtype, long[] shape, Object array) {

    /** Bytes of data: numel · dtype size. */
    long byteLength() {
        return switch (array) {
            case float[] a -> 4L * a.length;
            case double[] a -> 8L * a.length;
            case long[] a -> 8L * a.length;
            case int[] a -> 4L * a.length;
            case byte[] a -> a.length;
            default -> throw new IllegalStateException(array.getClass().toString());
        };
    }

    /** Writes the data little-endian through {@code scratch} (any size ≥ 8 bytes). */
    void writeTo(WritableByteChannel out, ByteBuffer scratch) throws IOException {
        scratch.order(ByteOrder.LITTLE_ENDIAN);
        switch (array) {
            case byte[] a -> drain(out, ByteBuffer.wrap(a));
            case float[] a -> {
                for (int i = 0; i < a.length; ) {
                    scratch.clear();
                    int n = Math.min(a.length - i, scratch.capacity() / 4);
                    scratch.asFloatBuffer().put(a, i, n);
                    scratch.limit(4 * n);
                    drain(out, scratch);
                    i += n;
                }
            }
            case double[] a -> {
                for (int i = 0; i < a.length; ) {
                    scratch.clear();
                    int n = Math.min(a.length - i, scratch.capacity() / 8);
                    scratch.asDoubleBuffer().put(a, i, n);
                    scratch.limit(8 * n);
                    drain(out, scratch);
                    i += n;
                }
            }
            case long[] a -> {
                for (int i = 0; i < a.length; ) {
                    scratch.clear();
                    int n = Math.min(a.length - i, scratch.capacity() / 8);
                    scratch.asLongBuffer().put(a, i, n);
                    scratch.limit(8 * n);
                    drain(out, scratch);
                    i += n;
                }
            }
            case int[] a -> {
                for (int i = 0; i < a.length; ) {
                    scratch.clear();
                    int n = Math.min(a.length - i, scratch.capacity() / 4);
                    scratch.asIntBuffer().put(a, i, n);
                    scratch.limit(4 * n);
                    drain(out, scratch);
                    i += n;
                }
            }
            default -> throw new IllegalStateException(array.getClass().toString());
        }
    }

    static void drain(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }
}
