package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * Which positions each of CIPA's scans lets influence which (docs/ssm-math.md): SS2D's four orders
 * reach the whole map, the CRM's SS1D runs causally along the channel axis, DCIM's local scan stays
 * inside its 4×4 region and its regional scan spans the grid of regions. All in float64.
 */
class ScanAxesTest {

    /** Pixel (0, 0) lies outside the 3×3 convolution's reach of the changed pixel (2, 2): only the scans connect them. */
    @Test
    void ss2dFourOrdersLetEveryPixelSeeEveryOther() {
        SS2D op = new SS2D(4, 2, DType.F64);
        ModuleTesting.randomize(op, 3, 0.5);
        Tensor x = ModuleTesting.random(1, 1, 5, 5, 4);
        Tensor y = op.forward(x);
        Tensor x2 = bump(x, (2 * 5 + 2) * 4);
        Tensor y2 = op.forward(x2);
        for (int h = 0; h < 5; h++)
            for (int w = 0; w < 5; w++)
                assertTrue(differs(y, y2, (h * 5 + w) * 4, 4), "pixel (" + h + ", " + w + ") does not see pixel (2, 2)");
    }

    /**
     * The CRM's SS1D scans the 2C channel tokens in order (CT channels first, then PET): channel
     * token j's weight depends on tokens 0..j only, as a causal scan along the channel axis should.
     */
    @Test
    void crmScanIsCausalAlongTheChannelAxis() {
        int tokens = 6, hw = 8;
        ChannelRectification.Mlp mlp = new ChannelRectification.Mlp(hw, DType.F64);
        ModuleTesting.randomize(mlp, 5, 0.5);
        Tensor t = ModuleTesting.random(7, 1, tokens, hw);
        double[] w = mlp.forward(t).toDoubleArray();
        double[] w2 = mlp.forward(bump(t, 3 * hw + 1)).toDoubleArray();       // change token 3
        for (int j = 0; j < 3; j++) assertTrue(w[j] == w2[j], "token " + j + " saw a later token");
        assertTrue(w[3] != w2[3], "token 3 did not see its own change");
        assertTrue(w[5] != w2[5], "token 5 did not see token 3");
    }

    /** Changing the CT words of region 1 changes the block's output in region 1 only. */
    @Test
    void localScanStaysInsideItsRegion() {
        RegionGlobalBlock block = block(8);
        Tensor local = ModuleTesting.random(1, 4, 16, 8), regional = ModuleTesting.random(2, 1, 4, 8);
        Tensor out = dcimMap(block, local, regional, 2);
        Tensor out2 = dcimMap(block, bump(local, 16 * 8 + 5), regional, 2);    // region 1, word 0, channel 5
        for (int r = 0; r < 2; r++)
            for (int s = 0; s < 2; s++) {
                boolean changed = regionDiffers(out, out2, r, s, 2, 8);
                if (r * 2 + s == 1) assertTrue(changed, "region 1 did not change");
                else assertFalse(changed, "region (" + r + ", " + s + ") saw region 1's words");
            }
    }

    /** Changing the PET token of region (0, 0) of a 4×4 grid reaches region (3, 3), beyond the convolution's reach. */
    @Test
    void regionalScanSpansTheGridOfRegions() {
        RegionGlobalBlock block = block(8);
        Tensor local = ModuleTesting.random(3, 16, 16, 8), regional = ModuleTesting.random(4, 1, 16, 8);
        Tensor out = dcimMap(block, local, regional, 4);
        Tensor out2 = dcimMap(block, local, bump(regional, 2), 4);
        for (int r = 0; r < 4; r++)
            for (int s = 0; s < 4; s++) assertTrue(regionDiffers(out, out2, r, s, 4, 8), "region (" + r + ", " + s + ") did not see region (0, 0)");
    }

    private static RegionGlobalBlock block(int c) {
        RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0, DType.F64);
        ModuleTesting.randomize(block, 9, 0.5);
        block.eval();
        return block;
    }

    /** The block's output as a contiguous row-major (1, 4·side, 4·side, C) map. */
    private static Tensor dcimMap(RegionGlobalBlock block, Tensor local, Tensor regional, int side) {
        return block.forward(local, regional, side, side, 4, 4).contiguous();
    }

    private static boolean regionDiffers(Tensor a, Tensor b, int r, int s, int side, int c) {
        int width = 4 * side;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                if (differs(a, b, ((4 * r + i) * width + 4 * s + j) * c, c)) return true;
        return false;
    }

    private static boolean differs(Tensor a, Tensor b, int from, int count) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        for (int i = from; i < from + count; i++) if (x[i] != y[i]) return true;
        return false;
    }

    /** A copy of t with element i increased by 0.75. */
    private static Tensor bump(Tensor t, int i) {
        double[] d = t.toDoubleArray();
        d[i] += 0.75;
        return Tensor.of(d, t.shape());
    }

    @Test
    void bumpChangesOneElement() {
        Tensor t = ModuleTesting.random(1, 2, 3);
        double[] a = t.toDoubleArray(), b = bump(t, 4).toDoubleArray();
        a[4] += 0.75;
        assertArrayEquals(a, b, 0);
    }
}
