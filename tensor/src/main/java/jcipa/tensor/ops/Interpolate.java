package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Bilinear;
import jcipa.tensor.ref.BilinearRef;

/**
 * Bilinear resizing of NCHW tensors exactly as PyTorch's
 * {@code F.interpolate(mode="bilinear", align_corners=False)}: output pixel o samples the input at
 * src = max(0, (o + ½)·scale − ½) and mixes its two neighbours linearly, per axis. With a target
 * size, scale = in/out; with a scale factor s, out = ⌊in·s⌋ and scale = 1/s (PyTorch's rule when
 * {@code recompute_scale_factor} is not set). Backward scatters dy with the same weights.
 */
public final class Interpolate {
    private Interpolate() {}

    /** Resize to (outH, outW). */
    public static Tensor bilinear(Tensor x, int outH, int outW) {
        String op = "bilinear";
        int[] s = check(op, x);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException(op + ": target size " + outH + "x" + outW + " must be positive (input " + Shape.str(s) + ")");
        int n = s[0], c = s[1], h = s[2], w = s[3];
        MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear((long) n * c * outH * outW));
        Tensor y;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, n, c, outH, outW);
            Bilinear.forward(x.floats(), n, c, h, w, y.storageFloats(), outH, outW);
        } else {
            y = Tensor.of(BilinearRef.forward(x.doubles(), n, c, BilinearRef.Axis.ofSize(h, outH), BilinearRef.Axis.ofSize(w, outW)), n, c, outH, outW);
        }
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> {
            if (g.dtype() == DType.F32) {
                Tensor dx = Tensor.zeros(DType.F32, s);
                Bilinear.backward(g.floats(), n, c, h, w, outH, outW, dx.storageFloats());
                return new Tensor[] {dx};
            }
            return new Tensor[] {Tensor.of(BilinearRef.backward(g.doubles(), n, c, BilinearRef.Axis.ofSize(h, outH), BilinearRef.Axis.ofSize(w, outW)), s)};
        }, x);
    }

    /**
     * Inference on a channels-last map (float32, no gradient): x (N, H, W, C) → (N, outH, outW, C), the
     * same bits as {@link #bilinear} between permutes, without the two layout copies.
     */
    public static Tensor bilinearChannelsLast(Tensor x, int outH, int outW) {
        int[] s = checkChannelsLast(x);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("bilinear: target size " + outH + "x" + outW + " must be positive (input " + Shape.str(s) + ")");
        return channelsLast(x, outH, outW, y -> Bilinear.forwardChannelsLast(x.floats(), s[0], s[1], s[2], s[3], y, outH, outW));
    }

    /** {@link #bilinearChannelsLast} by scale factors (output (N, ⌊H·sh⌋, ⌊W·sw⌋, C)), as {@link #bilinearScale}. */
    public static Tensor bilinearScaleChannelsLast(Tensor x, double scaleH, double scaleW) {
        int[] s = checkChannelsLast(x);
        if (!(scaleH > 0) || !(scaleW > 0)) throw new IllegalArgumentException("bilinear: scale factors must be positive, got " + scaleH + ", " + scaleW);
        return channelsLast(x, Bilinear.scaledSize(s[1], scaleH), Bilinear.scaledSize(s[2], scaleW),
                y -> Bilinear.forwardScaledChannelsLast(x.floats(), s[0], s[1], s[2], s[3], scaleH, scaleW, y));
    }

    private static int[] checkChannelsLast(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException("bilinear: expected a channels-last map (N, H, W, C), got " + Shape.str(s));
        InferenceOnly.require("bilinear", x);
        return s;
    }

    /** The (N, ho, wo, C) output written by {@code kernel}, counted and checked as the NCHW op's. */
    private static Tensor channelsLast(Tensor x, int ho, int wo, java.util.function.Consumer<float[]> kernel) {
        String op = "bilinear";
        int[] s = x.shape();
        MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear((long) s[0] * s[3] * ho * wo));
        Tensor y = Tensor.unfilled(s[0], ho, wo, s[3]);                     // the kernel writes every output
        kernel.accept(y.storageFloats());
        NanCheck.check(op, y, x);
        return InferenceOnly.output(op, y);
    }

    /** Resize by scale factors (output ⌊H·sh⌋ × ⌊W·sw⌋). */
    public static Tensor bilinearScale(Tensor x, double scaleH, double scaleW) {
        String op = "bilinear";
        int[] s = check(op, x);
        if (!(scaleH > 0) || !(scaleW > 0)) throw new IllegalArgumentException(op + ": scale factors must be positive, got " + scaleH + ", " + scaleW);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        int ho = Bilinear.scaledSize(h, scaleH), wo = Bilinear.scaledSize(w, scaleW);
        if (ho < 1 || wo < 1) throw new IllegalArgumentException(op + ": scale " + scaleH + "x" + scaleW + " gives an empty output for input " + Shape.str(s));
        MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear((long) n * c * ho * wo));
        Tensor y;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, n, c, ho, wo);
            Bilinear.forwardScaled(x.floats(), n, c, h, w, scaleH, scaleW, y.storageFloats());
        } else {
            y = Tensor.of(BilinearRef.forward(x.doubles(), n, c, BilinearRef.Axis.ofScale(h, scaleH), BilinearRef.Axis.ofScale(w, scaleW)), n, c, ho, wo);
        }
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> {
            if (g.dtype() == DType.F32) {
                Tensor dx = Tensor.zeros(DType.F32, s);
                Bilinear.backwardScaled(g.floats(), n, c, h, w, scaleH, scaleW, dx.storageFloats());
                return new Tensor[] {dx};
            }
            return new Tensor[] {Tensor.of(BilinearRef.backward(g.doubles(), n, c, BilinearRef.Axis.ofScale(h, scaleH), BilinearRef.Axis.ofScale(w, scaleW)), s)};
        }, x);
    }

    private static int[] check(String op, Tensor x) {
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected (N, C, H, W), got " + Shape.str(s));
        return s;
    }
}
