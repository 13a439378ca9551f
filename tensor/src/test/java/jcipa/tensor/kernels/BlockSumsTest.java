package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockSumsTest {
    /** Random rows with signed zeros, huge and tiny values mixed in, so that the order of the additions shows. */
    private static float[] rows(Random rnd, int count) {
        float[] x = new float[count * BlockSums.ROW];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (rnd.nextInt(8)) {
                case 0 -> -0f;
                case 1 -> 0f;
                case 2 -> (rnd.nextFloat() - 0.5f) * 1e8f;
                case 3 -> (rnd.nextFloat() - 0.5f) * 1e-6f;
                default -> rnd.nextFloat() - 0.5f;
            };
        }
        return x;
    }

    @Test
    void treeAddsPairsEightFourTwoAndOneApart() {
        float[] x = new float[16];
        for (int c = 0; c < 16; c++) x[c] = 1 << c;                 // each channel its own bit: any order is exact
        assertEquals(65535f, BlockSums.tree(x, 0));
        // 1e8 + 1 loses the 1; the tree adds x_0 to x_8 first, so x_8 = −1e8 cancels x_0 exactly and the ones survive
        float[] y = new float[16];
        y[0] = 1e8f;
        y[8] = -1e8f;
        for (int c : new int[] {1, 2, 3, 4, 5, 6, 7}) y[c] = 1f;
        assertEquals(7f, BlockSums.tree(y, 0));
    }

    @Test
    void vectorRowsGiveTheTreesBits() {
        assumeTrue(BlockSums.AVAILABLE, "no vector tree at this width (" + Simd.describe() + ")");
        int w = Simd.F.length();
        Random rnd = new Random(11);
        float[] scratch = new float[BlockSums.SCRATCH];
        java.util.Arrays.fill(scratch, Float.NaN);                        // its contents must not matter (kept across trials)
        for (int trial = 0; trial < 200; trial++) {
            int stride = BlockSums.ROW, first = rnd.nextInt(20), o = rnd.nextInt(20);     // consecutive rows, as the scan's terms lie
            float[] x = new float[first + w * stride + 1];
            float[] r = rows(rnd, x.length / BlockSums.ROW);
            System.arraycopy(r, 0, x, 0, r.length);
            float[] out = new float[o + w + 3];
            java.util.Arrays.fill(out, Float.NaN);
            BlockSums.rows(x, first, out, o, scratch);
            for (int j = 0; j < w; j++) {
                float expected = BlockSums.tree(x, first + j * stride);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[o + j]), "row " + j + " of trial " + trial);
            }
            for (int k = 0; k < out.length; k++) if (k < o || k >= o + w) assertTrue(Float.isNaN(out[k]), "wrote outside the rows at " + k);
        }
    }

    /**
     * The scan's folded terms (two rows' first rounds in one vector, made as the adjoint makes them) give the tree's bits
     * by foldedRows and foldedTree.
     */
    @Test
    void foldedRowsGiveTheTreesBits() {
        assumeTrue(BlockSums.FOLDS, "no folded terms at this width (" + Simd.describe() + ")");
        Random rnd = new Random(12);
        float[] scratch = new float[BlockSums.SCRATCH];
        java.util.Arrays.fill(scratch, Float.NaN);
        for (int trial = 0; trial < 200; trial++) {
            float[] x = rows(rnd, 16);
            int first = rnd.nextInt(20), o = rnd.nextInt(20);
            float[] folded = new float[first + 8 * BlockSums.ROW];
            java.util.Arrays.fill(folded, Float.NaN);
            for (int p = 0; p < 8; p++) {
                jdk.incubator.vector.FloatVector even = jdk.incubator.vector.FloatVector.fromArray(Simd.F, x, 2 * p * BlockSums.ROW);
                jdk.incubator.vector.FloatVector odd = jdk.incubator.vector.FloatVector.fromArray(Simd.F, x, (2 * p + 1) * BlockSums.ROW);
                even.blend(odd, BlockSums.UPPER_HALF).add(even.slice(8, odd)).intoArray(folded, first + p * BlockSums.ROW);
            }
            float[] out = new float[o + 16 + 3];
            java.util.Arrays.fill(out, Float.NaN);
            BlockSums.foldedRows(folded, first, out, o, scratch);
            for (int j = 0; j < 16; j++) {
                int expected = Float.floatToRawIntBits(BlockSums.tree(x, j * BlockSums.ROW));
                assertEquals(expected, Float.floatToRawIntBits(out[o + j]), "row " + j + " of trial " + trial);
                float alone = BlockSums.foldedTree(folded, first + j / 2 * BlockSums.ROW + j % 2 * 8);
                assertEquals(expected, Float.floatToRawIntBits(alone), "foldedTree, row " + j + " of trial " + trial);
            }
            for (int k = 0; k < out.length; k++) if (k < o || k >= o + 16) assertTrue(Float.isNaN(out[k]), "wrote outside the rows at " + k);
        }
    }
}
