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
 * The decoder's last up-step ({@code decode_head.up}, official {@code FinalUpsample_X4}):
 * (B, H, W, C) → Linear C→C → bilinear ×2 → Linear C→C → bilinear ×2 → LayerNorm(C)
 * → (B, 4H, 4W, C). Linears have no bias; resizing uses scale factor 2, align_corners False.
 * State: {@code linear1.weight}, {@code linear2.weight} (C, C), {@code norm.weight|bias} (C).
 */
public final class FinalUpsampleX4 extends Module implements Replayable {
    public final int dim;
    private final LinearLayer linear1, linear2;
    private final LayerNormLayer norm;

    public FinalUpsampleX4(int dim, DType dt) {
        if (dim < 1) throw new IllegalArgumentException("FinalUpsampleX4: dim must be positive, got " + dim);
        this.dim = dim;
        this.linear1 = child("linear1", new LinearLayer(dim, dim, false, dt));
        this.linear2 = child("linear2", new LinearLayer(dim, dim, false, dt));
        this.norm = child("norm", new LayerNormLayer(MambaDecoder.LAYER_NORM_EPS, dt, dim));
    }

    /** x (B, H, W, dim) → (B, 4H, 4W, dim). */
    public Tensor forward(Tensor x) {
        ChannelsLast.check("FinalUpsampleX4", x, dim);
        Tensor wide = linear1.forward(x), twice = ChannelsLast.upsample2x(wide);
        InPlace.recycleApart(wide, x, twice);
        Tensor wider = linear2.forward(twice), fourTimes = ChannelsLast.upsample2x(wider);
        InPlace.recycleApart(twice, wider);
        InPlace.recycleApart(wider, fourTimes);
        // at inference the norm is written over the 100 MB map at 512×512 instead of into a second one
        Tensor y = InPlace.allowed(fourTimes) ? norm.forwardInPlace(fourTimes) : norm.forward(fourTimes);
        InPlace.recycleApart(fourTimes, y);
        Trace.io(this, List.of(x), List.of(y));
        return y;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
