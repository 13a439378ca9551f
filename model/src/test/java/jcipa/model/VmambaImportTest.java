package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateValue;
import jcipa.nn.StoredTensor;
import jcipa.nn.WeightFiles;
import jcipa.tensor.DType;

/**
 * Loading golden/vmamba-mini-imagenet-style.pth (the mini encoder under VMamba ImageNet names)
 * must give back the mini encoder of golden/cipa-mini-checkpoint.pth bit for bit.
 */
class VmambaImportTest {
    private static final Path IMAGENET = MiniGolden.goldenDir().resolve("vmamba-mini-imagenet-style.pth");

    /** What an ImageNet file cannot supply: the backbone's own output norms. */
    private static final List<String> NOT_IN_IMAGENET = List.of(
            "outnorm0.weight", "outnorm0.bias", "outnorm1.weight", "outnorm1.bias",
            "outnorm2.weight", "outnorm2.bias", "outnorm3.weight", "outnorm3.bias");

    private static VssmEncoder mini() { return new VssmEncoder(32, new int[] {1, 1, 2, 1}, 0.0, DType.F32); }

    private static float[] values(StateValue v) {
        double[] d = ((StateValue.Floats) v).tensor().toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static void assertSameBits(float[] want, float[] got, String name) {
        assertEquals(want.length, got.length, name + ": length");
        for (int i = 0; i < want.length; i++)
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i]))
                throw new AssertionError(name + "[" + i + "]: want " + want[i] + ", got " + got[i]);
    }

    @Test
    void goldenImageNetFileGivesTheMiniEncoderBitForBit() throws IOException {
        VssmEncoder enc = mini();
        Map<String, float[]> before = new LinkedHashMap<>();
        enc.stateDict().forEach((k, v) -> before.put(k, values(v)));

        VmambaImportReport report = VmambaImport.loadInto(enc, IMAGENET);

        assertEquals(NOT_IN_IMAGENET, report.missing(), report.toString());
        assertEquals(List.of("norm.weight", "norm.bias", "head.weight", "head.bias"), report.dropped());
        assertEquals(List.of(), report.unexpected());
        assertEquals(List.of(), report.misshaped());
        assertTrue(report.complete());

        Map<String, StoredTensor> golden = MiniGolden.weightsUnder("backbone.vssm");
        assertEquals(new ArrayList<>(golden.keySet()), new ArrayList<>(enc.stateDict().keySet()));
        int compared = 0;
        for (var e : enc.stateDict().entrySet()) {
            String name = e.getKey();
            if (NOT_IN_IMAGENET.contains(name)) {
                assertSameBits(before.get(name), values(e.getValue()), name + " (kept as initialised)");
            } else {
                assertSameBits(golden.get(name).floats(), values(e.getValue()), name);
                compared++;
            }
        }
        assertEquals(golden.size() - NOT_IN_IMAGENET.size(), compared);
        assertEquals(compared, report.loaded().size());
    }

    @Test
    void renamedStateDictHasTheCheckpointsEncoderNamesInOrder() throws IOException {
        Map<String, StoredTensor> imagenet = WeightFiles.read(IMAGENET);
        Map<String, StoredTensor> renamed = VmambaImport.toEncoderStateDict(imagenet);
        List<String> want = new ArrayList<>(MiniGolden.weightsUnder("backbone.vssm").keySet());
        want.removeAll(NOT_IN_IMAGENET);
        assertEquals(want, new ArrayList<>(renamed.keySet()));
        assertSame(imagenet.get("layers.2.blocks.1.self_attention.A_logs"), renamed.get("layers.2.blocks.1.op.A_logs"));
        assertSame(imagenet.get("patch_embed.norm.bias"), renamed.get("patch_embed.2.bias"));
    }

    @Test
    void unexpectedMisshapedAndMissingKeysAreReportedByName() throws IOException {
        Map<String, StoredTensor> imagenet = new LinkedHashMap<>(WeightFiles.read(IMAGENET));
        imagenet.put("layers.1.blocks.0.ln_1.weight", StoredTensor.ofFloats(new float[65], 65));
        imagenet.put("layers.0.blocks.0.self_attention.extra", StoredTensor.ofFloats(new float[3], 3));
        imagenet.put("layers.0.blocks.0.mlp.fc1.weight", StoredTensor.ofFloats(new float[4], 2, 2));
        imagenet.remove("layers.3.blocks.0.self_attention.Ds");

        VssmEncoder enc = mini();
        float[] normBefore = values(enc.stateDict().get("layers.1.blocks.0.norm.weight"));
        VmambaImportReport report = VmambaImport.loadInto(enc, imagenet);

        assertEquals(List.of("layers.0.blocks.0.self_attention.extra", "layers.0.blocks.0.mlp.fc1.weight"), report.unexpected());
        assertEquals(List.of("layers.1.blocks.0.ln_1.weight -> layers.1.blocks.0.norm.weight: file [65] vs model [64]"), report.misshaped());
        List<String> missing = new ArrayList<>(List.of("layers.3.blocks.0.op.Ds"));
        missing.addAll(NOT_IN_IMAGENET);
        assertEquals(missing, report.missing());
        assertFalse(report.complete());
        assertTrue(report.toString().contains("layers.0.blocks.0.self_attention.extra"), report.toString());

        // As in the official non-strict load, what does not fit is skipped and the rest still loads.
        Map<String, StateValue> state = enc.stateDict();
        assertSameBits(normBefore, values(state.get("layers.1.blocks.0.norm.weight")), "mis-shaped entry left alone");
        Map<String, StoredTensor> golden = MiniGolden.weightsUnder("backbone.vssm");
        assertSameBits(golden.get("layers.1.blocks.0.norm.bias").floats(), values(state.get("layers.1.blocks.0.norm.bias")), "its neighbour");
        assertFalse(report.loaded().containsKey("layers.1.blocks.0.norm.weight"));
    }

    @Test
    void renamesArePlainPrefixSubstitutionsAsInTheOfficialLoader() {
        assertEquals("patch_embed.0.weight", VmambaImport.encoderName("patch_embed.proj.weight"));
        assertEquals("patch_embed.2.bias", VmambaImport.encoderName("patch_embed.norm.bias"));
        assertEquals("layers.10.blocks.26.norm.weight", VmambaImport.encoderName("layers.10.blocks.26.ln_1.weight"));
        assertEquals("layers.2.blocks.8.op.x_proj_weight", VmambaImport.encoderName("layers.2.blocks.8.self_attention.x_proj_weight"));
        assertEquals("layers.0.downsample.reduction.weight", VmambaImport.encoderName("layers.0.downsample.reduction.weight"));
        assertEquals("classifier.norm.weight", VmambaImport.encoderName("norm.weight"));
        assertEquals("classifier.head.bias", VmambaImport.encoderName("head.bias"));
        // Prefixes need no component boundary, and the official index loops stop at 99.
        assertEquals("classifier.normalizer.weight", VmambaImport.encoderName("normalizer.weight"));
        assertEquals("layers.0.blocks.0.normx", VmambaImport.encoderName("layers.0.blocks.0.ln_1x"));
        assertEquals("layers.0.blocks.100.ln_1.weight", VmambaImport.encoderName("layers.0.blocks.100.ln_1.weight"));
        assertEquals("layers.01.blocks.0.ln_1.weight", VmambaImport.encoderName("layers.01.blocks.0.ln_1.weight"));
        assertEquals("outnorm0.weight", VmambaImport.encoderName("outnorm0.weight"));
    }

    @Test
    void renamedKeyShadowsAVerbatimOneAndClassifierNamesAreDropped() {
        StoredTensor renamed = StoredTensor.ofFloats(new float[] {1}, 1), verbatim = StoredTensor.ofFloats(new float[] {2}, 1);
        for (boolean renamedFirst : new boolean[] {true, false}) {
            Map<String, StoredTensor> file = new LinkedHashMap<>();
            if (renamedFirst) file.put("patch_embed.proj.bias", renamed);
            file.put("patch_embed.0.bias", verbatim);
            if (!renamedFirst) file.put("patch_embed.proj.bias", renamed);
            file.put("classifier.head.weight", verbatim);
            assertEquals(Map.of("patch_embed.0.bias", renamed), VmambaImport.toEncoderStateDict(file));
        }
    }
}
