package jcipa.viz;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * 8-bit grayscale PNG images, the format of the PCLT20K slices (the official code reads them with
 * {@code cv2.IMREAD_GRAYSCALE}). Anything else — RGB, palette, alpha, 16-bit — is refused with a
 * message saying what the file is, rather than silently converted.
 */
public final class GrayPng {
    private GrayPng() {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A grayscale image: row-major unsigned bytes. */
    public record Image(int width, int height, byte[] pixels) {}

    public static Image read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (!java.util.Arrays.equals(head, SIGNATURE)) throw new IOException(file + ": not a PNG file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) throw new IOException(file + ": unreadable PNG");
        var cm = img.getColorModel();
        int bits = img.getSampleModel().getSampleSize(0);
        if (cm instanceof java.awt.image.IndexColorModel)
            throw new IOException(file + ": a palette (indexed-colour) PNG; an 8-bit grayscale PNG is needed");
        if (cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY || cm.getNumComponents() != 1)
            throw new IOException(file + ": " + cm.getNumComponents() + " channels (" + (cm.hasAlpha() ? "with alpha" : "colour")
                    + "); an 8-bit grayscale PNG is needed");
        if (bits != 8)
            throw new IOException(file + ": " + bits + "-bit grayscale; an 8-bit grayscale PNG is needed (the official pipeline reads 8-bit slices)");
        int w = img.getWidth(), h = img.getHeight();
        int[] samples = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) samples[i];
        return new Image(w, h, px);
    }

    /** Writes an 8-bit grayscale PNG. */
    public static void write(Path file, Image image) throws IOException {
        if (!ImageIO.write(toBuffered(image), "png", file.toFile())) throw new IOException("no PNG writer");
    }

    /** The image as an 8-bit gray {@link BufferedImage} (what the PNG writer takes). */
    public static BufferedImage toBuffered(Image image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = new int[image.pixels().length];
        for (int i = 0; i < samples.length; i++) samples[i] = image.pixels()[i] & 0xff;
        img.getRaster().setSamples(0, 0, image.width(), image.height(), 0, samples);
        return img;
    }
}
