package jcipa.model;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** TEMPORARY local stand-in (untracked) until branch encoder's SS2D lands: state only. */
public final class SS2D extends Module {
    public SS2D(int dModel, int dState, int dConv, double expand, DType dt) {
        int inner = (int) (expand * dModel), rank = (dModel + 15) / 16;
        parameter("x_proj_weight", Tensor.zeros(dt, 4, rank + 2 * dState, inner));
        parameter("dt_projs_weight", Tensor.zeros(dt, 4, inner, rank));
        parameter("dt_projs_bias", Tensor.zeros(dt, 4, inner));
        parameter("A_logs", Tensor.zeros(dt, 4 * inner, dState));
        parameter("Ds", Tensor.zeros(dt, 4 * inner));
        child("in_proj", new LinearLayer(dModel, 2 * inner, false, dt));
        child("conv2d", new Conv2dLayer(inner, inner, dConv, 1, (dConv - 1) / 2, inner, true, dt));
        child("out_norm", new LayerNormLayer(1e-5, dt, inner));
        child("out_proj", new LinearLayer(inner, dModel, false, dt));
    }

    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("SS2D stand-in"); }
}
