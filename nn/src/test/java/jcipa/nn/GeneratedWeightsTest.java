package jcipa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The test vectors of the golden README (salt cipa-tiny-512). */
class GeneratedWeightsTest {
    static void check(String name, long h, double base, double scale, int... bits) {
        assertEquals(h, GeneratedWeights.seed("cipa-tiny-512", name), name);
        float[] v = GeneratedWeights.values("cipa-tiny-512", name, bits.length, base, scale);
        for (int i = 0; i < bits.length; i++)
            assertEquals(Integer.toHexString(bits[i]), Integer.toHexString(Float.floatToRawIntBits(v[i])), name + "[" + i + "]");
    }

    @Test
    void readmeTestVectors() {
        check("backbone.vssm.patch_embed.0.weight", 0xc70f3dd434cb7408L, 0, 0.25, 0x3e0f9b50, 0xbe5f770e, 0xbdc0b344, 0x3e35dce8);
        // [base, scale] from meta.weights.tensors of golden/cipa-tiny-512.safetensors
        check("backbone.vssm.layers.0.blocks.0.op.A_logs", 0x5bbca6ab7e965084L, 1.4, 1.35, 0x401478c1, 0x402a972c, 0x3faf2554, 0x401adb5a);
        check("decode_head.output.weight", 0xafc7a77057670d76L, 0.0, 0.1767766952966369, 0xbde35987, 0x3dc55e6a, 0x3c04c17f, 0xbbc12006);
    }

    @Test
    void seedsOfTheOtherVectors() {
        assertEquals(0x5bbca6ab7e965084L, GeneratedWeights.seed("cipa-tiny-512", "backbone.vssm.layers.0.blocks.0.op.A_logs"));
        assertEquals(0xafc7a77057670d76L, GeneratedWeights.seed("cipa-tiny-512", "decode_head.output.weight"));
    }
}
