package jcipa.data;

/** An 8-bit single-channel image: {@code width·height} unsigned bytes, row-major. */
public record U8Image(int width, int height, byte[] pixels) {
    public U8Image {
        if (width <= 0 || height <= 0 || pixels == null || pixels.length != (long) width * height)
            throw new IllegalArgumentException("U8Image: " + width + "x" + height + " needs " + ((long) width * height)
                    + " pixels, got " + (pixels == null ? "null" : pixels.length));
    }

    /** A black image. */
    public static U8Image zeros(int width, int height) {
        return new U8Image(width, height, new byte[width * height]);
    }

    /** The value at (x, y) as 0–255. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xff;
    }

    /** Same size as {@code other}. */
    public boolean sameSize(U8Image other) {
        return width == other.width && height == other.height;
    }

    public String size() {
        return width + "x" + height;
    }
}
