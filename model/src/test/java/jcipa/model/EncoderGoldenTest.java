package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import jcipa.nn.StateDictLoader;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** Patch embedding, downsampling, the whole encoder and the CRMs of the mini model against the GPU captures. */
class EncoderGoldenTest {
    private static final String ENC = "backbone.vssm";
    private static VssmEncoder encoder;

    private static synchronized VssmEncoder encoder() {
        if (encoder == null) {
            encoder = new VssmEncoder(32, new int[] {1, 1, 2, 1}, 0.0, DType.F32);
            StateDictLoader.load(encoder, MiniGolden.weightsUnder(ENC), true);
            encoder.eval();
        }
        return encoder;
    }

    private static void check(String what, Tensor ours, Tensor golden) {
        assertEquals(List.of(golden.shape().length), List.of(ours.shape().length), what + ": rank");
        assertTrue(java.util.Arrays.equals(golden.shape(), ours.shape()), what + ": shape");
        double err = MiniGolden.relativeError(ours, golden);
        System.out.printf("%s relative error %.3e%n", what, err);
        assertTrue(err <= 1e-4, what + ": relative error " + err);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void patchEmbed(int call) {
        String p = ENC + ".patch_embed";
        check(p + "#" + call, encoder().patchEmbed().forward(MiniGolden.act(p, call, "in0")), MiniGolden.act(p, call, "out0"));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "0, 1", "1, 0", "1, 1", "2, 0", "2, 1"})
    void downsample(int stage, int call) {
        String p = ENC + ".layers." + stage + ".downsample";
        check(p + "#" + call, encoder().stage(stage).downsample(MiniGolden.act(p, call, "in0")), MiniGolden.act(p, call, "out0"));
    }

    /** The four stage outputs of each pass are the inputs the CRMs received (in0 CT, in1 PET). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void wholeEncoder(int call) {
        List<Tensor> outs = encoder().forward(MiniGolden.act(ENC + ".patch_embed", call, "in0"));
        for (int i = 0; i < 4; i++)
            check("encoder stage " + i + " pass #" + call, outs.get(i), MiniGolden.act("backbone.cross_mamba." + i, 0, "in" + call));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void channelRectification(int i) {
        String p = "backbone.cross_mamba." + i;
        Tensor ct = MiniGolden.act(p, 0, "in0"), pet = MiniGolden.act(p, 0, "in1");
        ChannelRectification crm = new ChannelRectification(ct.size(1), ct.size(2) * ct.size(3), DType.F32);
        StateDictLoader.load(crm, MiniGolden.weightsUnder(p), true);
        crm.eval();
        ChannelRectification.Pair out = crm.forward(ct, pet);
        check(p + " out0", out.ct(), MiniGolden.act(p, 0, "out0"));
        check(p + " out1", out.pet(), MiniGolden.act(p, 0, "out1"));
    }

    @Test
    void float64ChannelRectification() {
        String p = "backbone.cross_mamba.0";
        Tensor ct = MiniGolden.act(p, 0, "in0"), pet = MiniGolden.act(p, 0, "in1");
        ChannelRectification crm = new ChannelRectification(32, 32 * 32, DType.F64);
        StateDictLoader.load(crm, MiniGolden.weightsUnder(p), true);
        ChannelRectification.Pair out = crm.forward(ct.to(DType.F64), pet.to(DType.F64));
        check(p + " float64 out0", out.ct(), MiniGolden.act(p, 0, "out0"));
        check(p + " float64 out1", out.pet(), MiniGolden.act(p, 0, "out1"));
    }
}
