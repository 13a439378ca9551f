package jcipa.data;

/** {@code cv2.flip(img, 1)}: mirror left–right (column x becomes w−1−x), channels kept together. */
public final class Flip {
    private Flip() {}

    public static byte[] horizontal(byte[] src, int w, int h, int cn) {
        if (src.length != w * h * cn) throw new IllegalArgumentException("Flip.horizontal: " + src.length + " bytes for " + w + "x" + h + "x" + cn);
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                System.arraycopy(src, (y * w + x) * cn, dst, (y * w + w - 1 - x) * cn, cn);
        return dst;
    }
}
