package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.api.WeightsConfig;
import jcipa.model.CipaConfig;
import jcipa.nn.WeightFiles;
import jcipa.tensor.io.SafeTensors;
import jcipa.viz.GrayPng;
import jcipa.viz.MapImage;

/** {@code cipa features} on the mini checkpoint and the first image pair of the mini golden case. */
class FeaturesCommandTest {
    private static final Path GOLDEN = Path.of(System.getProperty("jcipa.golden", "../golden"));
    private static final Path CHECKPOINT = GOLDEN.resolve("cipa-mini-checkpoint.pth");

    @TempDir static Path dir;
    static Path pet, ct;

    /** PET and CT slices 0 of golden/cipa-mini.safetensors written as 8-bit grayscale PNGs. */
    @BeforeAll
    static void writeInputs() throws IOException {
        try (SafeTensors st = SafeTensors.open(GOLDEN.resolve("cipa-mini.safetensors"))) {
            int[] s = st.shapeInt("input/ct_u8");
            int plane = s[1] * s[2];
            pet = dir.resolve("pet.png");
            ct = dir.resolve("ct.png");
            GrayPng.write(pet, new GrayPng.Image(s[2], s[1], java.util.Arrays.copyOf(st.bytes("input/pet_u8"), plane)));
            GrayPng.write(ct, new GrayPng.Image(s[2], s[1], java.util.Arrays.copyOf(st.bytes("input/ct_u8"), plane)));
        }
    }

    @Test
    void writesNonConstantMapsForEveryStage() throws IOException {
        Path out = dir.resolve("maps");
        String[] r = InfoCommandTest.run("features", "--pet", pet.toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        String index = Files.readString(out.resolve("features.txt"));
        for (int i = 0; i < 4; i++)
            for (String kind : new String[] {"pet-region", "ct-local", "fused"}) {
                String name = "stage" + i + "-" + kind + ".png";
                assertTrue(index.contains(name), "features.txt lists " + name);
                BufferedImage img = ImageIO.read(out.resolve(name).toFile());
                assertNotNull(img, name);
                // the map area: the top-left square the map is enlarged to (side a multiple of its cells, at most 256)
                int side = Math.min(img.getHeight(), MapImage.TARGET);
                Set<Integer> colours = new HashSet<>();
                double sum = 0, sq = 0;
                for (int y = 0; y < side; y++)
                    for (int x = 0; x < side; x++) {
                        int rgb = img.getRGB(x, y) & 0xffffff;
                        colours.add(rgb);
                        double g = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                        sum += g;
                        sq += g * g;
                    }
                double n = (double) side * side, variance = sq / n - (sum / n) * (sum / n);
                assertTrue(variance > 0, name + " is constant");
                assertTrue(colours.size() >= 4, name + " has only " + colours.size() + " colours");
            }
    }

    @Test
    void theMiniCheckpointDescribesItsOwnSize() throws IOException {
        CipaConfig cfg = WeightsConfig.of(WeightFiles.read(CHECKPOINT));
        assertEquals(32, cfg.dims());
        assertArrayEquals(new int[] {1, 1, 2, 1}, cfg.depths());
        assertArrayEquals(new int[] {4, 4, 4, 4}, cfg.decoderDepths());
        assertEquals(128, cfg.imageSize());
    }

    @Test
    void rgbAnd16BitImagesAreRefused() throws IOException {
        Path rgb = dir.resolve("rgb.png"), deep = dir.resolve("deep.png");
        ImageIO.write(new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile());
        ImageIO.write(new BufferedImage(128, 128, BufferedImage.TYPE_USHORT_GRAY), "png", deep.toFile());
        String[] r = InfoCommandTest.run("features", "--pet", rgb.toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(), "--out", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("3 channels") && r[2].contains("8-bit grayscale"), r[2]);
        r = InfoCommandTest.run("features", "--pet", pet.toString(), "--ct", deep.toString(), "--weights", CHECKPOINT.toString(), "--out", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("16-bit"), r[2]);
    }

    @Test
    void aSizeTheWeightsCannotRunAtIsRefused() {
        String[] r = InfoCommandTest.run("features", "--pet", pet.toString(), "--ct", ct.toString(), "--weights", CHECKPOINT.toString(),
                "--out", dir.resolve("y").toString(), "--size", "256");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("run at 128x128 only"), r[2]);
    }
}
