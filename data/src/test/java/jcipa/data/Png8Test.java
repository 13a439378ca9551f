package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Png8Test {
    @TempDir
    Path dir;

    @Test
    void grayRoundTripsBitForBit() throws IOException {
        byte[] px = new byte[7 * 5];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37);
        Path f = dir.resolve("a.png");
        Png8.write(f, new U8Image(7, 5, px));
        U8Image back = Png8.read(f);
        assertEquals(7, back.width());
        assertEquals(5, back.height());
        assertArrayEquals(px, back.pixels());
        assertArrayEquals(new int[] {7, 5}, Png8.size(f));
    }

    @Test
    void grayWrittenByImageIoIsRead() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(2, 1, 0, 200);
        Path f = dir.resolve("g.png");
        ImageIO.write(img, "png", f.toFile());
        assertEquals(200, Png8.read(f).get(2, 1));
    }

    @Test
    void rgbIsRefusedSayingWhatItIs() throws IOException {
        assertMessage(write("rgb.png", BufferedImage.TYPE_3BYTE_BGR), "rgb.png", "expected 8-bit grayscale, got 8-bit RGB");
    }

    @Test
    void rgbaIsRefusedSayingWhatItIs() throws IOException {
        assertMessage(write("rgba.png", BufferedImage.TYPE_4BYTE_ABGR), "rgba.png", "expected 8-bit grayscale, got 8-bit RGBA");
    }

    @Test
    void sixteenBitIsRefusedSayingWhatItIs() throws IOException {
        assertMessage(write("g16.png", BufferedImage.TYPE_USHORT_GRAY), "g16.png", "expected 8-bit grayscale, got 16-bit grayscale");
    }

    @Test
    void paletteIsRefusedSayingWhatItIs() throws IOException {
        byte[] lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte) i;
        byte[] red = lut.clone();
        red[1] = 0; // a colour table that is not gray, so the writer keeps the palette
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, red, lut, lut));
        Path f = dir.resolve("pal.png");
        ImageIO.write(img, "png", f.toFile());
        assertMessage(f, "pal.png", "expected 8-bit grayscale, got 8-bit palette");
    }

    @Test
    void truncatedFileIsCorrupt() throws IOException {
        byte[] px = new byte[64 * 64];
        new java.util.Random(1).nextBytes(px);
        Path f = dir.resolve("t.png");
        Png8.write(f, new U8Image(64, 64, px));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        assertMessage(f, "t.png", "corrupt PNG");
        Files.write(f, Arrays.copyOf(all, 20));
        assertMessage(f, "t.png", "corrupt PNG");
    }

    @Test
    void notAPngIsSaidSo() throws IOException {
        Path f = dir.resolve("x.png");
        Files.writeString(f, "hello, I am text");
        assertMessage(f, "x.png", "not a PNG file");
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("none_PET.png");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Png8.read(f));
        assertTrue(e.getMessage().contains("none_PET.png") && e.getMessage().contains("missing"), e.getMessage());
    }

    private Path write(String name, int type) throws IOException {
        BufferedImage img = new BufferedImage(4, 3, type);
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    private static void assertMessage(Path f, String file, String says) {
        IOException e = assertThrows(IOException.class, () -> Png8.read(f));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(says), "message: " + e.getMessage());
    }
}
