package jcipa.model;

import java.util.List;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * The decoder's first up-step ({@code layers_up.0}, official {@code PatchExpand}, dim_scale 2):
 * (B, H, W, C) → Linear C→2C (no bias) → each pixel's 2C values become a 2×2 patch of C/2
 * channels, channel index = (p1·2 + p2)·C/2 + c, to (B, 2H, 2W, C/2) → LayerNorm(C/2).
 * State: {@code expand.weight} (2C, C), {@code norm.weight|bias} (C/2).
 */
public final class PatchExpand extends Module implements Replayable {
    public final int dim;
    private final LinearLayer expand;
    private final LayerNormLayer norm;

    public PatchExpand(int dim, DType dt) {
        if (dim < 2 || dim % 2 != 0) throw new IllegalArgumentException("PatchExpand: dim must be even and >= 2, got " + dim);
        this.dim = dim;
        this.expand = child("expand", new LinearLayer(dim, 2 * dim, false, dt));
        this.norm = child("norm", new LayerNormLayer(MambaDecoder.LAYER_NORM_EPS, dt, dim / 2));
    }

    /** x (B, H, W, dim) → (B, 2H, 2W, dim/2). */
    public Tensor forward(Tensor x) {
        int[] s = ChannelsLast.check("PatchExpand", x, dim);
        int b = s[0], h = s[1], w = s[2], c = dim / 2;
        Tensor patches = expand.forward(x).reshape(b, h, w, 2, 2, c).permute(0, 1, 3, 2, 4, 5);
        Tensor y = norm.forward(patches.reshape(b, 2 * h, 2 * w, c));
        Trace.io(this, List.of(x), List.of(y));
        return y;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
