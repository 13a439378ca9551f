package jcipa.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jcipa.nn.Module;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** Decoder test support: official state-dict listings, fused encoder features from the captures. */
final class DecoderGolden {
    private DecoderGolden() {}

    /** One state-dict entry as "name [d0, d1, ...]". */
    static String entry(String name, int[] shape) { return name + " " + java.util.Arrays.toString(shape); }

    /** The module's state dict as entries, names prefixed. */
    static List<String> listing(Module m, String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, StateValue> e : m.stateDict().entrySet()) out.add(entry(prefix + e.getKey(), e.getValue().shape()));
        return out;
    }

    /** The entries under prefix of a JSON listing [[name, shape, dtype], ...]. */
    static List<String> listing(JsonNode list, String prefix) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) {
            String name = e.get(0).asText();
            if (!name.startsWith(prefix)) continue;
            int[] shape = new int[e.get(1).size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get(1).get(i).asInt();
            out.add(entry(name, shape));
        }
        return out;
    }

    /** The mini model's official listing (meta.state_dict of cipa-mini.safetensors). */
    static JsonNode miniStateDict() {
        try {
            return new ObjectMapper().readTree(MiniGolden.golden().metadata().get("meta")).get("state_dict");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listing of golden/architectures.json (sigma_tiny, sigma_small, sigma_base). */
    static JsonNode architecture(String name) {
        try {
            return new ObjectMapper().readTree(Files.readString(MiniGolden.goldenDir().resolve("architectures.json"))).get(name).get("state_dict");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mini decoder (C₀ 32, depths 4,4,4,4) with its trained weights, in dt. */
    static MambaDecoder miniDecoder(DType dt) {
        MambaDecoder d = new MambaDecoder(32, new int[] {4, 4, 4, 4}, dt);
        StateDictLoader.load(d, MiniGolden.weightsUnder("decode_head"), true);
        d.eval();
        return d;
    }

    /**
     * The fused feature of encoder stage s (NCHW) as the official encoder forms it:
     * (ct + pet) + DCIM(...) permuted to NCHW, with ct, pet the inputs of {@code cross_mamba.s} and
     * the DCIM output that of {@code channel_attn_mamba.s}, added in float32 in that order.
     */
    static Tensor fused(int s) {
        Tensor ct = MiniGolden.act("backbone.cross_mamba." + s, 0, "in0");
        Tensor pet = MiniGolden.act("backbone.cross_mamba." + s, 0, "in1");
        Tensor dcim = MiniGolden.act("backbone.channel_attn_mamba." + s, 0, "out0");
        return ct.add(pet).add(ChannelsLast.toNchw(dcim));
    }

    static List<Tensor> fusedAll() { return List.of(fused(0), fused(1), fused(2), fused(3)); }

    /** Max |a − b| over all elements (exact comparison when 0). */
    static double maxAbs(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        if (x.length != y.length) throw new AssertionError("sizes differ: " + x.length + " vs " + y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    /** A float32 tensor of the golden file. */
    static Tensor golden32(String name) {
        return Tensor.of(MiniGolden.golden().floats(name), MiniGolden.golden().shapeInt(name));
    }

    /** A tensor of the golden file (any float dtype), as float64. */
    static Tensor golden64(String name) {
        return Tensor.of(MiniGolden.golden().asDoubles(name), MiniGolden.golden().shapeInt(name));
    }
}
