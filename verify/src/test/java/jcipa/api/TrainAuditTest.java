package jcipa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.model.train.AdamW;
import jcipa.model.train.LrSchedule;
import jcipa.tensor.Tensor;

/**
 * AUDIT.md entry 15: the released train.py never calls train_one_epoch; jcipa's {@code cipa train}
 * does, with the defaults train.py declares. If our loop stopped training (as train.py) or its
 * defaults drifted from batch 4, 50 epochs, AdamW 6e-5, cosine without warm-up, official groups,
 * this fails.
 */
class TrainAuditTest {
    @TempDir Path dir;

    @Test
    void theTrainLoopTakesTheTrainOneEpochStepWithTheOfficialDefaults() throws IOException {
        Path data = TinyDataSet.write(dir.resolve("data"), 8, 0, 128);
        TrainOptions o = TrainOptions.official(data, TrainResumeTest.TINY);
        assertEquals(4, o.batchSize());
        assertEquals(50, o.epochs());
        assertEquals(6e-5, o.lr());
        assertEquals(AdamW.LR, o.lr());
        assertEquals("official", o.paramGroups());
        assertTrue(o.augment());

        Trainer t = Trainer.start(o, dir.resolve("run")).loaderThreads(2);
        assertEquals(2, t.stepsPerEpoch(), "8 slices in batches of 4");
        assertEquals(100, t.totalSteps(), "the cosine runs over 50 epochs of steps");
        assertEquals(1e-6, LrSchedule.official(2, 50).factor(100), 1e-15, "and ends at 1e-6 of the base rate");

        Map<String, float[]> before = new HashMap<>();
        t.model().namedParameters().forEach((n, p) -> before.put(n, p.contiguous().floats().clone()));
        t.run(2, Progress.NONE);

        // the first step uses the base rate (no warm-up: f(0) = 1), the second the cosine's f(1)
        assertEquals(6e-5, t.history().stepLr().get(0));
        assertEquals(6e-5 * ((1 + Math.cos(Math.PI / 100)) / 2 * (1 - 1e-6) + 1e-6), t.history().stepLr().get(1), 1e-18);

        // it trains: every parameter of the official groups moved, the ones outside them (AUDIT 11) did not
        Map<String, Tensor> params = t.model().namedParameters();
        int moved = 0;
        for (var g : t.optimizer().groups())
            for (var p : g.params()) {
                assertEquals(2, t.optimizer().state(p.getValue()).step(), p.getKey());
                if (!java.util.Arrays.equals(before.get(p.getKey()), p.getValue().contiguous().floats())) moved++;
            }
        assertTrue(moved > 0.9 * t.optimizer().groups().stream().mapToInt(g -> g.params().size()).sum(), "parameters moved: " + moved);
        for (String n : jcipa.model.train.ParamGroups.leftOut(t.model(), t.optimizer().groups())) {
            assertArrayEquals(before.get(n), params.get(n).contiguous().floats(), n + " is outside the official groups");
            assertNull(t.optimizer().state(params.get(n)));
        }
        assertFalse(jcipa.model.train.ParamGroups.leftOut(t.model(), t.optimizer().groups()).isEmpty());
    }
}
