package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jcipa.nn.StateDictLoader;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.MacCounter;
import jcipa.tensor.ops.MacCounter.Op;
import org.junit.jupiter.api.Test;

/**
 * The shape-only MAC analysis against a forward that counts every op it runs, and the parameter
 * totals against the official models'.
 */
class MacAnalysisTest {
    static final CipaConfig MINI = new CipaConfig("mini", 32, new int[] {1, 1, 2, 1}, new int[] {4, 4, 4, 4}, 128, 0.0);

    @Test
    void parameterTotalsEqualTheOfficialModels() throws Exception {
        JsonNode arch = JsonMapper.builder().build().readTree(Files.readString(MiniGolden.goldenDir().resolve("architectures.json")));
        for (String name : new String[] {"tiny", "small", "base"}) {
            Cipa model = new Cipa(CipaConfig.named(name, 512), DType.F32);
            model.eval();
            MacAnalysis a = MacAnalysis.of(model, 1);
            long official = arch.get("sigma_" + name).get("param_count").asLong();
            long rowParams = 0, rowMacs = 0;
            for (MacAnalysis.Row r : a.rows()) {
                rowParams += r.parameters();
                rowMacs += r.macs();
            }
            assertEquals(official, a.parameters(""), name + ": parameters of the whole model");
            assertEquals(official, rowParams, name + ": parameters summed over the rows");
            assertEquals(a.total(), rowMacs, name + ": MACs summed over the rows");
        }
    }

    @Test
    void analyticCountEqualsTheCountedForwardOnTheMini() {
        Cipa model = new Cipa(MINI, DType.F32);
        model.eval();
        StateDictLoader.load(model, MiniGolden.weights(), true);
        Tensor[] in = MiniGolden.inputs();
        Tensor ct = in[0], pet = in[1];
        int batch = ct.size(0);
        MacAnalysis a = MacAnalysis.of(model, batch);

        // the two halves of the forward, each under its own counter
        MacCounter backboneCount, decoderCount;
        List<Tensor> fused;
        try (MacCounter c = MacCounter.start()) {
            fused = Autograd.noGrad(() -> model.backbone().forward(ct, pet, null));
            backboneCount = c;
        }
        try (MacCounter c = MacCounter.start()) {
            Autograd.noGrad(() -> model.decodeHead().forward(fused, MINI.imageSize(), MINI.imageSize()));
            decoderCount = c;
        }
        assertEquals(a.module("backbone"), backboneCount.total(), "backbone");
        // our decoder also runs the official top-level logits resize
        assertEquals(a.module("decode_head") + a.own(""), decoderCount.total(), "decoder and logits resize");

        Map<Op, Long> counted = new EnumMap<>(Op.class);
        backboneCount.byOperator().forEach((op, v) -> counted.merge(op, v, Long::sum));
        decoderCount.byOperator().forEach((op, v) -> counted.merge(op, v, Long::sum));
        assertEquals(counted, a.byOperator(), "MACs by operator");
        assertEquals(backboneCount.total() + decoderCount.total(), a.total());
        assertTrue(a.total() > 0);
        for (Op op : Op.values()) assertTrue(a.byOperator().getOrDefault(op, 0L) > 0, op + " occurs in CIPA");

        // and the whole forward at once
        try (MacCounter c = MacCounter.start()) {
            Autograd.noGrad(() -> model.forward(ct, pet));
            assertEquals(a.total(), c.total(), "whole forward");
        }
    }

    /** A few parts of sigma_tiny at 512×512, worked out by hand from fvcore's rules. */
    @Test
    void partsOfTinyFollowTheRulesByHand() {
        Cipa model = new Cipa(CipaConfig.tiny(512), DType.F32);
        model.eval();
        MacAnalysis a = MacAnalysis.of(model, 1);
        long h = 128, c0 = 96;
        // conv 3→96, 4×4 stride 4, then LayerNorm (5 per element); run on CT and PET
        assertEquals(2 * (c0 * h * h * 3 * 16 + 5 * h * h * c0), a.module("backbone.vssm.patch_embed"));
        // one stage-0 block (twice: CT and PET): LN, in_proj 96→384, depthwise 3×3 on 192, x_proj (6+32 rows), dt_proj (rank 6),
        // scan 9·L·(4·192)·16 + L·4·192, out_norm on 192, out_proj 192→96
        long l = h * h, d = 192;
        long block = 5 * l * c0 + l * c0 * 2 * d + d * l * 9 + 4 * 38 * d * l + 4 * d * 6 * l
                + 9 * l * 4 * d * 16 + l * 4 * d + 5 * l * d + l * d * c0;
        assertEquals(2 * block, a.module("backbone.vssm.layers.0.blocks.0"));
        // CRM of stage 0: tokens (2·96, 16384): LN, Linear 16384→96, SS1D(96) over 192 tokens, LN(96), Linear 96→1
        long t = 2 * c0, hw = l, sd = 192;
        long ss1d = t * 96 * 2 * sd + 38 * sd * t + sd * 6 * t + (9 * t * sd * 16 + t * sd) + 5 * t * sd + t * sd * 96;
        assertEquals(5 * t * hw + t * hw * 96 + ss1d + 5 * t * 96 + t * 96, a.module("backbone.cross_mamba.0"));
        // the decoder's output conv 1×1 96→1 at 512×512, and the identity resize of the logits
        assertEquals(512L * 512 * 96, a.module("decode_head.output"));
        assertEquals(4L * 512 * 512, a.own(""));
    }
}
