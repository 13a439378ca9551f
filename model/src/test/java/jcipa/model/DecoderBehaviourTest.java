package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StoredTensor;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** Drop-path in training, feature sizes that do not halve evenly, argument checks. */
class DecoderBehaviourTest {

    private static Map<String, StoredTensor> miniBlock(String path, double outProjFactor) {
        Map<String, StoredTensor> m = new HashMap<>(MiniGolden.weightsUnder(path));
        StoredTensor w = m.get("op.out_proj.weight");
        float[] v = w.floats().clone();
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * outProjFactor);
        m.put("op.out_proj.weight", StoredTensor.ofFloats(v, w.shape()));
        return m;
    }

    private static CvssDecoderBlock block(Map<String, StoredTensor> state) {
        CvssDecoderBlock b = new CvssDecoderBlock(64, 0.5, DType.F64);
        StateDictLoader.load(b, state, true);
        return b;
    }

    @Test
    void dropPathKeepsOrDropsTheSsmBranchPerSample() {
        // out_proj is linear, so scaling its weight scales the SS2D branch: factor 0 = dropped, 2 = kept at 1/(1 − ½)
        String path = "decode_head.layers_up.2.blocks.1";
        Tensor u = MiniGolden.act(path, 0, "in0").to(DType.F64);
        CvssDecoderBlock zero = block(miniBlock(path, 0)), twice = block(miniBlock(path, 2));
        zero.eval();
        twice.eval();
        double[] dropped = zero.forward(u).toDoubleArray(), kept = twice.forward(u).toDoubleArray();
        CvssDecoderBlock train = block(miniBlock(path, 1));
        train.train(true);
        assertThrows(IllegalStateException.class, () -> train.forward(u));
        int sampleSize = u.numel() / 2, keptCount = 0, droppedCount = 0;
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 8; trial++) {
            double[] y = train.forward(u, rng).toDoubleArray();
            for (int n = 0; n < 2; n++) {
                double dKept = 0, dDropped = 0;
                for (int i = n * sampleSize; i < (n + 1) * sampleSize; i++) {
                    dKept = Math.max(dKept, Math.abs(y[i] - kept[i]));
                    dDropped = Math.max(dDropped, Math.abs(y[i] - dropped[i]));
                }
                assertTrue(Math.min(dKept, dDropped) < 1e-12, "sample " + n + " is neither kept nor dropped: " + dKept + ", " + dDropped);
                if (dKept < 1e-12) keptCount++; else droppedCount++;
            }
        }
        assertTrue(keptCount > 0 && droppedCount > 0, "kept " + keptCount + ", dropped " + droppedCount);
        // rate 0 in training is the evaluation forward
        CvssDecoderBlock noDrop = new CvssDecoderBlock(64, 0.0, DType.F64);
        StateDictLoader.load(noDrop, MiniGolden.weightsUnder(path), true);
        noDrop.eval();
        Tensor evalOut = noDrop.forward(u);
        noDrop.train(true);
        assertEquals(0.0, DecoderGolden.maxAbs(noDrop.forward(u), evalOut));
    }

    @Test
    void unevenFeatureSizesAreResizedToTheSkips() {
        // a 100×100 input gives stage sizes 25, 13, 7, 4 (PatchMerging pads odd sizes)
        MambaDecoder d = new MambaDecoder(32, new int[] {1, 1, 1, 1}, DType.F32);
        SplittableRandom r = new SplittableRandom(5);
        for (Tensor p : d.namedParameters().values()) {
            float[] v = p.storageFloats();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.2 * (2 * r.nextDouble() - 1));
        }
        int[] sizes = {25, 13, 7, 4};
        List<Tensor> fused = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            float[] v = new float[2 * (32 << s) * sizes[s] * sizes[s]];
            for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
            fused.add(Tensor.of(v, 2, 32 << s, sizes[s], sizes[s]));
        }
        d.eval();
        Tensor logits = d.forward(fused, 100, 100);
        assertArrayEquals(new int[] {2, 1, 100, 100}, logits.shape());
        Tensor other = d.forward(fused, 97, 103);
        assertArrayEquals(new int[] {2, 1, 97, 103}, other.shape());
        for (double v : other.toDoubleArray()) assertTrue(Double.isFinite(v));
        // the float64 path agrees
        MambaDecoder d64 = new MambaDecoder(32, new int[] {1, 1, 1, 1}, DType.F64);
        Map<String, StoredTensor> state = new HashMap<>();
        d.namedParameters().forEach((k, t) -> state.put(k, StoredTensor.ofFloats(t.floats(), t.shape())));
        StateDictLoader.load(d64, state, true);
        d64.eval();
        double err = MiniGolden.relativeError(logits, d64.forward(fused.stream().map(t -> t.to(DType.F64)).toList(), 100, 100));
        assertTrue(err < 1e-4, "float32 vs float64: " + err);
    }

    @Test
    void threadCountDoesNotChangeTheBits() {
        String path = "decode_head.layers_up.3.blocks.0";
        MambaDecoder d = DecoderGolden.miniDecoder(DType.F32);
        Tensor u = MiniGolden.act(path, 0, "in0");
        int before = jcipa.tensor.parallel.Parallel.threads();
        try {
            jcipa.tensor.parallel.Parallel.setThreads(1);
            float[] one = d.stage(3).forward(u).floats().clone();
            float[] upOne = d.finalUpsample().forward(u).floats().clone();
            jcipa.tensor.parallel.Parallel.setThreads(3);
            assertArrayEquals(one, d.stage(3).forward(u).floats());
            assertArrayEquals(upOne, d.finalUpsample().forward(u).floats());
        } finally {
            jcipa.tensor.parallel.Parallel.setThreads(before);
        }
    }

    @Test
    void badInputsAreRejected() {
        MambaDecoder d = new MambaDecoder(32, new int[] {1, 1, 1, 1}, DType.F32);
        List<Tensor> ok = List.of(Tensor.zeros(DType.F32, 1, 32, 8, 8), Tensor.zeros(DType.F32, 1, 64, 4, 4),
                Tensor.zeros(DType.F32, 1, 128, 2, 2), Tensor.zeros(DType.F32, 1, 256, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> d.forward(ok.subList(0, 3), 32, 32));
        List<Tensor> wrong = new ArrayList<>(ok);
        wrong.set(2, Tensor.zeros(DType.F32, 1, 64, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.forward(wrong, 32, 32));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.forward(ok, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> d.patchExpand().forward(Tensor.zeros(DType.F32, 1, 2, 2, 128)));
        assertThrows(IllegalArgumentException.class, () -> d.stage(1).block(0).forward(Tensor.zeros(DType.F32, 1, 128, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> d.stage(0));
    }
}
