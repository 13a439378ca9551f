package jcipa.model;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Pooling;

/**
 * Channel attention of the CVSS decoder block ({@code conv_blk.cab.3}): on v (B, C, H, W),
 * v · σ(fc(avgpool v) + fc(maxpool v)), pools over all pixels, and
 * fc = Conv1×1(C → C/r, no bias) → SiLU → Conv1×1(C/r → C, no bias), r the squeeze factor
 * (30 in CIPA), C/r an integer division. State: {@code fc.0.weight} (C/r, C, 1, 1),
 * {@code fc.2.weight} (C, C/r, 1, 1).
 */
public final class ChannelAttention extends Module {
    public final int channels, squeezed;
    private final Conv2dLayer squeeze, excite;

    public ChannelAttention(int channels, int squeezeFactor, DType dt) {
        if (squeezeFactor < 1 || channels / squeezeFactor < 1)
            throw new IllegalArgumentException("ChannelAttention: " + channels + " channels / squeeze factor " + squeezeFactor + " leaves no channel");
        this.channels = channels;
        this.squeezed = channels / squeezeFactor;
        ModuleList<Conv2dLayer> fc = child("fc", new ModuleList<>());
        this.squeeze = new Conv2dLayer(channels, squeezed, 1, 1, 0, 1, false, dt);
        this.excite = new Conv2dLayer(squeezed, channels, 1, 1, 0, 1, false, dt);
        fc.add(squeeze);
        fc.skip();                 // fc.1 is the SiLU
        fc.add(excite);
    }

    /** v (B, C, H, W) → same shape. */
    public Tensor forward(Tensor v) {
        int[] s = v.shape();
        if (s.length != 4 || s[1] != channels)
            throw new IllegalArgumentException("ChannelAttention: expected (B, " + channels + ", H, W), got " + Shape.str(s));
        return v.mul(weights(v));
    }

    /** σ(fc(avgpool v) + fc(maxpool v)) (B, C, 1, 1): the factors forward multiplies v by. */
    Tensor weights(Tensor v) {
        return fc(Pooling.adaptiveAvgPool1x1(v)).add(fc(Pooling.adaptiveMaxPool1x1(v))).sigmoid();
    }

    private Tensor fc(Tensor pooled) { return excite.forward(squeeze.forward(pooled).silu()); }
}
