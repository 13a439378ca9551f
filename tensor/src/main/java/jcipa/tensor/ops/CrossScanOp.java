package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.CrossScan;
import jcipa.tensor.ref.CrossScanRef;

/**
 * SS2D's four scan orders as ops. CrossScan: x (B, C, H, W) → xs (B, 4, C, H·W) in the orders
 * row-major, column-major, row-major reversed, column-major reversed. CrossMerge: ys (B, 4, C, H·W)
 * → y (B, C, H·W), the sum of the four sequences mapped back to row-major pixels. Each is the
 * other's adjoint, so each one's backward is the other.
 */
public final class CrossScanOp {
    private CrossScanOp() {}

    public static Tensor crossScan(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException("crossScan: expected x (B, C, H, W), got " + Shape.str(s));
        int b = s[0], c = s[1], h = s[2], w = s[3];
        Tensor y = scan(x, b, c, h, w);
        return Autograd.record("crossScan", y, g -> new Tensor[] {merge(g, b, c, h, w).reshape(b, c, h, w)}, x);
    }

    public static Tensor crossMerge(Tensor ys, int height, int width) {
        int[] s = ys.shape();
        if (s.length != 4 || s[1] != 4 || s[3] != height * width)
            throw new IllegalArgumentException("crossMerge: expected ys (B, 4, C, " + height + "·" + width + "), got " + Shape.str(s));
        int b = s[0], c = s[2];
        Tensor y = merge(ys, b, c, height, width);
        return Autograd.record("crossMerge", y, g -> new Tensor[] {scan(g.reshape(b, c, height, width), b, c, height, width)}, ys);
    }

    private static Tensor scan(Tensor x, int b, int c, int h, int w) {
        Tensor out = Tensor.zeros(x.dtype(), b, 4, c, h * w);
        if (x.dtype() == DType.F32) CrossScan.crossScan(x.floats(), b, c, h, w, out.storageFloats());
        else CrossScanRef.crossScan(x.doubles(), b, c, h, w, out.storageDoubles());
        return out;
    }

    private static Tensor merge(Tensor ys, int b, int c, int h, int w) {
        Tensor out = Tensor.zeros(ys.dtype(), b, c, h * w);
        if (ys.dtype() == DType.F32) CrossScan.crossMerge(ys.floats(), b, c, h, w, out.storageFloats());
        else CrossScanRef.crossMerge(ys.doubles(), b, c, h, w, out.storageDoubles());
        return out;
    }
}
