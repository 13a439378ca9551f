package jcipa.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.MacCounter;
import jcipa.tensor.ops.MacCounter.Op;

/**
 * The multiply-accumulates (MACs) of one CIPA forward pass by fvcore's rules ({@link MacCounter.Op}),
 * worked out from the module tree and the input size alone: nothing runs, so any size is instant.
 * Each module type below follows its own forward shape by shape and charges each counted op to
 * the module that calls it; a module's figure ({@link #module}) is everything charged inside its
 * calls, as fvcore's {@code by_module()} reports it. The encoder runs twice (CT, then PET), so
 * {@code backbone.vssm} holds both passes.
 *
 * <p>Where the official code calls an op that ours skips because it is the identity (the bilinear
 * resizes of the decoder's skip inputs and of the logits, whose sizes already agree), fvcore counts
 * the call and so does this analysis; our forward reports those calls to an open counter too, so
 * that a counted forward and this analysis agree exactly. BatchNorm is charged as the module's
 * mode says (fvcore's figures are for evaluation, the official {@code flops()} runs in eval mode).
 */
public final class MacAnalysis {
    private final Map<Module, String> paths = new IdentityHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final Map<String, Long> byModule = new LinkedHashMap<>();
    private final Map<Op, Long> byOp = new EnumMap<>(Op.class);

    private MacAnalysis(Module root) {
        for (Map.Entry<String, Module> e : root.namedModules()) {
            paths.put(e.getValue(), e.getKey());
            modules.put(e.getKey(), e.getValue());
        }
    }

    /** The MACs of {@code model} on a batch of {@code batch} CT/PET pairs of the configured size. */
    public static MacAnalysis of(Cipa model, int batch) {
        if (batch < 1) throw new IllegalArgumentException("MacAnalysis: batch must be positive, got " + batch);
        MacAnalysis a = new MacAnalysis(model);
        a.cipa(model, batch);
        return a;
    }

    /** All MACs. */
    public long total() { return module(""); }

    /** MACs charged inside the calls of the module at {@code path} ("" for the whole model); 0 for an unknown path. */
    public long module(String path) { return byModule.getOrDefault(path, 0L); }

    /** MACs charged to the module at {@code path} itself, not to any of its children. */
    public long own(String path) {
        long sum = module(path);
        Module m = modules.get(path);
        if (m != null) for (String c : m.children().keySet()) sum -= module(path.isEmpty() ? c : path + "." + c);
        return sum;
    }

    /** MACs per op kind. */
    public Map<Op, Long> byOperator() { return Collections.unmodifiableMap(byOp); }

    /** Trainable parameters of the module at {@code path} (its state dict less the buffers). */
    public long parameters(String path) {
        Module m = modules.get(path);
        if (m == null) throw new IllegalArgumentException("MacAnalysis: no module '" + path + "'");
        long n = 0;
        for (Tensor t : m.namedParameters().values()) n += t.numel();
        return n;
    }

    /** Whether the model has a module at {@code path}. */
    public boolean has(String path) { return modules.containsKey(path); }

    /** One line of the summary: a module (or a group, or the ops a module runs itself), its parameters and MACs. */
    public record Row(String name, long parameters, long macs) {}

    /**
     * The summary by part: the encoder's patch embedding, stages and output norms (both passes),
     * each stage's CRM, DCIM stem and region-global block, the decoder's steps, and the ops that
     * {@code decode_head} and the top level run themselves (the identity resizes). The rows add
     * up to {@link #total()} and to all the parameters.
     */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String vssm = "backbone.vssm";
        rows.add(row(vssm + ".patch_embed"));
        for (int i = 0; has(vssm + ".layers." + i); i++) rows.add(row(vssm + ".layers." + i));
        long p = 0, m = 0;
        int n = 0;
        for (; has(vssm + ".outnorm" + n); n++) {
            p += parameters(vssm + ".outnorm" + n);
            m += module(vssm + ".outnorm" + n);
        }
        rows.add(new Row(vssm + ".outnorm0.." + (n - 1), p, m));
        for (String part : new String[] {"cross_mamba", "region_patch", "channel_attn_mamba"})
            for (int i = 0; has("backbone." + part + "." + i); i++) rows.add(row("backbone." + part + "." + i));
        for (int k = 0; has("decode_head.layers_up." + k); k++) rows.add(row("decode_head.layers_up." + k));
        for (String part : new String[] {"norm_up", "up", "output"}) rows.add(row("decode_head." + part));
        rows.add(new Row("decode_head: skip resizes (identity)", 0, own("decode_head")));
        rows.add(new Row("top level: logits resize (identity)", 0, own("")));
        return rows;
    }

    private Row row(String path) { return new Row(path, parameters(path), module(path)); }

    private void charge(Module m, Op op, long macs) {
        String path = paths.get(m);
        if (path == null) throw new IllegalStateException("MacAnalysis: module " + m.getClass().getSimpleName() + " is not in the model's tree");
        byOp.merge(op, macs, Long::sum);
        while (true) {
            byModule.merge(path, macs, Long::sum);
            if (path.isEmpty()) return;
            int dot = path.lastIndexOf('.');
            path = dot < 0 ? "" : path.substring(0, dot);
        }
    }

    @SuppressWarnings("unchecked")
    private static <M extends Module> M child(Module m, String name) { return (M) m.children().get(name); }

    private static long numel(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    // ---- the whole model ----

    private void cipa(Cipa m, int b) {
        CipaConfig cfg = m.config();
        int size = cfg.imageSize();
        CipaBackbone bb = m.backbone();
        for (int pass = 0; pass < 2; pass++) encoder(bb.encoder(), b, 3, size);   // CT, then PET: one set of weights
        int[] sides = new int[4];
        for (int i = 0; i < 4; i++) {
            int side = cfg.side(i);
            sides[i] = side;
            channelRectification(bb.crm(i), b);
            regionStem(bb.stem(i), b, side, side);
            regionGlobal(bb.regionGlobal(i), b, side / RegionStem.WINDOW, side / RegionStem.WINDOW);
        }
        int out = decoder(m.decodeHead(), b, sides);
        // EncoderDecoder resizes the logits (B, 1, S', S') to the input size: the identity here
        charge(m, Op.UPSAMPLE_BILINEAR, MacCounter.bilinear(numel(b, MambaDecoder.NUM_CLASSES, size, size)));
        if (out != size) throw new IllegalStateException("MacAnalysis: decoder output side " + out + " differs from the input side " + size);
    }

    // ---- layers ----

    private int[] linear(LinearLayer l, int... x) {
        charge(l, Op.LINEAR, MacCounter.linear(numel(x), l.out));
        int[] y = x.clone();
        y[y.length - 1] = l.out;
        return y;
    }

    /** x (N, Cin, H, W) → (N, Cout, Ho, Wo). */
    private int[] conv(Conv2dLayer c, int... x) {
        int ho = (x[2] + 2 * c.padding - c.kernel) / c.stride + 1, wo = (x[3] + 2 * c.padding - c.kernel) / c.stride + 1;
        charge(c, Op.CONV, MacCounter.conv(x[0], c.out, ho, wo, c.in / c.groups, c.kernel, c.kernel));
        return new int[] {x[0], c.out, ho, wo};
    }

    private void layerNorm(LayerNormLayer n, int... x) { charge(n, Op.LAYER_NORM, MacCounter.layerNorm(numel(x), true)); }

    private void batchNorm(BatchNorm2dLayer n, int... x) { charge(n, Op.BATCH_NORM, MacCounter.batchNorm(numel(x), true, n.isTraining())); }

    private void bilinear(Module caller, int... out) { charge(caller, Op.UPSAMPLE_BILINEAR, MacCounter.bilinear(numel(out))); }

    /** A Sequential of convolutions and batch norms (ReLUs count nothing), on x (N, C, H, W). */
    private int[] convChain(Module seq, int[] x) {
        for (Module m : seq.children().values()) {
            if (m instanceof Conv2dLayer c) x = conv(c, x);
            else if (m instanceof BatchNorm2dLayer n) batchNorm(n, x);
            else throw new IllegalStateException("MacAnalysis: unexpected " + m.getClass().getSimpleName() + " in a conv chain");
        }
        return x;
    }

    // ---- state-space blocks ----

    /** The K projections and scans of sequences (b, K, D, l): x_proj, dt_projs, the selective scan. */
    private void scans(DirectionalSsm m, int b, int l) {
        int k = m.directions, d = m.dInner, n = m.dState, r = m.dtRank;
        charge(m, Op.MATMUL, MacCounter.matmul(numel(b, k, r + 2 * n, d), l));   // x_proj_weight · xs
        charge(m, Op.MATMUL, MacCounter.matmul(numel(b, k, d, r), l));           // dt_projs_weight · Δraw
        charge(m, Op.SELECTIVE_SCAN, MacCounter.selectiveScan(b, k * d, l, n));
    }

    /** SS2D on (b, h, w, dModel). */
    private void ss2d(SS2D m, int b, int h, int w) {
        int d = m.dInner;
        linear(child(m, "in_proj"), b, h, w, m.dModel);
        Conv2dLayer conv = child(m, "conv2d");
        if (conv != null) conv(conv, b, d, h, w);
        scans(m, b, h * w);
        layerNorm(child(m, "out_norm"), b, h, w, d);
        linear(child(m, "out_proj"), b, h, w, d);
    }

    /** SS1D on (b, l, dModel). */
    private void ss1d(SS1D m, int b, int l) {
        int d = m.dInner;
        linear(child(m, "in_proj"), b, l, m.dModel);
        scans(m, b, l);
        layerNorm(child(m, "out_norm"), b, l, d);
        linear(child(m, "out_proj"), b, l, d);
    }

    // ---- encoder ----

    /** image (b, in, s, s). */
    private void encoder(VssmEncoder m, int b, int in, int s) {
        PatchEmbed pe = m.patchEmbed();
        int[] x = conv(child(pe, "0"), b, in, s, s);
        int h = x[2], w = x[3], c = x[1];
        layerNorm(child(pe, "2"), b, h, w, c);
        for (int i = 0; i < m.widths.length; i++) {
            VssStage stage = m.stage(i);
            ModuleList<?> blocks = child(stage, "blocks");
            for (int j = 0; j < blocks.size(); j++) vssBlock(stage.block(j), b, h, w, c);
            layerNorm(child(m, "outnorm" + i), b, h, w, c);
            PatchMerging2D down = stage.downsampleModule();
            if (down != null) {
                h = (h + 1) / 2;
                w = (w + 1) / 2;
                layerNorm(child(down, "norm"), b, h, w, 4 * c);
                c = linear(child(down, "reduction"), b, h, w, 4 * c)[3];
            }
        }
    }

    private void vssBlock(VSSBlock m, int b, int h, int w, int c) {
        layerNorm(child(m, "norm"), b, h, w, c);
        ss2d(child(m, "op"), b, h, w);
    }

    // ---- CRM and DCIM ----

    /** ct, pet (b, C, H, W): tokens (b, 2C, H·W). */
    private void channelRectification(ChannelRectification m, int b) {
        int c = m.dim, hw = m.hw;
        Module mlp = child(child(m, "channel_weights"), "mlp");
        layerNorm(child(mlp, "0"), b, 2 * c, hw);
        int width = linear(child(mlp, "1"), b, 2 * c, hw)[2];
        ss1d(child(mlp, "3"), b, 2 * c);
        layerNorm(child(mlp, "4"), b, 2 * c, width);
        linear(child(mlp, "5"), b, 2 * c, width);
    }

    /** ct, pet (b, C, h, w). */
    private void regionStem(RegionStem m, int b, int h, int w) {
        int c = m.innerDim;
        convChain(child(m, "inner_convs"), new int[] {b, c, h, w});
        convChain(child(m, "outer_convs"), new int[] {b, c, h, w});
    }

    /** A (rows × cols) grid of regions of 4×4 words. */
    private void regionGlobal(RegionGlobalBlock m, int b, int rows, int cols) {
        int n = rows * cols, c = m.innerDim;
        layerNorm(child(m, "outer_norm1"), b, n, m.outerDim);
        ss2d(child(m, "outer_attn"), b, rows, cols);
        layerNorm(child(m, "inner_norm1"), b, n, m.numWords * c);
        ss2d(child(m, "inner_attn"), b * n, RegionStem.WINDOW, RegionStem.WINDOW);
    }

    // ---- decoder ----

    /** Fused features of sides[s] × sides[s]; returns the side of the logits. */
    private int decoder(MambaDecoder m, int b, int[] sides) {
        int h = sides[3];
        patchExpand(m.patchExpand(), b, h, h);
        for (int k = 1; k < 4; k++) {
            int s = 3 - k, c = m.channels(s);
            h = sides[s];
            bilinear(m, b, c, h, h);          // y resized to the skip's size (the identity here, still called)
            h = upStage(m.stage(k), b, h, h);
        }
        layerNorm(m.normUp(), b, h, h, m.embedDim);
        h = finalUpsample(m.finalUpsample(), b, h, h);
        return conv(child(m, "output"), b, m.embedDim, h, h)[2];
    }

    private void patchExpand(PatchExpand m, int b, int h, int w) {
        linear(child(m, "expand"), b, h, w, m.dim);
        layerNorm(child(m, "norm"), b, 2 * h, 2 * w, m.dim / 2);
    }

    /** Returns the side after the stage (doubled by its up-step, if any). */
    private int upStage(MambaUpStage m, int b, int h, int w) {
        for (int j = 0; j < m.depth(); j++) cvssBlock(m.block(j), b, h, w);
        UpsampleExpand up = m.upsample();
        if (up == null) return h;
        int half = linear(child(up, "linear"), b, h, w, up.dim)[3];
        bilinear(up, b, half, 2 * h, 2 * w);
        layerNorm(child(up, "norm"), b, 2 * h, 2 * w, half);
        return 2 * h;
    }

    private void cvssBlock(CvssDecoderBlock m, int b, int h, int w) {
        int c = m.dim;
        layerNorm(child(m, "norm1"), b, h, w, c);
        ss2d(child(m, "op"), b, h, w);
        layerNorm(child(m, "norm2"), b, h, w, c);
        Module cab = child(child(m, "conv_blk"), "cab");
        int[] x = conv(child(cab, "2"), conv(child(cab, "0"), b, c, h, w));
        ChannelAttention attn = child(cab, "3");
        charge(attn, Op.ADAPTIVE_AVG_POOL, MacCounter.adaptiveAvgPool(numel(x)));
        Module fc = child(attn, "fc");
        for (int branch = 0; branch < 2; branch++)            // the same fc on the average and the max pool
            conv(child(fc, "2"), conv(child(fc, "0"), b, c, 1, 1));
    }

    /** Returns the side after the ×4. */
    private int finalUpsample(FinalUpsampleX4 m, int b, int h, int w) {
        int c = m.dim;
        linear(child(m, "linear1"), b, h, w, c);
        bilinear(m, b, c, 2 * h, 2 * w);
        linear(child(m, "linear2"), b, 2 * h, 2 * w, c);
        bilinear(m, b, c, 4 * h, 4 * w);
        layerNorm(child(m, "norm"), b, 4 * h, 4 * w, c);
        return 4 * h;
    }
}
