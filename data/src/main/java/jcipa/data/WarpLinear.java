package jcipa.data;

/**
 * OpenCV's {@code warpPerspective(src, M, (w, h), INTER_LINEAR, BORDER_CONSTANT, 0)} on 8-bit
 * images of {@code cn} interleaved channels (the classic implementation, OpenCV 3.x–4.10).
 * <p>
 * Each destination pixel (x, y) samples the source at {@code (X/W, Y/W) = M⁻¹·(x, y, 1)}, the
 * position rounded to 1/32 pixel: {@code X = rint(X·32/W)} in float64 (the row's value at the
 * start of its 64-pixel block plus {@code M⁻¹₀₀·offset}, as OpenCV walks its blocks). The four
 * neighbours are mixed with integer weights {@code (32−ty)(32−tx)}, {@code (32−ty)tx},
 * {@code ty(32−tx)}, {@code ty·tx} (sum 1024) and rounded half up: {@code (Σ + 512) >> 10}.
 * Neighbours outside the image count as 0 (the constant black border); a pixel whose whole 2×2
 * cell lies outside is 0. Bit-identical to OpenCV 4.6 on the cases of {@code OpenCvReferenceTest}
 * (OpenCV 4.11 rewrote its warp kernels; newer releases may round differently).
 */
public final class WarpLinear {
    private WarpLinear() {}

    private static final int TAB = 32, BLOCK = 32;

    /** Warps {@code src} (h, w, cn) by the forward homography {@code m} (row-major 3×3). */
    public static byte[] warp(byte[] src, int w, int h, int cn, double[] m) {
        if (src.length != w * h * cn || m.length != 9 || w <= 0 || h <= 0 || cn <= 0)
            throw new IllegalArgumentException("WarpLinear.warp: " + src.length + " bytes for " + w + "x" + h + "x" + cn + ", matrix of " + m.length);
        double[] M = PerspectiveTransform.invert(m);
        byte[] dst = new byte[src.length];
        int bh0 = Math.min(BLOCK / 2, h), bw0 = Math.min(BLOCK * BLOCK / bh0, w);
        for (int y = 0; y < h; y++) {
            for (int x0 = 0; x0 < w; x0 += bw0) {
                int bw = Math.min(bw0, w - x0);
                double X0 = M[0] * x0 + M[1] * y + M[2];
                double Y0 = M[3] * x0 + M[4] * y + M[5];
                double W0 = M[6] * x0 + M[7] * y + M[8];
                for (int x1 = 0; x1 < bw; x1++) {
                    double W = W0 + M[6] * x1;
                    W = W != 0 ? TAB / W : 0;
                    int X = (int) Math.rint(clampInt((X0 + M[0] * x1) * W));
                    int Y = (int) Math.rint(clampInt((Y0 + M[3] * x1) * W));
                    int sx = saturateShort(X >> 5), sy = saturateShort(Y >> 5);
                    sample(src, w, h, cn, sx, sy, X & (TAB - 1), Y & (TAB - 1), dst, (y * w + x0 + x1) * cn);
                }
            }
        }
        return dst;
    }

    private static void sample(byte[] src, int w, int h, int cn, int sx, int sy, int tx, int ty, byte[] dst, int at) {
        int w00 = (TAB - ty) * (TAB - tx), w01 = (TAB - ty) * tx, w10 = ty * (TAB - tx), w11 = ty * tx;
        if (sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0) {
            for (int c = 0; c < cn; c++) dst[at + c] = 0;
            return;
        }
        boolean x0in = sx >= 0, x1in = sx + 1 < w, y0in = sy >= 0, y1in = sy + 1 < h;
        for (int c = 0; c < cn; c++) {
            int p00 = x0in && y0in ? src[(sy * w + sx) * cn + c] & 0xff : 0;
            int p01 = x1in && y0in ? src[(sy * w + sx + 1) * cn + c] & 0xff : 0;
            int p10 = x0in && y1in ? src[((sy + 1) * w + sx) * cn + c] & 0xff : 0;
            int p11 = x1in && y1in ? src[((sy + 1) * w + sx + 1) * cn + c] & 0xff : 0;
            int sum = p00 * w00 + p01 * w01 + p10 * w10 + p11 * w11; // weights sum to 1024
            dst[at + c] = (byte) ((sum + 512) >> 10);
        }
    }

    private static double clampInt(double v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static int saturateShort(int v) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
}
