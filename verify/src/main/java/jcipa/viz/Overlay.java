package jcipa.viz;

import java.awt.image.BufferedImage;

/**
 * A PET-CT fusion picture with a segmentation outline: the CT in gray, the PET over it in the
 * "hot" colour map (black → red → yellow → white) with opacity proportional to uptake
 * (α = 0.7 · PET/255, so background PET leaves the CT visible), and the boundary of the predicted
 * mask (mask pixels with a 4-neighbour outside the mask or the image) in cyan, which the hot map
 * never produces.
 */
public final class Overlay {
    private Overlay() {}

    static final int OUTLINE = 0x00ffff;
    private static final double MAX_ALPHA = 0.7;

    /** {@code ct}, {@code pet}: h×w row-major unsigned bytes; {@code mask}: h×w, true = tumour. */
    public static BufferedImage render(byte[] ct, byte[] pet, boolean[] mask, int h, int w) {
        int n = h * w;
        if (h <= 0 || w <= 0 || ct.length != n || pet.length != n || mask.length != n)
            throw new IllegalArgumentException("Overlay.render: " + h + "x" + w + " needs " + n + " pixels, got CT " + ct.length
                    + ", PET " + pet.length + ", mask " + mask.length);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                img.setRGB(x, y, edge(mask, h, w, y, x) ? OUTLINE : fuse(ct[i] & 0xff, pet[i] & 0xff));
            }
        return img;
    }

    /** Gray CT blended with hot(PET) at opacity 0.7 · PET/255. */
    static int fuse(int ct, int pet) {
        double t = pet / 255.0, a = MAX_ALPHA * t;
        double r = clamp(3 * t), g = clamp(3 * t - 1), b = clamp(3 * t - 2);
        return rgb(mix(ct, r, a), mix(ct, g, a), mix(ct, b, a));
    }

    private static boolean edge(boolean[] m, int h, int w, int y, int x) {
        if (!m[y * w + x]) return false;
        return y == 0 || x == 0 || y == h - 1 || x == w - 1
                || !m[(y - 1) * w + x] || !m[(y + 1) * w + x] || !m[y * w + x - 1] || !m[y * w + x + 1];
    }

    private static int mix(int gray, double colour, double a) { return (int) Math.round((1 - a) * gray + a * 255 * colour); }

    private static double clamp(double v) { return Math.max(0, Math.min(1, v)); }

    private static int rgb(int r, int g, int b) { return (r << 16) | (g << 8) | b; }
}
