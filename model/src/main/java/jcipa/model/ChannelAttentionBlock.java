package jcipa.model;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Unary;
import jcipa.tensor.ops.Pointwise;

/**
 * The convolutional branch of the CVSS decoder block ({@code conv_blk}, a sequence {@code cab}):
 * on (B, C, H, W), Conv3×3(C → C/3, pad 1, bias) → GELU (erf form) → Conv3×3(C/3 → C, pad 1,
 * bias) → {@link ChannelAttention} with squeeze factor 30. C/3 and C/30 are integer divisions.
 * State: {@code cab.0.weight|bias}, {@code cab.2.weight|bias}, {@code cab.3.fc.0|2.weight}.
 */
public final class ChannelAttentionBlock extends Module {
    public static final int COMPRESS_RATIO = 3, SQUEEZE_FACTOR = 30;

    public final int channels;
    private final Conv2dLayer compress, expand;
    private final ChannelAttention attention;

    public ChannelAttentionBlock(int channels, DType dt) {
        if (channels / COMPRESS_RATIO < 1)
            throw new IllegalArgumentException("ChannelAttentionBlock: " + channels + " channels / compress ratio " + COMPRESS_RATIO + " leaves no channel");
        this.channels = channels;
        int hidden = channels / COMPRESS_RATIO;
        this.compress = new Conv2dLayer(channels, hidden, 3, 1, 1, 1, true, dt);
        this.expand = new Conv2dLayer(hidden, channels, 3, 1, 1, 1, true, dt);
        this.attention = new ChannelAttention(channels, SQUEEZE_FACTOR, dt);
        ModuleList<Module> cab = child("cab", new ModuleList<>());
        cab.add(compress);
        cab.skip();                    // cab.1 is the GELU
        cab.add(expand);
        cab.add(attention);
    }

    /** x (B, C, H, W) → same shape. */
    public Tensor forward(Tensor x) {
        Tensor compressed = compress.forward(x);
        // at inference GELU and the attention act on the convs' own outputs in place (the same values)
        Tensor expanded = expand.forward(InPlace.allowed(compressed) ? Pointwise.mapInPlace(Unary.GELU, compressed) : compressed.gelu());
        Tensor w = attention.weights(expanded);
        return InPlace.allowed(expanded) ? Pointwise.mulInPlace(expanded, w) : expanded.mul(w);
    }
}
