package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateDictLoader;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** DCIM's branches taken apart (for feature maps) must put back together into the block's own output. */
class DcimBranchesTest {

    @Test
    void branchesRecombineIntoTheBlockOutputBitForBit() {
        for (int i = 0; i < 4; i++) {
            String path = "backbone.channel_attn_mamba." + i;
            int c = 32 << i;
            RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0, DType.F32);
            StateDictLoader.load(block, MiniGolden.weightsUnder(path), true);
            block.eval();
            Tensor local = MiniGolden.act(path, 0, "in0"), regional = MiniGolden.act(path, 0, "in1");
            int side = (int) Math.round(Math.sqrt(regional.size(1)));
            RegionStem.Tokens tokens = new RegionStem.Tokens(local, regional, side, side, 4, 4);

            DcimBranches.Parts parts = DcimBranches.of(block, tokens);
            Tensor want = block.forward(tokens).permute(0, 3, 1, 2).contiguous();      // NCHW (square maps)
            Tensor got = parts.fusedMap().contiguous();
            assertArrayEquals(want.shape(), got.shape(), path);
            assertArrayEquals(want.floats(), got.floats(), path);
            assertArrayEquals(new int[] {regional.size(0), c, side, side}, parts.regionalMap().shape());
            assertArrayEquals(new int[] {regional.size(0), c, 4 * side, 4 * side}, parts.localMap().shape());
        }
    }

    /** The local map puts word (i, j) of region (r, s) at row 4r + i, column 4s + j. */
    @Test
    void localWordsLandInTheirRegion() {
        int side = 2, c = 1;
        double[] words = new double[side * side * 16];
        for (int n = 0; n < side * side; n++) for (int t = 0; t < 16; t++) words[n * 16 + t] = 100 * n + t;
        Tensor local = Tensor.of(words, side * side, 16, c);
        DcimBranches.Parts p = new DcimBranches.Parts(Tensor.zeros(DType.F64, 1, side * side, c), local, side, side, 4, 4);
        Tensor map = p.localMap().contiguous();
        // region (1, 0) = n 2, word (3, 1) = t 13 → row 7, column 1
        assertEquals(213, map.get(0, 0, 7, 1));
        // region (0, 1) = n 1, word (0, 2) = t 2 → row 0, column 6
        assertEquals(102, map.get(0, 0, 0, 6));
    }
}
