package jcipa.model;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionGlobalBlockTest {
    private static final int MINI_DIM = 32, TINY_DIM = 96;

    private static RegionGlobalBlock miniBlock(int stage, DType dt) {
        int c = MINI_DIM << stage;
        RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0, dt);
        StateDictLoader.load(block, MiniGolden.weightsUnder("backbone.channel_attn_mamba." + stage), true);
        block.eval();
        return block;
    }

    /** The mini's inputs are square: N regions form a √N × √N grid. */
    private static int side(Tensor regional) { return (int) Math.round(Math.sqrt(regional.size(1))); }

    @Test
    void stateDictMatchesMiniListing() {
        for (int i = 0; i < 4; i++) {
            int c = MINI_DIM << i;
            DcimListings.assertSameListing(DcimListings.mini(), "backbone.channel_attn_mamba." + i, new RegionGlobalBlock(c, c, 16, 0, DType.F32));
        }
    }

    @Test
    void stateDictMatchesSigmaTinyListing() {
        for (int i = 0; i < 4; i++) {
            int c = TINY_DIM << i;
            DcimListings.assertSameListing(DcimListings.architecture("sigma_tiny"), "backbone.channel_attn_mamba." + i,
                    new RegionGlobalBlock(c, c, 16, 0, DType.F32));
        }
    }

    @Test
    void miniGoldenActivations() {
        for (int i = 0; i < 4; i++) {
            String path = "backbone.channel_attn_mamba." + i;
            Tensor local = MiniGolden.act(path, 0, "in0"), regional = MiniGolden.act(path, 0, "in1"), want = MiniGolden.act(path, 0, "out0");
            int side = side(regional);
            Tensor got = miniBlock(i, DType.F32).forward(local, regional, side, side, 4, 4);
            assertArrayEquals(want.shape(), got.shape(), path);
            double e = MiniGolden.relativeError(got, want);
            System.out.printf("%s: rel err %.3e%n", path, e);
            assertTrue(e <= 1e-4, path + " " + e);
        }
    }

    @Test
    void float64RunOfTheSameCodeAgreesWithGolden() {
        String path = "backbone.channel_attn_mamba.1";
        Tensor regional = MiniGolden.act(path, 0, "in1");
        int side = side(regional);
        Tensor got = miniBlock(1, DType.F64).forward(MiniGolden.act(path, 0, "in0").to(DType.F64), regional.to(DType.F64), side, side, 4, 4);
        assertEquals(DType.F64, got.dtype());
        double e = MiniGolden.relativeError(got, MiniGolden.act(path, 0, "out0"));
        System.out.printf("%s float64: rel err %.3e%n", path, e);
        assertTrue(e <= 1e-4, "float64 " + e);
    }

    /** Stem then block, from the stem's golden inputs to the block's golden output. */
    @Test
    void stemThenBlockReproducesTheDcimStage() {
        for (int i = 0; i < 4; i++) {
            int c = MINI_DIM << i;
            String stemPath = "backbone.region_patch." + i;
            RegionStem stem = new RegionStem(c, c, DType.F32);
            StateDictLoader.load(stem, MiniGolden.weightsUnder(stemPath), true);
            stem.eval();
            Tensor got = miniBlock(i, DType.F32).forward(stem.forward(MiniGolden.act(stemPath, 0, "in0"), MiniGolden.act(stemPath, 0, "in1")));
            double e = MiniGolden.relativeError(got, MiniGolden.act("backbone.channel_attn_mamba." + i, 0, "out0"));
            System.out.printf("stage %d stem+block: rel err %.3e%n", i, e);
            assertTrue(e <= 1e-4, "stage " + i + " " + e);
        }
    }

    /**
     * With both SS2D branches silenced (out_proj = 0) the block is x + g put back, so the put-back
     * order can be checked element by element, on a non-square grid of regions.
     */
    @Test
    void regionsArePutBackRowMajorIntoAWidthByHeightLabelledMap() {
        int b = 2, c = 3, rows = 2, cols = 3, n = rows * cols;
        RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0, DType.F64);
        // all parameters start at zero or one, so out_proj = 0 silences both branches
        for (var e : block.stateDict().entrySet())
            if (e.getKey().endsWith("out_proj.weight")) assertEquals(0.0, ((StateValue.Floats) e.getValue()).tensor().toDoubleArray()[0]);
        SplittableRandom rng = new SplittableRandom(7);
        Tensor local = random(rng, b * n, 16, c), regional = random(rng, b, n, c);
        block.eval();
        Tensor out = block.forward(local, regional, rows, cols, 4, 4);
        assertArrayEquals(new int[] {b, 4 * cols, 4 * rows, c}, out.shape());
        double[] flat = out.toDoubleArray();
        int width = 4 * cols;
        for (int bi = 0; bi < b; bi++)
            for (int r = 0; r < n; r++)
                for (int t = 0; t < 16; t++)
                    for (int ci = 0; ci < c; ci++) {
                        int y = 4 * (r / cols) + t / 4, x = 4 * (r % cols) + t % 4;
                        double want = local.get(bi * n + r, t, ci) + regional.get(bi, r, ci);
                        int at = ((bi * (4 * rows) + y) * width + x) * c + ci; // row-major (B, H, W, C) memory
                        assertEquals(want, flat[at], 0.0);
                    }
    }

    @Test
    void dropPathActsOnlyInTrainingAndIsReproducible() {
        String path = "backbone.channel_attn_mamba.3";
        Tensor local = MiniGolden.act(path, 0, "in0"), regional = MiniGolden.act(path, 0, "in1");
        int c = MINI_DIM << 3;
        RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0.5, DType.F32);
        StateDictLoader.load(block, MiniGolden.weightsUnder(path), true);
        block.eval();
        Tensor eval = block.forward(local, regional, 1, 1, 4, 4);
        assertTrue(MiniGolden.relativeError(eval, MiniGolden.act(path, 0, "out0")) <= 1e-4, "drop path must be off in eval");
        block.train(true);
        double[] a = block.dropPathRng(new SplittableRandom(3)).forward(local, regional, 1, 1, 4, 4).toDoubleArray();
        double[] bb = block.dropPathRng(new SplittableRandom(3)).forward(local, regional, 1, 1, 4, 4).toDoubleArray();
        assertArrayEquals(a, bb, 0.0);
    }

    @Test
    void badShapesAreRejected() {
        RegionGlobalBlock block = new RegionGlobalBlock(8, 8, 16, 0, DType.F32);
        assertThrows(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(DType.F32, 4, 16, 8), Tensor.zeros(DType.F32, 1, 4, 8), 2, 3, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(DType.F32, 3, 16, 8), Tensor.zeros(DType.F32, 2, 2, 8), 1, 2, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(DType.F32, 4, 9, 8), Tensor.zeros(DType.F32, 1, 4, 8), 2, 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new RegionGlobalBlock(8, 16, 16, 0, DType.F32).forward(
                Tensor.zeros(DType.F32, 4, 16, 16), Tensor.zeros(DType.F32, 1, 4, 8), 2, 2, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new RegionGlobalBlock(8, 8, 16, 1.0, DType.F32));
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        return Tensor.of(v, shape);
    }
}
