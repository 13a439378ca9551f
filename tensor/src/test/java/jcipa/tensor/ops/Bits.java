package jcipa.tensor.ops;

import jcipa.tensor.Tensor;

/** The raw bits of a float32 tensor's elements, in order: what the bit-equality tests compare. */
final class Bits {
    private Bits() {}

    static int[] of(Tensor t) {
        float[] f = t.floats();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        return out;
    }
}
