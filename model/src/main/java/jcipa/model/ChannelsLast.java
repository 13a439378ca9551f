package jcipa.model;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Interpolate;
import jcipa.tensor.ops.MacCounter;

/**
 * Layout helpers for the decoder, whose blocks work on channels-last (B, H, W, C) tensors while
 * convolutions and bilinear resizing work on NCHW.
 */
final class ChannelsLast {
    private ChannelsLast() {}

    /** (B, C, H, W) → contiguous (B, H, W, C). */
    static Tensor fromNchw(Tensor x) { return x.permute(0, 2, 3, 1).contiguous(); }

    /** (B, H, W, C) → contiguous (B, C, H, W). */
    static Tensor toNchw(Tensor x) { return x.permute(0, 3, 1, 2).contiguous(); }

    /** Bilinear ×2 by scale factor (align_corners False) of a channels-last tensor. */
    static Tensor upsample2x(Tensor x) {
        if (inferenceF32(x)) return Interpolate.bilinearScaleChannelsLast(x, 2.0, 2.0);   // same bits, no layout copies
        return fromNchw(Interpolate.bilinearScale(toNchw(x), 2.0, 2.0));
    }

    /**
     * The 1×1 convolution {@code conv} of a channels-last map, returned NCHW: at inference on the map as
     * it is (same bits, and no copy of a map that is 100 MB at 512×512 before the decoder's output conv),
     * otherwise between layout copies. (Not while MACs are counted: fvcore counts a convolution there.)
     */
    static Tensor pointwiseConv(jcipa.nn.Conv2dLayer conv, Tensor x) {
        if (conv.isPointwise() && inferenceF32(x) && !MacCounter.active()) return toNchw(conv.forwardPointwiseChannelsLast(x));
        return conv.forward(toNchw(x));
    }

    /** Whether x may take the channels-last bilinear path: float32 with no gradient recorded. */
    private static boolean inferenceF32(Tensor x) {
        return x.dtype() == DType.F32 && !Autograd.isEnabled();
    }

    /**
     * Bilinear resize (align_corners False) of a channels-last tensor to (h, w). Equal sizes
     * return the input itself: PyTorch copies in that case, and the interpolation weights would be
     * exactly 1 and 0 anyway.
     */
    static Tensor resize(Tensor x, int h, int w) {
        if (x.size(1) == h && x.size(2) == w) {
            MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear(x.numel())); // the official call fvcore counts
            return x;
        }
        if (inferenceF32(x)) return Interpolate.bilinearChannelsLast(x, h, w);
        return fromNchw(Interpolate.bilinear(toNchw(x), h, w));
    }

    /** Checks x is (B, H, W, channels) and returns its shape. */
    static int[] check(String who, Tensor x, int channels) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != channels)
            throw new IllegalArgumentException(who + ": expected (B, H, W, " + channels + "), got " + Shape.str(s));
        return s;
    }
}
