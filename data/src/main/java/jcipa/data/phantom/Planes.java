package jcipa.data.phantom;

/** Operations on float64 images (w × h, row-major) used to imitate scanner physics. */
final class Planes {
    private Planes() {}

    /** Separable Gaussian blur of standard deviation {@code sigma} pixels, edges replicated. */
    static double[] blur(double[] img, int w, int h, double sigma) {
        if (sigma <= 0) return img.clone();
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        double[] tmp = new double[img.length], out = new double[img.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) s += k[i + r] * img[y * w + Math.min(w - 1, Math.max(0, x + i))];
                tmp[y * w + x] = s;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) s += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                out[y * w + x] = s;
            }
        return out;
    }

    /** Mean over f × f blocks: the image at 1/f of the resolution ((w/f) × (h/f), w and h divisible by f). */
    static double[] down(double[] img, int w, int h, int f) {
        int lw = w / f, lh = h / f;
        double[] out = new double[lw * lh];
        for (int y = 0; y < lh * f; y++)
            for (int x = 0; x < lw * f; x++) out[(y / f) * lw + x / f] += img[y * w + x] / (f * f);
        return out;
    }

    /** Bilinear upsampling of a (lw × lh) image by {@code f}, half-pixel centres, edges replicated. */
    static double[] up(double[] low, int lw, int lh, int f) {
        int w = lw * f, h = lh * f;
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, Math.min(lh - 1, (y + 0.5) / f - 0.5));
            int y0 = Math.min((int) fy, lh - 1), y1 = Math.min(y0 + 1, lh - 1);
            double ty = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, Math.min(lw - 1, (x + 0.5) / f - 0.5));
                int x0 = Math.min((int) fx, lw - 1), x1 = Math.min(x0 + 1, lw - 1);
                double tx = fx - x0;
                out[y * w + x] = (1 - ty) * ((1 - tx) * low[y0 * lw + x0] + tx * low[y0 * lw + x1]) + ty * ((1 - tx) * low[y1 * lw + x0] + tx * low[y1 * lw + x1]);
            }
        }
        return out;
    }

    /** Rounded and clamped to 0–255. */
    static byte[] toU8(double[] img) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) out[i] = (byte) Math.max(0, Math.min(255, Math.round(img[i])));
        return out;
    }
}
