package jcipa.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.model.MiniGolden;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/** One official step on a small CIPA (the mini weights, one block per stage) and batch 2 at 128×128. */
class TrainStepTest {
    static final CipaConfig SMALL = new CipaConfig("small-test", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0);

    static Cipa model() {
        Cipa m = new Cipa(SMALL, DType.F32);
        StateDictLoader.load(m, MiniGolden.weights(), false);   // the mini model's extra blocks are simply not loaded
        return m;
    }

    static Tensor[] batch() {
        SafeTensors g = MiniGolden.golden();
        int[] s = g.shapeInt("input/ct_u8");
        return new Tensor[] {Inputs.fromU8(g.bytes("input/ct_u8"), s[0], s[1], s[2]), Inputs.fromU8(g.bytes("input/pet_u8"), s[0], s[1], s[2]),
                Inputs.maskFromU8(g.bytes("input/mask_u8"), s[0], s[1], s[2])};
    }

    static Map<String, float[]> snapshot(Cipa m) {
        Map<String, float[]> out = new HashMap<>();
        m.stateDict().forEach((n, v) -> { if (v instanceof StateValue.Floats f) out.put(n, f.tensor().floats().clone()); });
        return out;
    }

    @Test
    void oneStepTrainsTheOfficialGroupsAndUpdatesRunningStatistics() {
        Tensor[] b = batch();
        Cipa a = model(), c = model();
        Map<String, float[]> before = snapshot(a);
        TrainStep step = TrainStep.official(a, LrSchedule.official(10, 3));
        TrainStep.Result r = step.step(b[0], b[1], b[2], null);
        assertTrue(Double.isFinite(r.loss().item()) && r.loss().item() > 0);
        assertArrayEquals(new int[] {2, 1, 128, 128}, r.logits().shape());
        assertEquals(1, step.iteration());
        assertEquals(AdamW.LR * LrSchedule.official(10, 3).factor(0), step.optimizer().lr(), 0);

        Set<String> leftOut = Set.copyOf(ParamGroups.leftOut(a, step.optimizer().groups()));
        Map<String, float[]> after = snapshot(a);
        int moved = 0;
        for (String n : a.namedParameters().keySet()) {
            boolean same = Arrays.equals(before.get(n), after.get(n));
            if (leftOut.contains(n)) assertTrue(same, n + " is in no group but moved");
            else if (!same) moved++;
            // the optimizer's parameters have their gradients; those it leaves out get none (their products are skipped)
            assertEquals(!leftOut.contains(n), a.namedParameters().get(n).grad() != null, n + ": gradient after the step");
            assertTrue(a.namedParameters().get(n).requiresGrad(), n + " no longer requires a gradient after the step");
        }
        assertTrue(moved >= a.namedParameters().size() - leftOut.size() - 2, moved + " parameters moved");
        Set<String> running = before.keySet().stream().filter(n -> n.contains("running_")).collect(Collectors.toSet());
        assertEquals(48, running.size());
        for (String n : running) assertFalse(Arrays.equals(before.get(n), after.get(n)), n + " not updated");
        a.stateDict().forEach((n, v) -> { if (v instanceof StateValue.Int64 l) assertEquals(1, l.values()[0], n); });

        // deterministic: the same step on another copy gives the same bits (drop path is off without a generator)
        TrainStep.official(c, LrSchedule.official(10, 3)).step(b[0], b[1], b[2], null);
        Map<String, float[]> again = snapshot(c);
        for (String n : after.keySet()) assertArrayEquals(after.get(n), again.get(n), n);

        step.releaseGradients();
        assertTrue(a.namedParameters().values().stream().allMatch(p -> p.grad() == null));
    }

    /** With a generator, drop path acts (encoder rates up to 0.5 here) and the masks come from it alone; without one it is off. */
    @Test
    void dropPathActsOnlyWithAGenerator() {
        CipaConfig droppy = new CipaConfig("drop-test", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.5);
        Tensor[] b = batch();
        double[] loss = new double[3];
        for (int k = 0; k < 3; k++) {
            Cipa m = new Cipa(droppy, DType.F32);
            StateDictLoader.load(m, MiniGolden.weights(), false);
            loss[k] = TrainStep.official(m, null).step(b[0], b[1], b[2], k == 0 ? null : new SplittableRandom(5)).loss().item();
        }
        assertEquals(loss[1], loss[2], 0, "the same generator seed gives the same step");
        assertTrue(loss[1] != loss[0], "drop path with rates up to 0.5 changed nothing");
    }
}
