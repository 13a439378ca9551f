package jcipa.data;

/**
 * OpenCV's {@code cv2.resize(src, (dw, dh), interpolation=INTER_CUBIC)} on 8-bit images of
 * {@code cn} interleaved channels (its generic, non-IPP code path).
 * <p>
 * Source coordinate of destination column dx: {@code fx = float32((dx + ½)·sw/dw − ½)} (half-pixel
 * centres, with {@code sw/dw} computed as {@code 1/(dw/sw)} in float64); taps at
 * {@code ⌊fx⌋−1 … ⌊fx⌋+2}, clamped to the image (replicated border), weighted by Keys' cubic with
 * a = −0.75 evaluated in float32 on {@code t = fx − ⌊fx⌋} and quantised to integers out of 2048.
 * Rows are filtered first (exact integer sums), then columns: where OpenCV's 128-bit SIMD loop
 * runs (the first {@code 8·⌊dw·cn/8⌋} values of a row) the four row sums are weighted in float32
 * ({@code s0·b0 + (s1·b1 + (s2·b2 + s3·b3))}, b = weight/2048²) and rounded half to even; the rest
 * use integers, {@code (Σ + 2²¹) >> 22}. Both saturate to 0–255. Bit-identical to OpenCV 4.6 on
 * the cases of {@code OpenCvReferenceTest}. (Builds that hand 8-bit cubic resizes to Intel IPP may
 * differ in rounding.)
 */
public final class CubicResize {
    private CubicResize() {}

    static final int SCALE = 2048, SIMD_LANES = 8;

    /** {@code src} (sh, sw, cn) resized to (dh, dw, cn). Equal sizes copy, as OpenCV does. */
    public static byte[] resize(byte[] src, int sw, int sh, int cn, int dw, int dh) {
        if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 || cn <= 0 || src.length != sw * sh * cn)
            throw new IllegalArgumentException("CubicResize.resize: " + src.length + " bytes for " + sw + "x" + sh + "x" + cn + " → " + dw + "x" + dh);
        if (sw == dw && sh == dh) return src.clone();
        int[] xofs = new int[dw];
        short[] alpha = new short[4 * dw];
        taps(sw, dw, xofs, alpha);
        int[] yofs = new int[dh];
        short[] beta = new short[4 * dh];
        taps(sh, dh, yofs, beta);

        int width = dw * cn;
        int[][] rows = new int[4][width];
        byte[] dst = new byte[dh * width];
        int vectorEnd = width / SIMD_LANES * SIMD_LANES;
        for (int dy = 0; dy < dh; dy++) {
            for (int k = 0; k < 4; k++) horizontal(src, sw, cn, clamp(yofs[dy] - 1 + k, sh), xofs, alpha, rows[k]);
            float scale = 1f / (SCALE * SCALE);
            float b0 = beta[4 * dy] * scale, b1 = beta[4 * dy + 1] * scale, b2 = beta[4 * dy + 2] * scale, b3 = beta[4 * dy + 3] * scale;
            for (int x = 0; x < width; x++) {
                int v;
                if (x < vectorEnd) {
                    float s = (float) rows[0][x] * b0 + ((float) rows[1][x] * b1 + ((float) rows[2][x] * b2 + (float) rows[3][x] * b3));
                    v = (int) Math.rint(s);
                } else {
                    int sum = rows[0][x] * beta[4 * dy] + rows[1][x] * beta[4 * dy + 1] + rows[2][x] * beta[4 * dy + 2] + rows[3][x] * beta[4 * dy + 3];
                    v = (sum + (1 << 21)) >> 22;
                }
                dst[dy * width + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return dst;
    }

    /** Row {@code sy} filtered along x: exact integer sums of four taps (weights out of 2048). */
    private static void horizontal(byte[] src, int sw, int cn, int sy, int[] xofs, short[] alpha, int[] out) {
        int row = sy * sw * cn;
        for (int dx = 0; dx < xofs.length; dx++) {
            for (int c = 0; c < cn; c++) {
                int sum = 0;
                for (int j = 0; j < 4; j++) sum += (src[row + clamp(xofs[dx] - 1 + j, sw) * cn + c] & 0xff) * alpha[4 * dx + j];
                out[dx * cn + c] = sum;
            }
        }
    }

    /** First tap index and quantised weights of every destination index along one axis. */
    static void taps(int srcLen, int dstLen, int[] ofs, short[] weights) {
        double scale = 1.0 / ((double) dstLen / srcLen);
        float[] c = new float[4];
        for (int d = 0; d < dstLen; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            ofs[d] = s;
            cubic(f, c);
            for (int k = 0; k < 4; k++) weights[4 * d + k] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.rint(c[k] * SCALE)));
        }
    }

    /** Keys' cubic convolution weights (a = −0.75) of the taps at −1−t, −t, 1−t, 2−t, in float32. */
    static void cubic(float t, float[] c) {
        final float a = -0.75f;
        c[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
        c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
        c[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
        c[3] = 1f - c[0] - c[1] - c[2];
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
