package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Module.dropPathEnabled: training with drop path off equals evaluation for the residual branches. */
class DropPathSwitchTest {
    @Test
    void blocksKeepEveryBranchWhenDropPathIsOff() {
        VSSBlock block = new VSSBlock(8, 4, 0.5, DType.F64);
        CvssDecoderBlock dec = new CvssDecoderBlock(32, 0.5, DType.F64);
        ModuleTesting.randomize(block, 1, 0.3);
        ModuleTesting.randomize(dec, 2, 0.3);
        Tensor x = ModuleTesting.random(3, 4, 3, 3, 8), u = ModuleTesting.random(4, 4, 2, 2, 32);

        block.eval();
        double[] evalX = jcipa.tensor.Autograd.noGrad(() -> block.forward(x)).toDoubleArray();
        assertFalse(block.dropPathActive());
        block.train(true);
        assertTrue(block.dropPathActive());
        assertThrows(IllegalStateException.class, () -> block.forward(x), "training with rate 0.5 and no generator");
        block.dropPathEnabled(false);
        assertFalse(block.dropPathActive() || !block.isTraining());
        assertArrayEquals(evalX, block.forward(x).toDoubleArray(), 0);
        block.dropPathEnabled(true);
        double[] dropped = block.forward(x, new SplittableRandom(9)).toDoubleArray();
        assertFalse(java.util.Arrays.equals(evalX, dropped), "rate 0.5 over 4 samples dropped nothing with this seed");

        // the decoder block (no BatchNorm inside): off ⇒ the evaluation output
        dec.eval();
        double[] evalU = jcipa.tensor.Autograd.noGrad(() -> dec.forward(u)).toDoubleArray();
        dec.train(true).dropPathEnabled(false);
        assertArrayEquals(evalU, dec.forward(u).toDoubleArray(), 0);
        dec.dropPathEnabled(true);
        assertThrows(IllegalStateException.class, () -> dec.forward(u));
    }
}
