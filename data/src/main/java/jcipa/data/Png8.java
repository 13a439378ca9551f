package jcipa.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * 8-bit grayscale PNG files, the format of PCLT20K slices. The official loader reads them with
 * {@code cv2.IMREAD_GRAYSCALE}, which would silently convert colour or 16-bit files; here anything
 * but 8-bit grayscale is refused with a message naming the file, what was expected and what it is.
 */
public final class Png8 {
    private Png8() {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final String EXPECTED = "expected 8-bit grayscale";

    /** Reads an 8-bit grayscale PNG. */
    public static U8Image read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a directory, " + EXPECTED + " PNG");
        Header h;
        try (InputStream in = Files.newInputStream(file)) {
            h = header(file, in);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "missing file (" + EXPECTED + " PNG)");
        }
        if (h.colorType != 0 || h.bitDepth != 8)
            throw new IOException(file + ": " + EXPECTED + ", got " + h.bitDepth + "-bit " + colourName(h.colorType));
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": corrupt PNG (" + e.getMessage() + ")", e);
        }
        if (img == null) throw new IOException(file + ": corrupt PNG (no decoder accepted it)");
        if (img.getType() != BufferedImage.TYPE_BYTE_GRAY || img.getWidth() != h.width || img.getHeight() != h.height)
            throw new IOException(file + ": corrupt PNG (decoded as type " + img.getType() + " " + img.getWidth() + "x" + img.getHeight() + ")");
        byte[] px = new byte[h.width * h.height];
        img.getRaster().getDataElements(0, 0, h.width, h.height, px);
        return new U8Image(h.width, h.height, px);
    }

    /** Writes an 8-bit grayscale PNG (through a temporary file, so a reader never sees half a file). */
    public static void write(Path file, U8Image image) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(image.pixels(), 0, data, 0, data.length);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException(file + ": no PNG writer in this JVM");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Width and height from the header, without decoding the pixels (same checks as {@link #read}). */
    public static int[] size(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Header h = header(file, in);
            if (h.colorType != 0 || h.bitDepth != 8)
                throw new IOException(file + ": " + EXPECTED + ", got " + h.bitDepth + "-bit " + colourName(h.colorType));
            return new int[] {h.width, h.height};
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "missing file (" + EXPECTED + " PNG)");
        }
    }

    private record Header(int width, int height, int bitDepth, int colorType) {}

    /** The PNG signature and the IHDR chunk, which must come first. */
    private static Header header(Path file, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] sig = new byte[8];
        try {
            in.readFully(sig);
            if (!Arrays.equals(sig, SIGNATURE)) throw new IOException(file + ": not a PNG file (bad signature), " + EXPECTED + " PNG");
            int len = in.readInt();
            byte[] type = new byte[4];
            in.readFully(type);
            if (len != 13 || !new String(type, java.nio.charset.StandardCharsets.US_ASCII).equals("IHDR"))
                throw new IOException(file + ": corrupt PNG (no IHDR header chunk)");
            int w = in.readInt(), h = in.readInt();
            int depth = in.readUnsignedByte(), colour = in.readUnsignedByte();
            if (w <= 0 || h <= 0) throw new IOException(file + ": corrupt PNG (size " + w + "x" + h + ")");
            return new Header(w, h, depth, colour);
        } catch (EOFException e) {
            throw new IOException(file + ": corrupt PNG (truncated header)", e);
        }
    }

    private static String colourName(int colorType) {
        return switch (colorType) {
            case 0 -> "grayscale";
            case 2 -> "RGB";
            case 3 -> "palette (indexed colour)";
            case 4 -> "grayscale+alpha";
            case 6 -> "RGBA";
            default -> "colour type " + colorType;
        };
    }
}
