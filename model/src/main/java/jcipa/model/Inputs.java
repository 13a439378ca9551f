package jcipa.model;

import jcipa.data.Preprocess;
import jcipa.tensor.Tensor;

/**
 * The network input as the official data pipeline builds it: an 8-bit grayscale slice becomes
 * {@code float32(u8) / 255 · 3.2 − 1.6} (float32 operations in that order), repeated to 3 channels —
 * computed by {@link Preprocess}, the data pipeline's one definition of it.
 */
public final class Inputs {
    private Inputs() {}

    /** u8 (B, H, W) row-major, unsigned bytes → (B, 3, H, W) float32. */
    public static Tensor fromU8(byte[] u8, int batch, int height, int width) {
        int plane = height * width;
        if (u8.length != batch * plane)
            throw new IllegalArgumentException("Inputs: " + u8.length + " bytes cannot be " + batch + " images of " + height + "x" + width);
        float[] out = new float[batch * 3 * plane];
        for (int b = 0; b < batch; b++) Preprocess.image(u8, b * plane, plane, out, b * 3 * plane);
        return Tensor.of(out, batch, 3, height, width);
    }

    /** Mask u8 / 255 as float32, (B, 1, H, W), not thresholded (for 0/255 masks it equals {@link Preprocess#mask}). */
    public static Tensor maskFromU8(byte[] u8, int batch, int height, int width) {
        float[] out = new float[u8.length];
        for (int i = 0; i < u8.length; i++) out[i] = (float) (u8[i] & 0xff) / 255f;
        return Tensor.of(out, batch, 1, height, width);
    }
}
