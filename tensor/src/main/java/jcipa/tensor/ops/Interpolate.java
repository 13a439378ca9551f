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
     * Inference on a channels-last map (float32, no gradient): x (N, H, W, C) → (N, outH, outW, C), or by
     * scale factors when {@code outH} is negative and (scaleH, scaleW) are given; the same bits as
     * {@link #bilinear} / {@link #bilinearScale} between permutes, without the two layout copies.
     */
    public static Tensor bilinearChannelsLast(Tensor x, int outH, int outW, double scaleH, double scaleW) {
        String op = "bilinear";
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected a channels-last map (N, H, W, C), got " + Shape.str(s));
        if (x.dtype() != DType.F32) throw new IllegalArgumentException(op + ": the channels-last path is float32 only, got " + x.dtype());
        if (Autograd.isEnabled() && x.requiresGrad())
            throw new IllegalStateException(op + ": the channels-last path has no backward; run it under Autograd.noGrad()");
        int n = s[0], h = s[1], w = s[2], c = s[3];
        boolean scaled = outH < 0;
        if (scaled && (!(scaleH > 0) || !(scaleW > 0)))
            throw new IllegalArgumentException(op + ": scale factors must be positive, got " + scaleH + ", " + scaleW);
        int ho = scaled ? Bilinear.scaledSize(h, scaleH) : outH, wo = scaled ? Bilinear.scaledSize(w, scaleW) : outW;
        if (ho < 1 || wo < 1) throw new IllegalArgumentException(op + ": target size " + ho + "x" + wo + " must be positive (input " + Shape.str(s) + ")");
        MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear((long) n * c * ho * wo));
        Tensor y = Tensor.zeros(DType.F32, n, ho, wo, c);
        if (scaled) Bilinear.forwardScaledChannelsLast(x.floats(), n, h, w, c, scaleH, scaleW, y.storageFloats());
        else Bilinear.forwardChannelsLast(x.floats(), n, h, w, c, y.storageFloats(), ho, wo);
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> { throw new IllegalStateException(op + ": the channels-last path has no backward"); });
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
