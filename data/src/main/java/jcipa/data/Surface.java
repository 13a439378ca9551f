package jcipa.data;

/**
 * The surface of a 2-D binary mask as medpy takes it: the mask minus its binary erosion by the
 * 4-connected cross (scipy's {@code generate_binary_structure(2, 1)}), with pixels outside the
 * image counted as background. So a foreground pixel is on the surface when any of its four
 * neighbours is background or lies outside the image.
 */
public final class Surface {
    private Surface() {}

    /** The surface pixels of {@code mask} (h×w, row-major). */
    public static boolean[] of(boolean[] mask, int h, int w) {
        Hd95.checkDims("Surface.of", mask, h, w);
        boolean[] s = new boolean[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!mask[i]) continue;
                boolean interior = y > 0 && y < h - 1 && x > 0 && x < w - 1
                        && mask[i - w] && mask[i + w] && mask[i - 1] && mask[i + 1];
                s[i] = !interior;
            }
        return s;
    }
}
