package jcipa.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * The VMamba encoder as CIPA uses it (official {@code Backbone_VSSM}, state prefix
 * {@code backbone.vssm}): mlp_ratio 0, downsample "v1", d_state 16, ssm_ratio 2, every LayerNorm
 * eps 1e-5. Stage i has width C_i = dims·2^i.
 * <pre>
 *   x = patch_embed(image)                                  (B, S/4, S/4, C_0)
 *   for stage i:  o_i = layers.i.blocks(x);  x = layers.i.downsample(o_i)
 *   out_i = outnorm{i}(o_i) as NCHW                         (B, C_i, S/4/2^i, S/4/2^i)
 * </pre>
 * Block drop-path rates rise linearly from 0 to {@code dropPathRate} over all blocks (timm's
 * stochastic-depth rule). State dict: patch_embed.*, layers.i.blocks.j.*, layers.i.downsample.*,
 * outnorm0..3.*.
 */
public final class VssmEncoder extends Module {
    public final int[] widths;
    private final PatchEmbed patchEmbed;
    private final NumberedModules<VssStage> layers;
    private final List<LayerNormLayer> outNorms = new ArrayList<>();

    /** CIPA's encoder: 3 input channels, 4×4 patches, d_state 16. */
    public VssmEncoder(int dims, int[] depths, double dropPathRate, DType dt) { this(3, 4, dims, depths, 16, dropPathRate, dt); }

    public VssmEncoder(int inChannels, int patch, int dims, int[] depths, int dState, double dropPathRate, DType dt) {
        if (depths.length < 1 || dims < 1) throw new IllegalArgumentException("VssmEncoder: dims " + dims + ", depths " + java.util.Arrays.toString(depths));
        int stages = depths.length;
        this.widths = new int[stages];
        for (int i = 0; i < stages; i++) widths[i] = dims << i;
        double[] rates = linspace(dropPathRate, java.util.Arrays.stream(depths).sum());
        this.patchEmbed = child("patch_embed", new PatchEmbed(inChannels, widths[0], patch, dt));
        this.layers = child("layers", new NumberedModules<>());
        int at = 0;
        for (int i = 0; i < stages; i++) {
            double[] stageRates = java.util.Arrays.copyOfRange(rates, at, at + depths[i]);
            at += depths[i];
            layers.add(new VssStage(widths[i], stageRates, dState, i < stages - 1, dt));
        }
        for (int i = 0; i < stages; i++) outNorms.add(child("outnorm" + i, new LayerNormLayer(1e-5, dt, widths[i])));
    }

    /** n rates evenly spaced from 0 to max inclusive (torch.linspace). */
    private static double[] linspace(double max, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = n == 1 ? 0 : max * i / (n - 1);
        return r;
    }

    /** Evaluation, or training without drop path. */
    public List<Tensor> forward(Tensor image) { return forward(image, null); }

    /** image (B, 3, S, S) → the stage outputs (B, C_i, H_i, W_i); {@code rng} draws drop-path masks in training. */
    public List<Tensor> forward(Tensor image, SplittableRandom rng) {
        if (image.rank() != 4) throw new IllegalArgumentException("VssmEncoder: expected image (B, C, H, W), got " + Shape.str(image.shape()));
        Tensor x = patchEmbed.forward(image);
        List<Tensor> outs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            VssStage stage = layers.get(i);
            Tensor o = stage.blocks(x, rng);
            x = stage.downsample(o);
            outs.add(outNorms.get(i).forward(o).permute(0, 3, 1, 2).contiguous());
        }
        return outs;
    }

    public PatchEmbed patchEmbed() { return patchEmbed; }

    public VssStage stage(int i) { return layers.get(i); }
}
