package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LoadReport;
import jcipa.nn.Module;
import jcipa.nn.StateDictLoader;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Losses;

/**
 * Float64 gradients of the training loss through the whole CIPA network against central finite
 * differences, on parameters of every module type (Conv2d dense and depthwise, Linear, LayerNorm,
 * BatchNorm in eval, SS2D's and SS1D's x_proj_weight / dt_projs_weight / dt_projs_bias / A_logs /
 * Ds, the decoder's scale1 / scale2, its channel attention, patch expand and final upsample).
 *
 * <p>The model is the mini one cut to one block per stage (dims 32, depths [1,1,1,1], decoder
 * [1,1,1,1], 128×128, batch 1) with the mini checkpoint's weights, in evaluation mode. For each
 * chosen tensor two elements are probed: its largest-gradient element and the largest one in the
 * other half of the flat tensor. Each probe is (L(θ + h) − L(θ − h)) / 2h, and must agree with
 * autograd within 1e-6 of the gradient scale as {@link jcipa.tensor.check.GradCheck} defines it
 * (the largest gradient magnitude, here over all parameters, at least 1), and within 1e-4 of the
 * probed tensor's own largest gradient, so that tensors whose gradients are tiny (the scan's
 * dt_projs_weight, about 1e-8) are checked too.
 *
 * <p>Step: h = clamp(1e-9 / |g|, 1e-7, 1e-2). A finite difference has three errors here: rounding
 * noise of the float64 forward (about 2e-15 in L, so 1e-15/h in the difference quotient),
 * truncation (h² L'''/6), and the kinks of DCIM's ReLUs and the max-pooling of the channel
 * rectification: a ReLU input that crosses zero between θ − h and θ + h biases the quotient by
 * O(h). Parameters with large gradients move many ReLU inputs, so they get the small step; those
 * with tiny gradients get a step whose rounding noise stays small against their gradient.
 *
 * <p>To keep the test fast, a probe recomputes only what its parameter feeds (the encoder from the
 * parameter's stage, the fusion of one stage, or the decoder alone); that staged forward is first
 * checked to give exactly the model's own loss.
 */
class WholeModelGradCheckTest {

    private static final double TOL_GLOBAL = 1e-6, TOL_OWN = 1e-4;

    /** Module types, one or more tensors each. */
    private static final List<String> PROBED = List.of(
            "backbone.vssm.patch_embed.0.weight",                                  // Conv2d 4×4 stride 4 (the whole path)
            "backbone.vssm.layers.2.downsample.reduction.weight",                  // PatchMerging2D's Linear
            "backbone.vssm.layers.3.blocks.0.norm.weight",                         // LayerNorm
            "backbone.vssm.layers.3.blocks.0.op.in_proj.weight",                   // Linear
            "backbone.vssm.layers.3.blocks.0.op.conv2d.weight",                    // depthwise Conv2d
            "backbone.vssm.layers.3.blocks.0.op.x_proj_weight",                    // SS2D
            "backbone.vssm.layers.3.blocks.0.op.dt_projs_weight",
            "backbone.vssm.layers.3.blocks.0.op.dt_projs_bias",
            "backbone.vssm.layers.3.blocks.0.op.A_logs",
            "backbone.vssm.layers.3.blocks.0.op.Ds",
            "backbone.cross_mamba.3.channel_weights.mlp.0.weight",                 // ChannelRectification: LayerNorm over H·W
            "backbone.cross_mamba.3.channel_weights.mlp.1.bias",                   // Linear bias
            "backbone.cross_mamba.3.channel_weights.mlp.3.x_proj_weight",          // SS1D
            "backbone.cross_mamba.3.channel_weights.mlp.3.dt_projs_weight",
            "backbone.cross_mamba.3.channel_weights.mlp.3.dt_projs_bias",
            "backbone.cross_mamba.3.channel_weights.mlp.3.A_logs",
            "backbone.cross_mamba.3.channel_weights.mlp.3.Ds",
            "backbone.region_patch.0.inner_convs.0.weight",                        // Conv2d 3×3 (DCIM stem)
            "backbone.region_patch.0.inner_convs.1.weight",                        // BatchNorm (eval)
            "backbone.region_patch.0.inner_convs.1.bias",
            "backbone.channel_attn_mamba.1.outer_attn.A_logs",                     // RegionGlobalBlock's SS2D
            "decode_head.layers_up.0.expand.weight",                               // PatchExpand
            "decode_head.layers_up.1.blocks.0.scale1",                             // CVSS decoder block
            "decode_head.layers_up.1.blocks.0.scale2",
            "decode_head.layers_up.1.blocks.0.op.dt_projs_bias",                   // decoder SS2D (d_state 4)
            "decode_head.layers_up.1.blocks.0.conv_blk.cab.3.fc.0.weight",         // channel attention 1×1 conv
            "decode_head.up.linear1.weight",                                       // final ×4 upsample
            "decode_head.output.weight");                                          // 1×1 output conv

    @Test
    void wholeModelGradientsMatchCentralDifferences() {
        long t0 = System.nanoTime();
        CipaConfig cfg = new CipaConfig("grad-check", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0);
        Cipa model = new Cipa(cfg, DType.F64);
        LoadReport load = StateDictLoader.load(model, MiniGolden.weights(), false);
        assertTrue(load.missing().isEmpty() && load.misshaped().isEmpty(), load.toString());   // the mini's extra blocks are unexpected
        model.eval();
        int[] s = MiniGolden.golden().shapeInt("input/ct_u8");
        Tensor ct = firstImage(Inputs.fromU8(MiniGolden.golden().bytes("input/ct_u8"), s[0], s[1], s[2]));
        Tensor pet = firstImage(Inputs.fromU8(MiniGolden.golden().bytes("input/pet_u8"), s[0], s[1], s[2]));
        Tensor target = firstImage(Inputs.maskFromU8(MiniGolden.golden().bytes("input/mask_u8"), s[0], s[1], s[2]));

        Tensor loss = Losses.diceBce(model.forward(ct, pet), target);
        loss.backward();
        Map<String, Tensor> params = model.namedParameters();
        double globalScale = 1;
        for (Tensor p : params.values()) globalScale = Math.max(globalScale, maxAbs(p.grad().toDoubleArray()));

        StagedLoss staged = new StagedLoss(model, ct, pet, target);
        assertEquals(loss.item(), staged.full(), 0.0, "the staged forward must give the model's own loss");

        double worstGlobal = 0, worstOwn = 0;
        String worstGlobalAt = "", worstOwnAt = "";
        List<String> failures = new ArrayList<>();
        for (String name : PROBED) {
            Tensor p = params.get(name);
            assertTrue(p != null, "no parameter " + name);
            double[] g = p.grad().toDoubleArray();
            double own = maxAbs(g);
            assertTrue(own > 0, name + " has an all-zero gradient");
            for (int i : probes(g)) {
                double h = Math.min(1e-2, Math.max(1e-7, 1e-9 / Math.abs(g[i])));
                double numeric = staged.centralDifference(name, p, i, h);
                double err = Math.abs(numeric - g[i]);
                String at = String.format(Locale.ROOT, "%s[%d] autograd %.12e numeric %.12e (h %.1e, tensor scale %.2e)", name, i, g[i], numeric, h, own);
                if (err / globalScale > worstGlobal) { worstGlobal = err / globalScale; worstGlobalAt = at; }
                if (err / own > worstOwn) { worstOwn = err / own; worstOwnAt = at; }
                if (err > TOL_GLOBAL * globalScale || err > TOL_OWN * own) failures.add(at + ": error " + err);
            }
        }
        System.out.printf(Locale.ROOT, "%d tensors, %d probes; gradient scale %.3e%n", PROBED.size(), 2 * PROBED.size(), globalScale);
        System.out.printf(Locale.ROOT, "worst error / gradient scale %.3e at %s%n", worstGlobal, worstGlobalAt);
        System.out.printf(Locale.ROOT, "worst error / tensor's own scale %.3e at %s%n", worstOwn, worstOwnAt);
        System.out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The largest-gradient element, and the largest in the other half of the flat tensor. */
    static int[] probes(double[] g) {
        int a = argMaxAbs(g, 0, g.length);
        int half = g.length / 2;
        int b = a < half ? argMaxAbs(g, half, g.length) : argMaxAbs(g, 0, half);
        return new int[] {a, b};
    }

    private static int argMaxAbs(double[] g, int from, int to) {
        int best = from;
        for (int i = from; i < to; i++) if (Math.abs(g[i]) > Math.abs(g[best])) best = i;
        return best;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static Tensor firstImage(Tensor t) { return t.slice(0, 0, 1).contiguous().to(DType.F64); }

    /**
     * The model's forward (CipaBackbone + MambaDecoder) split at its stages, with the intermediate
     * results of the unperturbed parameters kept, so that a perturbed parameter recomputes only
     * what depends on it. Evaluation mode, no gradients recorded.
     */
    static final class StagedLoss {
        private final Cipa model;
        private final Tensor[] images;
        private final Tensor target;
        private final Tensor[][] stageIn = new Tensor[2][4], stageOut = new Tensor[2][4];   // [ct | pet][stage]
        private final Tensor[] fused = new Tensor[4];
        private final LayerNormLayer[] outNorms = new LayerNormLayer[4];

        StagedLoss(Cipa model, Tensor ct, Tensor pet, Tensor target) {
            this.model = model;
            this.images = new Tensor[] {ct, pet};
            this.target = target;
            Map<String, Module> byPath = new java.util.HashMap<>();
            for (var e : model.namedModules()) byPath.put(e.getKey(), e.getValue());
            for (int i = 0; i < 4; i++) outNorms[i] = (LayerNormLayer) byPath.get("backbone.vssm.outnorm" + i);
        }

        /** The loss, computing every stage. */
        double full() { return lossAfter("backbone.vssm.patch_embed"); }

        /** (L(θ + h·e_i) − L(θ − h·e_i)) / 2h for element i of parameter p; p and the kept results are left as they were. */
        double centralDifference(String name, Tensor p, int i, double h) {
            double[] data = p.storageDoubles();
            int at = p.offset() + i;
            double keep = data[at];
            Tensor[][] in = {stageIn[0].clone(), stageIn[1].clone()}, out = {stageOut[0].clone(), stageOut[1].clone()};
            Tensor[] fu = fused.clone();
            data[at] = keep + h;
            double up = lossAfter(name);
            data[at] = keep - h;
            double down = lossAfter(name);
            data[at] = keep;
            for (int m = 0; m < 2; m++) {
                System.arraycopy(in[m], 0, stageIn[m], 0, 4);
                System.arraycopy(out[m], 0, stageOut[m], 0, 4);
            }
            System.arraycopy(fu, 0, fused, 0, 4);
            return (up - down) / (2 * h);
        }

        /** Recomputes what parameter {@code name} feeds, then the loss. */
        private double lossAfter(String name) {
            try (Autograd.Scope ng = Autograd.noGrad()) {
                CipaBackbone bb = model.backbone();
                if (name.startsWith("backbone.vssm.")) {
                    int from = name.startsWith("backbone.vssm.layers.") ? stageOf(name, "backbone.vssm.layers.") : -1;
                    if (name.startsWith("backbone.vssm.outnorm")) from = 0;
                    for (int m = 0; m < 2; m++) {
                        if (from < 0) stageIn[m][0] = bb.encoder().patchEmbed().forward(images[m]);
                        Tensor x = stageIn[m][Math.max(from, 0)];
                        for (int i = Math.max(from, 0); i < 4; i++) {   // VssmEncoder.forward from stage i
                            VssStage stage = bb.encoder().stage(i);
                            Tensor o = stage.blocks(x, null);
                            x = stage.downsample(o);
                            if (i < 3) stageIn[m][i + 1] = x;
                            stageOut[m][i] = outNorms[i].forward(o).permute(0, 3, 1, 2).contiguous();
                        }
                    }
                    for (int i = Math.max(from, 0); i < 4; i++) fuse(i);
                } else if (name.startsWith("backbone.")) {
                    String rest = name.substring("backbone.".length());
                    fuse(stageOf(rest, rest.substring(0, rest.indexOf('.') + 1)));
                } else if (!name.startsWith("decode_head.")) {
                    throw new IllegalArgumentException("no stage for " + name);
                }
                Tensor logits = model.decodeHead().forward(List.of(fused), images[0].size(2), images[0].size(3), null);
                return Losses.diceBce(logits, target).item();
            }
        }

        /** CipaBackbone.forward for stage i. */
        private void fuse(int i) {
            CipaBackbone bb = model.backbone();
            Tensor c = stageOut[0][i], p = stageOut[1][i];
            ChannelRectification.Pair rect = bb.crm(i).forward(c, p);
            RegionStem.Tokens tokens = bb.stem(i).forward(rect.ct(), rect.pet());
            Tensor mixed = bb.regionGlobal(i).forward(tokens);
            fused[i] = c.add(p).add(mixed.permute(0, 3, 1, 2));
        }

        private static int stageOf(String name, String prefix) {
            String rest = name.substring(prefix.length());
            return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
        }
    }
}
