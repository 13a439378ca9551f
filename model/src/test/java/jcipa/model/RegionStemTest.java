package jcipa.model;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionStemTest {
    private static final int MINI_DIM = 32, TINY_DIM = 96;

    private static RegionStem miniStem(int stage, DType dt) {
        int c = MINI_DIM << stage;
        RegionStem stem = new RegionStem(c, c, dt);
        StateDictLoader.load(stem, MiniGolden.weightsUnder("backbone.region_patch." + stage), true);
        stem.eval();
        return stem;
    }

    @Test
    void stateDictMatchesMiniListing() {
        for (int i = 0; i < 4; i++) {
            int c = MINI_DIM << i;
            DcimListings.assertSameListing(DcimListings.mini(), "backbone.region_patch." + i, new RegionStem(c, c, DType.F32));
        }
    }

    @Test
    void stateDictMatchesSigmaTinyListing() {
        for (int i = 0; i < 4; i++) {
            int c = TINY_DIM << i;
            DcimListings.assertSameListing(DcimListings.architecture("sigma_tiny"), "backbone.region_patch." + i, new RegionStem(c, c, DType.F32));
        }
    }

    @Test
    void miniGoldenActivations() {
        for (int i = 0; i < 4; i++) {
            String path = "backbone.region_patch." + i;
            RegionStem.Tokens t = miniStem(i, DType.F32).forward(MiniGolden.act(path, 0, "in0"), MiniGolden.act(path, 0, "in1"));
            Tensor local = MiniGolden.act(path, 0, "out0"), regional = MiniGolden.act(path, 0, "out1");
            assertArrayEquals(local.shape(), t.local().shape(), path + " local shape");
            assertArrayEquals(regional.shape(), t.regional().shape(), path + " regional shape");
            double eLocal = MiniGolden.relativeError(t.local(), local), eRegional = MiniGolden.relativeError(t.regional(), regional);
            System.out.printf("%s: local rel err %.3e, regional rel err %.3e%n", path, eLocal, eRegional);
            assertTrue(eLocal <= 1e-4, path + " local " + eLocal);
            assertTrue(eRegional <= 1e-4, path + " regional " + eRegional);
            int side = (int) Math.round(Math.sqrt(regional.size(1))); // the mini input is square
            assertEquals(side, t.regionRows());
            assertEquals(side, t.regionCols());
            assertEquals(4, t.wordRows());
            assertEquals(4, t.wordCols());
        }
    }

    @Test
    void float64RunOfTheSameCodeAgreesWithGolden() {
        int stage = 1;
        String path = "backbone.region_patch." + stage;
        RegionStem.Tokens t = miniStem(stage, DType.F64).forward(
                MiniGolden.act(path, 0, "in0").to(DType.F64), MiniGolden.act(path, 0, "in1").to(DType.F64));
        assertEquals(DType.F64, t.local().dtype());
        double e = Math.max(MiniGolden.relativeError(t.local(), MiniGolden.act(path, 0, "out0")),
                MiniGolden.relativeError(t.regional(), MiniGolden.act(path, 0, "out1")));
        System.out.printf("%s float64: rel err %.3e%n", path, e);
        assertTrue(e <= 1e-4, "float64 " + e);
    }

    /** The window cut, checked on a map whose values encode their own position (inner convs bypassed). */
    @Test
    void windowsAreRowMajorWithRowMajorTokens() {
        int b = 2, c = 3, h = 8, w = 12;
        double[] v = new double[b * c * h * w];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor map = Tensor.of(v, b, c, h, w);
        Tensor local = RegionStem.cutWindows(map);
        int rows = h / 4, cols = w / 4, n = rows * cols;
        assertArrayEquals(new int[] {b * n, 16, c}, local.shape());
        for (int bi = 0; bi < b; bi++)
            for (int r = 0; r < n; r++)
                for (int t = 0; t < 16; t++)
                    for (int ci = 0; ci < c; ci++) {
                        int y = 4 * (r / cols) + t / 4, x = 4 * (r % cols) + t % 4;
                        assertEquals(map.get(bi, ci, y, x), local.get(bi * n + r, t, ci));
                    }
    }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        String path = "backbone.region_patch.0";
        RegionStem stem = miniStem(0, DType.F32);
        Tensor ct = MiniGolden.act(path, 0, "in0"), pet = MiniGolden.act(path, 0, "in1");
        StateValue.Floats mean = (StateValue.Floats) stem.stateDict().get("outer_convs.10.running_mean");
        double[] before = mean.tensor().toDoubleArray();
        stem.train(true);
        RegionStem.Tokens t = stem.forward(ct, pet);
        assertTrue(MiniGolden.relativeError(t.regional(), MiniGolden.act(path, 0, "out1")) > 1e-3, "train mode must not reuse running stats");
        assertNotEquals(before[0], mean.tensor().toDoubleArray()[0]);
        assertEquals(1L, ((StateValue.Int64) stem.stateDict().get("outer_convs.10.num_batches_tracked")).values()[0]);
    }

    @Test
    void badShapesAreRejected() {
        RegionStem stem = new RegionStem(32, 32, DType.F32);
        assertThrows(IllegalArgumentException.class, () -> stem.forward(Tensor.zeros(DType.F32, 1, 32, 6, 8), Tensor.zeros(DType.F32, 1, 32, 6, 8)));
        assertThrows(IllegalArgumentException.class, () -> stem.forward(Tensor.zeros(DType.F32, 1, 16, 8, 8), Tensor.zeros(DType.F32, 1, 16, 8, 8)));
        assertThrows(IllegalArgumentException.class, () -> stem.forward(Tensor.zeros(DType.F32, 1, 32, 8, 8), Tensor.zeros(DType.F32, 1, 32, 8, 4)));
        assertThrows(IllegalArgumentException.class, () -> new RegionStem(8, 8, DType.F32));
    }
}
