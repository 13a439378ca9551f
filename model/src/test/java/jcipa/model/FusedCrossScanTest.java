package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.MacCounter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Inference runs SS2D's CrossScan → x_proj → scans → CrossMerge as one channels-last op; with
 * gradients recorded (or a MAC count open) it takes the op-by-op path. Both must give the same bits:
 * per SS2D over odd shapes, and for the whole mini CIPA with the golden weights.
 */
class FusedCrossScanTest {

    private static int[] bits(Tensor t) { return ModuleTesting.bits(t); }

    @Property(tries = 12)
    void ss2dGivesTheSameBitsOnBothPaths(@ForAll @IntRange(min = 1, max = 2) int batch,
                                         @ForAll @IntRange(min = 1, max = 7) int height,
                                         @ForAll @IntRange(min = 1, max = 9) int width,
                                         @ForAll @IntRange(min = 3, max = 24) int dModel,
                                         @ForAll @IntRange(min = 1, max = 5) int dState,
                                         @ForAll boolean conv,
                                         @ForAll long seed) {
        SS2D op = new SS2D(dModel, dState, conv ? 3 : 1, 2.0, DType.F32);      // d_conv 3 (CIPA's) or none
        ModuleTesting.randomize(op, seed, 0.5);
        op.eval();
        Tensor x = ModuleTesting.random(seed + 1, batch, height, width, dModel).to(DType.F32);
        assertTrue(opUsesFusedPath(op, x));
        Tensor fused = Autograd.noGrad(() -> op.forward(x));
        Tensor opByOp = op.forward(x);                           // gradients recorded: the op-by-op path
        assertArrayEquals(bits(opByOp), bits(fused));
    }

    private static boolean opUsesFusedPath(SS2D op, Tensor x) {
        boolean whenInference = Autograd.noGrad(() -> op.fusedCrossScan(x.permute(0, 3, 1, 2)));
        boolean whenTraining = op.fusedCrossScan(x.permute(0, 3, 1, 2));
        boolean whenCounting;
        try (MacCounter c = MacCounter.start(); Autograd.Scope ng = Autograd.noGrad()) {
            whenCounting = op.fusedCrossScan(x.permute(0, 3, 1, 2));
        }
        assertFalse(whenTraining, "training takes the op-by-op path");
        assertFalse(whenCounting, "a MAC count takes the op-by-op path");
        return whenInference;
    }

    @Test
    void wholeMiniModelGivesTheSameLogitsOnBothPaths() {
        Cipa model = MiniGolden.model();
        Tensor[] in = MiniGolden.inputs();
        Tensor fused = Autograd.noGrad(() -> model.forward(in[0], in[1]));
        Tensor opByOp = model.forward(in[0], in[1]);
        assertArrayEquals(bits(opByOp), bits(fused));
    }
}
