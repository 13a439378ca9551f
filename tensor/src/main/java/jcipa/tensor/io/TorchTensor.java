package jcipa.tensor.io;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One tensor of a {@code .pth} checkpoint, gathered into a contiguous row-major array.
 *
 * <p>Exactly one array is present, chosen by dtype: {@code floats} for float32, float16 and
 * bfloat16 (the narrow formats widened exactly: every float16 and bfloat16 value is a float32
 * value); {@code doubles} for float64; {@code longs} for int64, int32, int16, int8, uint8 and bool
 * (bool as 0/1, uint8 unsigned). The arrays are not copied by the accessors: treat them as
 * read-only (a checkpoint may return the same tensor under several keys).
 *
 * @param dtype  torch dtype name: float32, float64, float16, bfloat16, int64, int32, int16, int8,
 *               uint8 or bool
 * @param shape  the sizes, row-major; empty for a scalar
 */
public record TorchTensor(String dtype, int[] shape, float[] floats, double[] doubles, long[] longs) {

    /** Dtypes that are held in {@link #floats}. */
    public static final Set<String> FLOAT_DTYPES = Set.of("float32", "float16", "bfloat16");
    /** Dtypes that are held in {@link #longs}. */
    public static final Set<String> LONG_DTYPES = Set.of("int64", "int32", "int16", "int8", "uint8", "bool");

    public TorchTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("TorchTensor: negative size in shape " + Arrays.toString(shape));
            n *= d;
        }
        int present = (floats != null ? 1 : 0) + (doubles != null ? 1 : 0) + (longs != null ? 1 : 0);
        if (present != 1) throw new IllegalArgumentException("TorchTensor: exactly one of floats, doubles, longs must be given, got " + present);
        long length;
        if (FLOAT_DTYPES.contains(dtype)) length = floats == null ? -1 : floats.length;
        else if (dtype.equals("float64")) length = doubles == null ? -1 : doubles.length;
        else if (LONG_DTYPES.contains(dtype)) length = longs == null ? -1 : longs.length;
        else throw new IllegalArgumentException("TorchTensor: unknown dtype '" + dtype + "'");
        if (length < 0) throw new IllegalArgumentException("TorchTensor: dtype " + dtype + " needs the other array");
        if (length != n) {
            throw new IllegalArgumentException("TorchTensor: shape " + Arrays.toString(shape) + " has " + n + " elements, array has " + length);
        }
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar). */
    public int numel() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Equal dtype, shape and elements ({@link java.util.Arrays#equals(float[], float[])}: all NaNs equal, 0.0 ≠ -0.0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TorchTensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats) && Arrays.equals(doubles, t.doubles) && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(doubles), Arrays.hashCode(longs));
    }

    @Override
    public String toString() {
        return "TorchTensor[" + dtype + Arrays.toString(shape) + "]";
    }
}
