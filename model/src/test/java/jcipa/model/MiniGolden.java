package jcipa.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jcipa.nn.StoredTensor;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;

/**
 * The mini CIPA golden case for module tests: its captured activations
 * ({@code golden/cipa-mini.safetensors}) and its weights.
 *
 * <p>Weights come from {@code golden/cipa-mini-checkpoint.pth} through the project's own restricted
 * checkpoint reader.
 */
public final class MiniGolden {
    private MiniGolden() {}

    public static Path goldenDir() { return Path.of(System.getProperty("jcipa.golden", "../golden")); }

    private static SafeTensors golden;
    private static Map<String, StoredTensor> weights;

    /** The activations file (kept open for the JVM's life). */
    public static synchronized SafeTensors golden() {
        if (golden == null) {
            try {
                golden = SafeTensors.open(goldenDir().resolve("cipa-mini.safetensors"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return golden;
    }

    /** The mini model's state dict, read from golden/cipa-mini-checkpoint.pth (the released CIPA.pth layout). */
    public static synchronized Map<String, StoredTensor> weights() {
        if (weights == null) {
            try {
                weights = jcipa.nn.WeightFiles.read(goldenDir().resolve("cipa-mini-checkpoint.pth"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return weights;
    }

    /** The entries of the state dict under {@code prefix.}, with the prefix removed. */
    public static Map<String, StoredTensor> weightsUnder(String prefix) {
        Map<String, StoredTensor> m = new LinkedHashMap<>();
        weights().forEach((k, v) -> { if (k.startsWith(prefix + ".")) m.put(k.substring(prefix.length() + 1), v); });
        return m;
    }

    /** A captured activation, e.g. {@code act("backbone.vssm.layers.0.blocks.0", 0, "in0")}, as a float32 tensor. */
    public static Tensor act(String module, int call, String which) {
        String name = "act/" + module + "#" + call + "/" + which;
        return Tensor.of(golden().floats(name), golden().shapeInt(name));
    }

    /** True if the golden file captured that activation. */
    public static boolean has(String module, int call, String which) {
        return golden().has("act/" + module + "#" + call + "/" + which);
    }

    /** max|a − b| / max|b|. */
    public static double relativeError(Tensor ours, Tensor ref) {
        double[] a = ours.toDoubleArray(), b = ref.toDoubleArray();
        if (a.length != b.length) throw new AssertionError("sizes differ: " + a.length + " vs " + b.length);
        double err = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale > 0 ? err / scale : err;
    }

    /** The mini CIPA in eval mode with the golden weights. */
    static Cipa model() {
        Cipa model = new Cipa(CipaGoldenTest.MINI, jcipa.tensor.DType.F32);
        model.eval();
        jcipa.nn.StateDictLoader.load(model, weights(), true);
        return model;
    }

    /** The network inputs of the golden case: {CT, PET}, each (B, 3, 128, 128) float32. */
    public static Tensor[] inputs() {
        SafeTensors g = golden();
        int[] s = g.shapeInt("input/ct_u8");
        return new Tensor[] {
            jcipa.model.Inputs.fromU8(g.bytes("input/ct_u8"), s[0], s[1], s[2]),
            jcipa.model.Inputs.fromU8(g.bytes("input/pet_u8"), s[0], s[1], s[2])};
    }
}
