package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * The decoder's up-steps and stage glue against the mini model's captures (float32 and float64),
 * relative error max|ours − golden| / max|golden| ≤ 1e-4.
 */
class DecoderUpStepsGoldenTest {
    private static final double TOL = 1e-4;

    private static void check(String what, Tensor ours, Tensor golden, double tol) {
        assertArrayEquals(golden.shape(), ours.shape(), what + " shape");
        double err = MiniGolden.relativeError(ours, golden);
        System.out.printf("%-44s %s rel err %.3e%n", what, ours.dtype(), err);
        assertTrue(err <= tol, what + ": relative error " + err);
    }

    @Test
    void patchExpand() {
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            Tensor in = MiniGolden.act("decode_head.layers_up.0", 0, "in0").to(dt);
            check("layers_up.0 (PatchExpand)", d.patchExpand().forward(in), MiniGolden.act("decode_head.layers_up.0", 0, "out0"), TOL);
        }
    }

    @Test
    void upsampleExpandClosesStages1And2() {
        // layers_up.k's output is its upsample applied to its last block's output
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            for (int k = 1; k <= 2; k++) {
                Tensor in = MiniGolden.act("decode_head.layers_up." + k + ".blocks.3", 0, "out0").to(dt);
                Tensor ours = d.stage(k).upsample().forward(in);
                check("layers_up." + k + ".upsample (UpsampleExpand)", ours, MiniGolden.act("decode_head.layers_up." + k, 0, "out0"), TOL);
            }
        }
    }

    @Test
    void finalUpsample() {
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            Tensor in = MiniGolden.act("decode_head.up", 0, "in0").to(dt);
            check("up (FinalUpsample_X4)", d.finalUpsample().forward(in), MiniGolden.act("decode_head.up", 0, "out0"), TOL);
        }
    }

    @Test
    void fusedFeaturesFeedTheStages() {
        // layers_up.0 gets f₃ channels-last; layers_up.k gets resize(y) + f_{3−k}: exact float32 adds
        assertEquals(0.0, DecoderGolden.maxAbs(ChannelsLast.fromNchw(DecoderGolden.fused(3)), MiniGolden.act("decode_head.layers_up.0", 0, "in0")));
        for (int k = 1; k <= 3; k++) {
            Tensor y = MiniGolden.act("decode_head.layers_up." + (k - 1), 0, "out0");
            Tensor ours = MambaDecoder.stageInput(y, DecoderGolden.fused(3 - k));
            Tensor golden = MiniGolden.act("decode_head.layers_up." + k, 0, "in0");
            assertArrayEquals(golden.shape(), ours.shape());
            assertEquals(0.0, DecoderGolden.maxAbs(ours, golden), "layers_up." + k + " input");
        }
    }

    @Test
    void stageInputResizesWhenSizesDiffer() {
        // y of 2×2 onto a 3×3 skip: bilinear, align_corners False (scale 2/3, src = (o + ½)·⅔ − ½, clamped at 0)
        Tensor y = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2, 1);
        Tensor skip = Tensor.zeros(DType.F64, 1, 1, 3, 3);
        double[] got = MambaDecoder.stageInput(y, skip).toDoubleArray();
        double[] axis = {0, 0.5, 1}; // source positions 0, ½, 1 (first clamped)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double want = 1 + 2 * axis[i] + axis[j];
                assertEquals(want, got[i * 3 + j], 1e-15, "(" + i + "," + j + ")");
            }
    }
}
