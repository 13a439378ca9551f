package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.api.Checkpoint;
import jcipa.api.Initialization;
import jcipa.data.Png8;
import jcipa.data.U8Image;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.tensor.DType;

/** {@code cipa eval}: outputs, the pooled table, and every kind of bad input of issue 6's Done-when 4. */
class EvalCommandTest {
    @TempDir static Path dir;
    static Path weights;

    @BeforeAll
    static void weights() throws IOException {
        Cipa m = new Cipa(new CipaConfig("t", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0), DType.F32);
        Initialization.apply(m, 3);
        weights = dir.resolve("w.safetensors");
        Checkpoint.stateDict(m).write(weights);
    }

    /** A data set of {@code names} (128x128 slices with a square tumour) and test.txt listing {@code listed}. */
    static Path data(Path root, List<String> names, List<String> listed) throws IOException {
        for (String n : names) {
            Path c = Files.createDirectories(root.resolve(n.substring(0, n.indexOf('_'))));
            byte[] img = new byte[128 * 128], mask = new byte[128 * 128];
            for (int y = 50; y < 60; y++) for (int x = 40; x < 52; x++) { img[y * 128 + x] = (byte) 200; mask[y * 128 + x] = (byte) 255; }
            Png8.write(c.resolve(n + "_CT.png"), new U8Image(128, 128, img));
            Png8.write(c.resolve(n + "_PET.png"), new U8Image(128, 128, img));
            Png8.write(c.resolve(n + "_mask.png"), new U8Image(128, 128, mask));
        }
        Files.write(root.resolve("test.txt"), listed);
        return root;
    }

    static String[] eval(Path data, Path out, String... more) {
        String[] base = {"eval", "--data", data.toString(), "--weights", weights.toString(), "--out", out.toString()};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more)).toArray(String[]::new);
        return InfoCommandTest.run(all);
    }

    @Test
    void writesTheTableTheCsvAndTheGalleryAndNeverOverwrites() throws IOException {
        Path data = data(dir.resolve("good"), List.of("A_1", "A_2", "B_1"), List.of("A_1", "A_2", "B_1"));
        Path out = dir.resolve("out-good");
        String[] r = eval(data, out);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("IoU") && r[1].contains("F1") && r[1].contains("Acc") && r[1].contains("HD95") && r[1].contains("images  3"), r[1]);
        assertTrue(r[2].contains("3/3") && r[2].contains("ETA"), "progress bar on stderr: " + r[2]);
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(0).startsWith("name,tp,fp,fn,tn,iou,f1,acc,hd95"));
        BufferedImage g = ImageIO.read(out.resolve("worst.png").toFile());
        assertTrue(g.getWidth() >= 256 && g.getHeight() >= 128);

        String before = Files.readString(out.resolve("metrics.csv"));
        Files.writeString(out.resolve("metrics.csv"), "mine");
        r = eval(data, out);
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("not overwriting") && r[2].contains("--overwrite"), r[2]);
        assertEquals("mine", Files.readString(out.resolve("metrics.csv")), "nothing replaced");
        r = eval(data, out, "--overwrite");
        assertEquals("0", r[0], r[2]);
        assertEquals(before, Files.readString(out.resolve("metrics.csv")));
    }

    @Test
    void badSlicesAreNamedAndSkippedOnlyOnRequest() throws IOException {
        Path data = data(dir.resolve("bad"), List.of("A_1", "A_2", "A_3", "A_4", "A_5", "A_6", "A_7"), List.of("A_1", "A_2", "A_3", "A_4", "A_5", "A_6", "A_7", "Z_9"));
        Path a = data.resolve("A");
        Files.delete(a.resolve("A_2_PET.png"));                                                          // missing
        ImageIO.write(new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB), "png", a.resolve("A_3_CT.png").toFile());    // RGB
        ImageIO.write(new BufferedImage(128, 128, BufferedImage.TYPE_USHORT_GRAY), "png", a.resolve("A_4_CT.png").toFile()); // 16-bit
        Png8.write(a.resolve("A_5_PET.png"), U8Image.zeros(64, 64));                                    // PET/CT sizes differ
        for (String s : List.of("CT", "PET", "mask")) Png8.write(a.resolve("A_6_" + s + ".png"), U8Image.zeros(64, 64));   // a size the model cannot take
        Files.writeString(a.resolve("A_1_mask.png"), "not a png");                                        // unreadable

        Path out = dir.resolve("out-bad");
        String[] r = eval(data, out);
        assertEquals("2", r[0]);
        String e = r[2];
        assertTrue(e.contains("A_2_PET.png") && e.contains("missing"), e);
        assertTrue(e.contains("A_3_CT.png") && e.contains("expected 8-bit grayscale, got 8-bit RGB"), e);
        assertTrue(e.contains("A_4_CT.png") && e.contains("expected 8-bit grayscale, got 16-bit"), e);
        assertTrue(e.contains("A_5") && e.contains("differ in size"), e);
        assertTrue(e.contains("Z_9") && e.contains("missing"), e);
        assertTrue(e.contains("A_1_mask.png"), e);
        assertTrue(e.contains("--skip-bad"), e);
        assertFalse(Files.exists(out), "nothing written");

        r = eval(data, out, "--skip-bad");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("images  1 (7 skipped)"), r[1]);
        assertTrue(r[1].contains("skipped A_6") && r[1].contains("run at 128x128 only"), "the size rule is given: " + r[1]);
        for (String n : List.of("A_1", "A_2", "A_3", "A_4", "A_5", "Z_9")) assertTrue(r[1].contains("skipped " + n), r[1]);
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("skipped A_3"));
    }
}
