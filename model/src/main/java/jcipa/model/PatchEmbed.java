package jcipa.model;

import java.util.List;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * VMamba's patch embedding, official {@code patch_embed} = Sequential(Conv2d, Permute, LayerNorm):
 * {@code 0} Conv2d(in → dim, kernel = stride = patch, bias) on (B, in, S, S), then channels-last
 * (B, S/patch, S/patch, dim), then {@code 2} LayerNorm(dim, eps 1e-5).
 */
public final class PatchEmbed extends Module implements Replayable {
    private final Conv2dLayer proj;
    private final LayerNormLayer norm;

    public PatchEmbed(int inChannels, int dim, int patch, DType dt) {
        this.proj = child("0", new Conv2dLayer(inChannels, dim, patch, patch, 0, 1, true, dt));
        this.norm = child("2", new LayerNormLayer(1e-5, dt, dim));
    }

    /** x (B, in, S, S) → (B, S/patch, S/patch, dim). */
    public Tensor forward(Tensor x) {
        Tensor y = norm.forward(proj.forward(x).permute(0, 2, 3, 1));
        Trace.io(this, List.of(x), List.of(y));
        return y;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
