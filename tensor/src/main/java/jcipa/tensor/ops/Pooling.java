package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Pool;
import jcipa.tensor.ref.PoolRef;

/** Pooling on NCHW tensors: adaptive average and max to 1×1, and average pooling. */
public final class Pooling {
    private Pooling() {}

    private static int[] nchw(String op, Tensor x) {
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected (N, C, H, W), got " + Shape.str(s));
        if (s[2] < 1 || s[3] < 1) throw new IllegalArgumentException(op + ": empty spatial size in " + Shape.str(s));
        return s;
    }

    /** y[n, c] = mean over (h, w) of x[n, c] → (N, C, 1, 1). Backward: dy/(H·W) to every pixel. */
    public static Tensor adaptiveAvgPool1x1(Tensor x) {
        String op = "adaptiveAvgPool1x1";
        int[] s = nchw(op, x);
        MacCounter.add(MacCounter.Op.ADAPTIVE_AVG_POOL, MacCounter.adaptiveAvgPool(x.numel()));
        int n = s[0], c = s[1], h = s[2], w = s[3];
        Tensor y;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, n, c, 1, 1);
            Pool.globalAvgPool(x.floats(), n, c, h, w, y.storageFloats());
        } else {
            y = Tensor.of(PoolRef.globalAvgPool(x.doubles(), n, c, h, w), n, c, 1, 1);
        }
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> {
            if (g.dtype() == DType.F32) {
                Tensor dx = Tensor.zeros(DType.F32, s);
                Pool.globalAvgPoolBackward(g.floats(), n, c, h, w, dx.storageFloats());
                return new Tensor[] {dx};
            }
            return new Tensor[] {Tensor.of(PoolRef.globalAvgPoolBackward(g.doubles(), n, c, h, w), s)};
        }, x);
    }

    /** y[n, c] = max over (h, w) of x[n, c] → (N, C, 1, 1). Backward: dy to the first maximal pixel (row-major). */
    public static Tensor adaptiveMaxPool1x1(Tensor x) {
        String op = "adaptiveMaxPool1x1";
        int[] s = nchw(op, x);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        Tensor y;
        int[] argmax;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, n, c, 1, 1);
            argmax = new int[n * c];
            Pool.globalMaxPool(x.floats(), n, c, h, w, y.storageFloats(), argmax);
        } else {
            y = Tensor.of(PoolRef.globalMaxPool(x.doubles(), n, c, h, w), n, c, 1, 1);
            argmax = null;
        }
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> {
            if (g.dtype() == DType.F32) {
                Tensor dx = Tensor.zeros(DType.F32, s);
                Pool.globalMaxPoolBackward(g.floats(), argmax, n, c, h, w, dx.storageFloats());
                return new Tensor[] {dx};
            }
            return new Tensor[] {Tensor.of(PoolRef.globalMaxPoolBackward(x.doubles(), g.doubles(), n, c, h, w), s)};
        }, x);
    }

    /** Average pooling with a kh×kw window and stride (sh, sw), no padding, floor mode (PyTorch defaults). */
    public static Tensor avgPool2d(Tensor x, int kh, int kw, int sh, int sw) {
        String op = "avgPool2d";
        int[] s = nchw(op, x);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || kh > h || kw > w)
            throw new IllegalArgumentException(op + ": window " + kh + "x" + kw + " stride " + sh + "x" + sw + " does not fit input " + Shape.str(s));
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        Tensor y;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, n, c, ho, wo);
            Pool.avgPool2d(x.floats(), n, c, h, w, kh, kw, sh, sw, y.storageFloats());
        } else {
            y = Tensor.of(PoolRef.avgPool2d(x.doubles(), n, c, h, w, kh, kw, sh, sw), n, c, ho, wo);
        }
        NanCheck.check(op, y, x);
        return Autograd.record(op, y, g -> {
            if (g.dtype() == DType.F32) {
                Tensor dx = Tensor.zeros(DType.F32, s);
                Pool.avgPool2dBackward(g.floats(), n, c, h, w, kh, kw, sh, sw, dx.storageFloats());
                return new Tensor[] {dx};
            }
            return new Tensor[] {Tensor.of(PoolRef.avgPool2dBackward(g.doubles(), n, c, h, w, kh, kw, sh, sw), s)};
        }, x);
    }
}
