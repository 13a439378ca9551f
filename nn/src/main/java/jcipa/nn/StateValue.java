package jcipa.nn;

import jcipa.tensor.Tensor;

/** One entry of a state dict: a float tensor (parameter or buffer) or an int64 buffer. */
public sealed interface StateValue {

    /** The shape of the entry. */
    int[] shape();

    /** The PyTorch dtype name ({@code float32}, {@code float64}, {@code int64}). */
    String dtypeName();

    /** A float tensor entry; {@link #set} replaces the values in place (shape must agree). */
    final class Floats implements StateValue {
        private Tensor value;

        Floats(Tensor value) { this.value = value; }

        public Tensor tensor() { return value; }

        /** Overwrites the values (converted to this entry's dtype), keeping the tensor object. */
        public void set(double[] values) {
            if (values.length != value.numel())
                throw new IllegalArgumentException("state value of shape " + java.util.Arrays.toString(value.shape()) + " cannot take " + values.length + " values");
            float[] f = value.storageFloats();
            if (f != null) {
                for (int i = 0; i < values.length; i++) f[value.offset() + i] = (float) values[i];
            } else {
                System.arraycopy(values, 0, value.storageDoubles(), value.offset(), values.length);
            }
        }

        /** Replaces the tensor (e.g. a running statistic recomputed out of place). */
        public void replace(Tensor t) {
            if (!java.util.Arrays.equals(t.shape(), value.shape()))
                throw new IllegalArgumentException("state value of shape " + java.util.Arrays.toString(value.shape()) + " replaced by " + java.util.Arrays.toString(t.shape()));
            this.value = t;
        }

        @Override public int[] shape() { return value.shape(); }

        @Override public String dtypeName() { return value.dtype() == jcipa.tensor.DType.F32 ? "float32" : "float64"; }
    }

    /** An int64 entry such as {@code num_batches_tracked} (a scalar: shape []). */
    final class Int64 implements StateValue {
        private final long[] values;

        Int64(long[] values) { this.values = values.clone(); }

        public long[] values() { return values; }

        @Override public int[] shape() { return values.length == 1 ? new int[0] : new int[] {values.length}; }

        @Override public String dtypeName() { return "int64"; }
    }
}
