package jcipa.model;

import java.util.List;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Joins;

/**
 * The one-direction selective scan of CIPA's channel rectification (official {@code SS1D} of
 * models/mamba_net_utils.py, d_conv −1 so no convolution, {@code forward_corev0}), on
 * sequences x (B, L, C) → (B, L, C). With d_inner = 2C, R = ⌈C/16⌉:
 * <pre>
 *   [x; z] = SiLU(in_proj(x))                 (no bias): SiLU on both halves
 *   y      = scan of x along L                (one direction, see {@link DirectionalSsm})
 *   out    = out_proj(out_norm(y) · z)        LayerNorm(d_inner, eps 1e-5); Linear(no bias); dropout 0
 * </pre>
 * State dict: x_proj_weight (1, R+2N, 2C), dt_projs_weight (1, 2C, R), dt_projs_bias (1, 2C),
 * A_logs (2C, N), Ds (2C), in_proj.weight, out_norm.weight, out_norm.bias, out_proj.weight.
 */
public final class SS1D extends DirectionalSsm {
    public final int dModel;
    private final LinearLayer inProj, outProj;
    private final LayerNormLayer outNorm;

    public SS1D(int dModel, int dState, DType dt) {
        super(1, 2 * checkWidth(dModel), dState, (dModel + 15) / 16, dt);
        this.dModel = dModel;
        this.inProj = child("in_proj", new LinearLayer(dModel, 2 * dInner, false, dt));
        this.outNorm = child("out_norm", new LayerNormLayer(1e-5, dt, dInner));
        this.outProj = child("out_proj", new LinearLayer(dInner, dModel, false, dt));
    }

    private static int checkWidth(int dModel) {
        if (dModel < 1) throw new IllegalArgumentException("SS1D: d_model must be positive, got " + dModel);
        return dModel;
    }

    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 3 || s[2] != dModel)
            throw new IllegalArgumentException("SS1D: expected x (B, L, " + dModel + "), got " + Shape.str(s));
        int b = s[0], l = s[1];
        List<Tensor> halves = Joins.chunk(inProj.forward(x).silu(), 2, 2);
        Tensor xs = halves.get(0).transpose(1, 2).reshape(b, 1, dInner, l);      // (B, 1, D, L)
        Tensor y = scanDirections(xs).reshape(b, dInner, l).transpose(1, 2);      // (B, L, D)
        return outProj.forward(outNorm.forward(y).mul(halves.get(1)));
    }
}
