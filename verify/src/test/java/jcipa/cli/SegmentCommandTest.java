package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.tensor.io.SafeTensors;
import jcipa.verify.ModelGolden;
import jcipa.viz.GrayPng;

/** {@code cipa segment} on the mini checkpoint and the first image pair of the mini golden case. */
class SegmentCommandTest {
    private static final Path GOLDEN = Path.of(System.getProperty("jcipa.golden", "../golden"));
    private static final Path CHECKPOINT = GOLDEN.resolve("cipa-mini-checkpoint.pth");

    @TempDir static Path dir;
    static Path pet, ct;
    /** PyTorch's float32 logits of image 0 (golden {@code out/logits}). */
    static double[] goldenLogits;
    static int side;

    @BeforeAll
    static void writeInputs() throws IOException {
        try (SafeTensors st = SafeTensors.open(GOLDEN.resolve("cipa-mini.safetensors"))) {
            int[] s = st.shapeInt("input/ct_u8");
            side = s[1];
            int plane = s[1] * s[2];
            pet = dir.resolve("case7_PET.png");
            ct = dir.resolve("case7_CT.png");
            GrayPng.write(pet, new GrayPng.Image(s[2], s[1], Arrays.copyOf(st.bytes("input/pet_u8"), plane)));
            GrayPng.write(ct, new GrayPng.Image(s[2], s[1], Arrays.copyOf(st.bytes("input/ct_u8"), plane)));
            goldenLogits = Arrays.copyOf(st.asDoubles("out/logits"), plane);
        }
    }

    private static String[] segment(Path out, String... more) {
        String[] base = {"segment", "--pet", pet.toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString()};
        return InfoCommandTest.run(Stream.concat(Arrays.stream(base), Arrays.stream(more)).toArray(String[]::new));
    }

    /**
     * The probability PNG is pred.py's conversion of the golden logits: σ in float32, ×255 in
     * float32, cv2's round-half-even with saturation. Our logits differ from PyTorch's by up to
     * {@link ModelGolden#TOL_MODULE} (1e-4), which moves σ·255 by at most 255·σ(1−σ)·1e-4 ≤ 0.0064;
     * where the golden σ·255 lies that close to a rounding boundary (k + 0.5) the two may round
     * to neighbouring grey levels, so there one level of difference is allowed, and nowhere else.
     */
    @Test
    void probabilityMaskAndOverlayMatchTheGoldenLogits() throws IOException {
        Path out = dir.resolve("run");
        String[] r = segment(out);
        assertEquals("0", r[0], r[2]);
        GrayPng.Image prob = GrayPng.read(out.resolve("case7_prob.png")), mask = GrayPng.read(out.resolve("case7_mask.png"));
        assertEquals(side, prob.width());
        assertEquals(side, prob.height());
        int nearBoundary = 0, differing = 0, tumour = 0;
        for (int i = 0; i < goldenLogits.length; i++) {
            double x = goldenLogits[i];
            float sigma = (float) (1 / (1 + Math.exp(-x)));
            float v = sigma * 255f;
            int expected = (int) Math.max(0, Math.min(255, Math.rint(v)));
            int got = prob.pixels()[i] & 0xff;
            double slack = 255 * sigma * (1 - sigma) * ModelGolden.TOL_MODULE + 1e-4;
            boolean boundary = Math.abs(v - Math.floor(v) - 0.5) <= slack;
            if (boundary) nearBoundary++;
            if (got != expected) {
                differing++;
                assertTrue(boundary && Math.abs(got - expected) == 1,
                        "pixel " + i + ": logit " + x + ", golden sigma*255 " + v + " -> " + expected + ", PNG has " + got);
            }
            // the mask: sigma*255 > 127.5, so 255 wherever the grey level is 129 or more, 0 wherever it is 127 or less
            int m = mask.pixels()[i] & 0xff;
            assertTrue(m == 0 || m == 255, "mask value " + m);
            if (got >= 129) assertEquals(255, m, "pixel " + i + " prob " + got);
            if (got <= 127) assertEquals(0, m, "pixel " + i + " prob " + got);
            boolean goldenTumour = v > 127.5f;
            if (!(Math.abs(v - 127.5) <= slack)) assertEquals(goldenTumour ? 255 : 0, m, "pixel " + i + " logit " + x);
            if (m == 255) tumour++;
        }
        System.out.printf("segment: %d of %d pixels near a rounding boundary, %d differ by one level; %d tumour pixels%n",
                nearBoundary, goldenLogits.length, differing, tumour);
        assertTrue(r[1].contains("tumour pixels: " + tumour + " of"), r[1]);

        BufferedImage overlay = ImageIO.read(out.resolve("case7_overlay.png").toFile());
        assertEquals(side, overlay.getWidth());
        assertEquals(side, overlay.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) colours.add(overlay.getRGB(x, y) & 0xffffff);
        assertTrue(colours.size() > 16, "overlay has only " + colours.size() + " colours");
    }

    @Test
    void theOwnMaskScoresPerfectlyAndAnotherMaskIsScored() throws IOException {
        Path out = dir.resolve("scored");
        assertEquals("0", segment(out)[0]);
        Path own = out.resolve("case7_mask.png");
        byte[] m = GrayPng.read(own).pixels();
        int count = 0;
        for (byte b : m) if (b != 0) count++;
        if (count > 0 && count < m.length) {
            String[] r = segment(dir.resolve("scored2"), "--mask", own.toString());
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].contains("IoU: 1.000000") && r[1].contains("F1: 1.000000") && r[1].contains("Acc: 1.000000")
                    && r[1].contains("HD95: 0.000"), r[1]);
        }
        // an all-tumour truth: TP = predicted count, FN = the rest, FP = 0, TN = 0
        Path full = dir.resolve("full_mask.png");
        byte[] all = new byte[m.length];
        Arrays.fill(all, (byte) 255);
        GrayPng.write(full, new GrayPng.Image(side, side, all));
        String[] r = segment(dir.resolve("scored3"), "--mask", full.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains(String.format("TP %d, FP 0, FN %d, TN 0", count, m.length - count)), r[1]);
        assertTrue(r[1].contains(String.format(java.util.Locale.ROOT, "IoU: %.6f", count / (double) m.length)), r[1]);
    }

    @Test
    void existingOutputsAreNotOverwritten() throws IOException {
        Path out = dir.resolve("existing");
        Files.createDirectories(out);
        Path mask = out.resolve("case7_mask.png");
        Files.writeString(mask, "keep me");
        String[] r = segment(out);
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("not overwriting") && r[2].contains("case7_mask.png") && r[2].contains("--overwrite"), r[2]);
        assertEquals("keep me", Files.readString(mask));
        try (Stream<Path> files = Files.list(out)) {
            assertArrayEquals(new Object[] {mask}, files.toArray(), "nothing else written");
        }
        r = segment(out, "--overwrite");
        assertEquals("0", r[0], r[2]);
        assertEquals(side, GrayPng.read(mask).width(), "the mask was replaced by a PNG");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "three outputs and no temporary files");
        }
    }

    @Test
    void badInputsAreRefusedAndNothingIsWritten() throws IOException {
        Path rgb = dir.resolve("rgb.png"), small = dir.resolve("small_CT.png"), smallPet = dir.resolve("small_PET.png");
        ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile());
        GrayPng.write(small, new GrayPng.Image(64, 64, new byte[64 * 64]));
        GrayPng.write(smallPet, new GrayPng.Image(64, 64, new byte[64 * 64]));
        Path out = dir.resolve("bad");

        String[] r = InfoCommandTest.run("segment", "--pet", rgb.toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(rgb.toString()) && r[2].contains("got 8-bit RGB") && r[2].contains("expected 8-bit grayscale"), r[2]);

        r = InfoCommandTest.run("segment", "--pet", pet.toString(), "--ct", small.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(side + "x" + side) && r[2].contains("64x64") && r[2].contains("same size"), r[2]);

        r = InfoCommandTest.run("segment", "--pet", smallPet.toString(), "--ct", small.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("64x64") && r[2].contains("run at " + side + "x" + side + " only"), r[2]);

        r = InfoCommandTest.run("segment", "--pet", dir.resolve("missing.png").toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("missing.png") && r[2].contains("missing file"), r[2]);

        assertFalse(Files.exists(out), "no output folder after refusals");
    }

    @Test
    void theNameComesFromTheCtFile() {
        assertEquals("P001_12", SegmentCommand.stem("P001_12_CT.png"));
        assertEquals("slice", SegmentCommand.stem("slice.PNG"));
        assertEquals("scan.jpg", SegmentCommand.stem("scan.jpg"));
    }
}
