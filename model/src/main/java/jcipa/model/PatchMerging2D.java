package jcipa.model;

import java.util.List;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Joins;

/**
 * VMamba's downsampling (official {@code PatchMerging2D}, downsample_version "v1"), channels-last
 * (B, H, W, C) → (B, ⌈H/2⌉, ⌈W/2⌉, out): an odd H or W is first padded with a zero row/column at
 * the end; then the 2×2 phases are concatenated on channels in the order
 * x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2] (row, column), then
 * {@code norm} LayerNorm(4C, eps 1e-5), then {@code reduction} Linear(4C → out, no bias).
 * State dict: reduction.weight, norm.weight, norm.bias.
 */
public final class PatchMerging2D extends Module implements Replayable {
    public final int dim;
    private final LinearLayer reduction;
    private final LayerNormLayer norm;

    public PatchMerging2D(int dim, int outDim, DType dt) {
        this.dim = dim;
        this.reduction = child("reduction", new LinearLayer(4 * dim, outDim, false, dt));
        this.norm = child("norm", new LayerNormLayer(1e-5, dt, 4 * dim));
    }

    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != dim)
            throw new IllegalArgumentException("PatchMerging2D: expected x (B, H, W, " + dim + "), got " + Shape.str(s));
        int b = s[0], h = s[1], w = s[2];
        if (h % 2 != 0) x = Joins.concat(1, x, Tensor.zeros(x.dtype(), b, 1, w, dim));
        if (w % 2 != 0) x = Joins.concat(2, x, Tensor.zeros(x.dtype(), b, h + h % 2, 1, dim));
        int h2 = (h + 1) / 2, w2 = (w + 1) / 2;
        // x[b, 2i+p, 2j+q, c] viewed as (b, i, p, j, q, c); channel block q·2 + p holds phase (p, q).
        Tensor phases = x.reshape(b, h2, 2, w2, 2, dim).permute(0, 1, 3, 4, 2, 5).reshape(b, h2, w2, 4 * dim);
        Tensor y = reduction.forward(norm.forward(phases));
        Trace.io(this, List.of(x), List.of(y));
        return y;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
