package jcipa.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.SplittableRandom;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.nn.StateDictLoader;
import jcipa.model.MiniGolden;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Checkpoint;
import org.junit.jupiter.api.Test;

/**
 * Activation checkpointing recomputes the VSS and decoder blocks' main branch in the backward instead of keeping its
 * activations: two official steps (drop path on, seeded) give the same bits with and without it, weights and
 * gradients alike.
 */
class ActivationCheckpointingTest {
    static final CipaConfig CFG = new CipaConfig("ckpt-test", 32, new int[] {1, 1, 2, 1}, new int[] {1, 1, 1, 1}, 128, 0.2);

    static Cipa model(boolean checkpointing) {
        Cipa m = new Cipa(CFG, DType.F32);
        StateDictLoader.load(m, MiniGolden.weights(), false);
        m.activationCheckpointing(checkpointing);
        return m;
    }

    @Test
    void checkpointedStepsGiveTheSameBits() {
        Tensor[] b = TrainStepTest.batch();
        Cipa plain = model(false), checkpointed = model(true);
        // every gradient kept: the SSM parameters' gradients must agree under checkpointing too
        TrainStep p = TrainStep.official(plain, LrSchedule.official(10, 3)).allGradients(true);
        TrainStep c = TrainStep.official(checkpointed, LrSchedule.official(10, 3)).allGradients(true);
        SplittableRandom rp = new SplittableRandom(7), rc = new SplittableRandom(7);
        for (int i = 0; i < 2; i++) {
            long before = Checkpoint.recomputations();
            TrainStep.Result a = p.step(b[0], b[1], b[2], rp);
            assertEquals(before, Checkpoint.recomputations(), "the plain model recomputed something");
            TrainStep.Result k = c.step(b[0], b[1], b[2], rc);
            // every VSS block (both modalities) and decoder block: 2 x 5 + 3 (layers_up.0 is a PatchExpand alone)
            assertEquals(before + 2 * 5 + 3, Checkpoint.recomputations(), "recomputed branches in step " + i);
            assertEquals(Float.floatToRawIntBits((float) a.loss().item()), Float.floatToRawIntBits((float) k.loss().item()), "loss of step " + i);
            assertArrayEquals(a.logits().floats(), k.logits().floats(), "logits of step " + i);
        }
        Map<String, Tensor> pp = plain.namedParameters(), cp = checkpointed.namedParameters();
        for (String n : pp.keySet()) {
            assertNotNull(cp.get(n).grad(), n + " has no gradient with checkpointing");
            assertArrayEquals(pp.get(n).grad().floats(), cp.get(n).grad().floats(), "gradient of " + n);
            assertArrayEquals(pp.get(n).floats(), cp.get(n).floats(), "weights of " + n);
        }
        assertEquals(TrainStepTest.snapshot(plain).keySet(), TrainStepTest.snapshot(checkpointed).keySet());
        TrainStepTest.snapshot(plain).forEach((n, v) -> assertArrayEquals(v, TrainStepTest.snapshot(checkpointed).get(n), n));
    }
}
