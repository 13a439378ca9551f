package jcipa.tensor;

/**
 * Element type of a tensor. {@link #F32} is the fast path (vectorised kernels); {@link #F64} runs
 * every op through its readable float64 reference implementation.
 */
public enum DType {
    F32(4), F64(8);

    /** Bytes per element. */
    public final int bytes;

    DType(int bytes) { this.bytes = bytes; }
}
