package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * CVSS blocks, whole stages and the whole decoder against the mini model's captures, in float32 and
 * float64: relative error max|ours − golden| / max|golden| ≤ 1e-4 per module; the logits from the
 * fused encoder features within 1e-4 absolute of the exact-math logits ({@code out64/logits}).
 */
class DecoderGoldenTest {
    private static final double TOL = 1e-4;

    private static double check(String what, Tensor ours, Tensor golden) {
        assertArrayEquals(golden.shape(), ours.shape(), what + " shape");
        double err = MiniGolden.relativeError(ours, golden);
        System.out.printf("%-36s %s rel err %.3e%n", what, ours.dtype(), err);
        assertTrue(err <= TOL, what + ": relative error " + err);
        return err;
    }

    @Test
    void cvssBlocks() {
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            for (int k = 1; k <= 3; k++)
                for (int j = 0; j < 4; j++) {
                    String name = "decode_head.layers_up." + k + ".blocks." + j;
                    Tensor out = d.stage(k).block(j).forward(MiniGolden.act(name, 0, "in0").to(dt));
                    check(name.substring(12), out, MiniGolden.act(name, 0, "out0"));
                }
        }
    }

    @Test
    void wholeStages() {
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            for (int k = 1; k <= 3; k++) {
                String name = "decode_head.layers_up." + k;
                check(name.substring(12), d.stage(k).forward(MiniGolden.act(name, 0, "in0").to(dt)), MiniGolden.act(name, 0, "out0"));
            }
        }
    }

    @Test
    void normUpFeedsTheFinalUpsample() {
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            Tensor y = MiniGolden.act("decode_head.layers_up.3", 0, "out0").to(dt);
            check("norm_up", d.normUp().forward(y), MiniGolden.act("decode_head.up", 0, "in0"));
        }
    }

    @Test
    void logitsFromFusedFeatures() {
        List<Tensor> fused = DecoderGolden.fusedAll();
        Tensor golden32 = DecoderGolden.golden32("out/logits");
        Tensor golden64 = DecoderGolden.golden64("out64/logits");
        for (DType dt : DType.values()) {
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            Tensor logits = d.forward(fused.stream().map(t -> t.to(dt)).toList(), 128, 128);
            check("logits vs out/logits", logits, golden32);
            double abs64 = DecoderGolden.maxAbs(logits, golden64);
            System.out.printf("%-36s %s max abs err %.3e%n", "logits vs out64/logits", dt, abs64);
            assertTrue(abs64 <= 1e-4, dt + ": |logits − out64| = " + abs64);
        }
    }
}
