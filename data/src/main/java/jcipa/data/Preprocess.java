package jcipa.data;

/**
 * What the official data pipeline feeds the network. Intensity: {@code float32(u8) / 255 · 3.2 −
 * 1.6}, each step rounded to float32 in that order, repeated to 3 channels. Mask: foreground where
 * {@code u8 / 255 ≥ 0.5} (no 8-bit value gives exactly 0.5, so this is u8 ≥ 128), stored as 0 or 1.
 * {@code jcipa.model.Inputs} builds its tensors with these methods.
 */
public final class Preprocess {
    private Preprocess() {}

    /** The network input value of one 8-bit pixel. */
    public static float intensity(int u8) {
        float v = (float) u8;
        v = v / 255f;
        v = v * 3.2f;
        return v - 1.6f;
    }

    /** The training target of one 8-bit mask pixel. */
    public static float mask(int u8) {
        return (float) u8 / 255f >= 0.5f ? 1f : 0f;
    }

    /**
     * {@code plane = height·width} pixels of {@code u8} starting at {@code from}, written as three
     * identical channels into {@code out} from {@code offset}: out[offset + c·plane + p].
     */
    public static void image(byte[] u8, int from, int plane, float[] out, int offset) {
        if (from < 0 || plane < 0 || from + plane > u8.length || offset < 0 || offset + 3L * plane > out.length)
            throw new IllegalArgumentException("Preprocess.image: " + plane + " pixels from " + from + " of " + u8.length
                    + " into 3 channels at " + offset + " of " + out.length);
        for (int p = 0; p < plane; p++) {
            float v = intensity(u8[from + p] & 0xff);
            out[offset + p] = v;
            out[offset + plane + p] = v;
            out[offset + 2 * plane + p] = v;
        }
    }

    /** A slice as (3, H, W) float32. */
    public static float[] image(U8Image img) {
        float[] out = new float[3 * img.pixels().length];
        image(img.pixels(), 0, img.pixels().length, out, 0);
        return out;
    }

    /** {@code plane} mask pixels thresholded to 0/1 into {@code out} from {@code offset}. */
    public static void mask(byte[] u8, int from, int plane, float[] out, int offset) {
        if (from < 0 || plane < 0 || from + plane > u8.length || offset < 0 || offset + plane > out.length)
            throw new IllegalArgumentException("Preprocess.mask: " + plane + " pixels from " + from + " of " + u8.length
                    + " at " + offset + " of " + out.length);
        for (int p = 0; p < plane; p++) out[offset + p] = mask(u8[from + p] & 0xff);
    }

    /** A mask as (1, H, W) float32 of 0/1. */
    public static float[] mask(U8Image m) {
        float[] out = new float[m.pixels().length];
        mask(m.pixels(), 0, out.length, out, 0);
        return out;
    }
}
