package jcipa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.model.CipaConfig;
import jcipa.model.train.AdamW;
import jcipa.model.train.ParamGroup;
import jcipa.nn.StateValue;
import jcipa.tensor.Tensor;

/**
 * Done-when 3 of issue 6: a run stopped after k steps and resumed from its checkpoint in a fresh
 * Trainer (fresh model, fresh optimizer) ends with the same bits as a run never stopped — weights,
 * BatchNorm buffers, AdamW moments and step counts — across an epoch boundary (reshuffle, new
 * augmentation seeds) and an end-of-epoch evaluation. The resumed run also checkpoints activations
 * ({@code cipa train --activation-checkpointing}), which must not change a bit either.
 */
class TrainResumeTest {
    static final CipaConfig TINY = new CipaConfig("tiny-test", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0);

    @TempDir Path dir;

    /** With stochastic depth on, so that the drop-path draws must be regenerated exactly too. */
    static final CipaConfig TINY_DROP_PATH = new CipaConfig("tiny-test", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.2);

    static TrainOptions options(Path data) {
        return new TrainOptions(data, TINY_DROP_PATH, 2, 2, 1e-3, 7, "all", null, true, 0, "test", 0);
    }

    @Test
    void killedAndResumedRunEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        Path data = TinyDataSet.write(dir.resolve("data"), 4, 1, 128);
        TrainOptions o = options(data);

        Trainer whole = Trainer.start(o, dir.resolve("whole")).loaderThreads(2);
        whole.run(3, Progress.NONE);
        assertEquals(3, whole.step());

        Trainer killed = Trainer.start(o, dir.resolve("killed")).loaderThreads(1);
        killed.run(1, Progress.NONE);
        assertEquals(1, killed.step());
        killed = null;                                           // "killed": only its checkpoint survives

        Trainer resumed = Trainer.resume(dir.resolve("killed"), null).loaderThreads(3);
        resumed.model().activationCheckpointing(true);           // recomputing activations must not change a bit either
        assertEquals(1, resumed.step());
        resumed.run(3, Progress.NONE);
        assertEquals(3, resumed.step());

        assertStateEquals(whole, resumed);
        assertEquals(whole.history().stepLoss(), resumed.history().stepLoss(), "the same losses step for step");
        assertEquals(whole.history().epochs(), resumed.history().epochs(), "the same epoch record, evaluation included");

        // the files on disk hold the same bits, and the weights load back as a Segmenter
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/weights.safetensors")), Files.readAllBytes(dir.resolve("killed/weights.safetensors")));
        Segmenter s = Segmenter.load(dir.resolve("killed/weights.safetensors"));
        assertEquals(128, s.config().imageSize());
        assertTrue(Files.exists(dir.resolve("killed/curves.png")));

        // a changed training list is not the same run
        Files.write(data.resolve("train.txt"), java.util.List.of("P0_0", "P1_1", "P0_2", "P0_4"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Trainer.resume(dir.resolve("killed"), null));
        assertTrue(e.getMessage().contains("not the list the checkpoint was trained on"), e.getMessage());
    }

    static void assertStateEquals(Trainer a, Trainer b) {
        Map<String, StateValue> sa = a.model().stateDict(), sb = b.model().stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        int differing = 0;
        for (String k : sa.keySet()) {
            if (sa.get(k) instanceof StateValue.Floats fa) {
                float[] x = fa.tensor().contiguous().floats(), y = ((StateValue.Floats) sb.get(k)).tensor().contiguous().floats();
                for (int i = 0; i < x.length; i++) if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) { differing++; break; }
            } else {
                assertArrayEquals(((StateValue.Int64) sa.get(k)).values(), ((StateValue.Int64) sb.get(k)).values(), k);
            }
        }
        assertEquals(0, differing, "state-dict entries with different bits");
        AdamW oa = a.optimizer(), ob = b.optimizer();
        int withState = 0;
        for (int g = 0; g < oa.groups().size(); g++) {
            ParamGroup ga = oa.groups().get(g), gb = ob.groups().get(g);
            for (int i = 0; i < ga.params().size(); i++) {
                Tensor pa = ga.params().get(i).getValue(), pb = gb.params().get(i).getValue();
                AdamW.State xa = oa.state(pa), xb = ob.state(pb);
                assertEquals(xa == null, xb == null, ga.params().get(i).getKey());
                if (xa == null) continue;
                withState++;
                assertEquals(xa.step(), xb.step());
                assertArrayEquals(xa.expAvg().floats(), xb.expAvg().floats(), ga.params().get(i).getKey());
                assertArrayEquals(xa.expAvgSq().floats(), xb.expAvgSq().floats(), ga.params().get(i).getKey());
            }
        }
        assertTrue(withState > 100, "optimizer state for the trained parameters: " + withState);
    }

    @Test
    void aFolderHoldingARunIsNotStartedOver() throws IOException {
        Path data = TinyDataSet.write(dir.resolve("data2"), 2, 0, 128);
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve(Checkpoint.JSON), "{}");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Trainer.start(options(data), out));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertEquals("{}", Files.readString(out.resolve(Checkpoint.JSON)));
        assertFalse(Files.exists(out.resolve(Checkpoint.WEIGHTS)));
        assertNotNull(data);
    }
}
