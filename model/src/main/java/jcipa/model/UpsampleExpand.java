package jcipa.model;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * The up-step closing decoder stages 1 and 2 ({@code layers_up.k.upsample}, official
 * {@code UpsampleExpand}): (B, H, W, C) → Linear C→C/2 (no bias) → bilinear ×2 (scale factor 2,
 * align_corners False) → LayerNorm(C/2) → (B, 2H, 2W, C/2).
 * State: {@code linear.weight} (C/2, C), {@code norm.weight|bias} (C/2).
 */
public final class UpsampleExpand extends Module {
    public final int dim;
    private final LinearLayer linear;
    private final LayerNormLayer norm;

    public UpsampleExpand(int dim, DType dt) {
        if (dim < 2) throw new IllegalArgumentException("UpsampleExpand: dim must be >= 2, got " + dim);
        this.dim = dim;
        this.linear = child("linear", new LinearLayer(dim, dim / 2, false, dt));
        this.norm = child("norm", new LayerNormLayer(MambaDecoder.LAYER_NORM_EPS, dt, dim / 2));
    }

    /** x (B, H, W, dim) → (B, 2H, 2W, dim/2). */
    public Tensor forward(Tensor x) {
        ChannelsLast.check("UpsampleExpand", x, dim);
        return norm.forward(ChannelsLast.upsample2x(linear.forward(x)));
    }
}
