package jcipa.nn;

/**
 * A tensor as a weight file stores it: shape, PyTorch dtype name and values (float32 values in
 * {@code floats}, integer values in {@code longs}; the other is null). Loaders of every format
 * (safetensors, .pth, generated weights) produce these.
 */
public record StoredTensor(int[] shape, String dtype, float[] floats, long[] longs) {

    public static StoredTensor ofFloats(float[] v, int... shape) { return new StoredTensor(shape.clone(), "float32", v, null); }

    public static StoredTensor ofLongs(long[] v, int... shape) { return new StoredTensor(shape.clone(), "int64", null, v); }

    public int numel() { return floats != null ? floats.length : longs.length; }
}
