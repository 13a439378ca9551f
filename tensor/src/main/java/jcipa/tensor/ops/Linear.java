package jcipa.tensor.ops;

import java.util.Arrays;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.ref.GemmRef;

/**
 * Matrix products. {@link #linear}: y = x·Wᵀ + b over the last dimension (PyTorch's nn.Linear), with
 * dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy. {@link #matmul}: batched C = A·B, with dA = dC·Bᵀ and
 * dB = Aᵀ·dC (summed over the batch when B is shared).
 */
public final class Linear {
    private Linear() {}

    /** x (..., K), weight (N, K), bias (N) or null → (..., N). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        String op = "linear";
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length < 1 || ws.length != 2 || xs[xs.length - 1] != ws[1])
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " does not fit weight " + Shape.str(ws) + " (need input (..., K) and weight (N, K))");
        if (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0]))
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " does not match weight " + Shape.str(ws));
        DType dt = sameDType(op, x, weight, bias);
        int k = ws[1], n = ws[0], m = x.numel() / Math.max(k, 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = n;
        MacCounter.add(MacCounter.Op.LINEAR, MacCounter.linear(x.numel(), n));
        Tensor y = Tensor.unfilled(dt, ys);                                 // the product writes all of it
        if (m > 0) {
            if (dt == DType.F32) product(false, true, m, n, k, Dense.of(x), Dense.of(weight), y.storageFloats());      // y = x·Wᵀ
            else GemmRef.linear(x.doubles(), weight.doubles(), y.storageDoubles(), m, k, n);
        }
        Tensor out = bias == null ? y : Pointwise.addInto(op, y, bias);    // y is this op's own: + b in place
        NanCheck.check(op, out, x, weight, bias);
        return Autograd.record(op, out, g -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = n > 0 ? Tensor.unfilled(dt, xs) : Tensor.zeros(dt, xs);   // a product over n > 0 outputs writes all of it
                if (dt == DType.F32) product(false, false, m, k, n, Dense.of(g), Dense.of(weight), dx.storageFloats()); // dx = dy·W
                else GemmRef.linearBackwardInput(g.doubles(), weight.doubles(), dx.storageDoubles(), m, k, n, false);
            }
            if (weight.requiresGrad()) {
                dw = m > 0 ? Tensor.unfilled(dt, ws) : Tensor.zeros(dt, ws);   // a product over m > 0 rows writes all of it
                if (dt == DType.F32) product(true, false, n, k, m, Dense.of(g), Dense.of(x), dw.storageFloats());      // dW = dyᵀ·x
                else GemmRef.linearBackwardWeight(g.doubles(), x.doubles(), dw.storageDoubles(), m, k, n, false);
            }
            if (bias != null && bias.requiresGrad()) db = Reductions.sumTo(g, new int[] {n});
            return new Tensor[] {dx, dw, db};
        }, x, weight, bias);
    }

    /** a (..., M, K) · b (..., K, N) → (..., M, N); b may also be a shared (K, N) matrix. */
    public static Tensor matmul(Tensor a, Tensor b) {
        String op = "matmul";
        int[] as = a.shape(), bs = b.shape();
        if (as.length < 2 || bs.length < 2 || as[as.length - 1] != bs[bs.length - 2])
            throw new IllegalArgumentException(op + ": shapes " + Shape.str(as) + " and " + Shape.str(bs) + " cannot be multiplied");
        boolean shared = bs.length == 2;
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        if (!shared && !Arrays.equals(batchA, Arrays.copyOf(bs, bs.length - 2)))
            throw new IllegalArgumentException(op + ": batch dimensions of " + Shape.str(as) + " and " + Shape.str(bs) + " differ");
        DType dt = sameDType(op, a, b, null);
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int batch = Shape.numel(batchA);
        int[] ys = Arrays.copyOf(as, as.length);
        ys[ys.length - 1] = n;
        MacCounter.add(MacCounter.Op.MATMUL, MacCounter.matmul(a.numel(), n));
        Tensor y = Tensor.zeros(dt, ys);
        gemm(dt, batch, false, false, m, n, k, a, m * k, b, shared ? 0 : k * n, y);
        NanCheck.check(op, y, a, b);
        return Autograd.record(op, y, g -> {
            Tensor da = null, db = null;
            if (a.requiresGrad()) {               // dA = dC·Bᵀ
                da = Tensor.zeros(dt, as);
                gemm(dt, batch, false, true, m, k, n, g, m * n, b, shared ? 0 : k * n, da);
            }
            if (b.requiresGrad()) {               // dB = Aᵀ·dC, per item or summed over the batch
                if (shared) {
                    db = Tensor.zeros(dt, bs);    // (K, N) = A_flatᵀ (K, batch·M) · dC_flat (batch·M, N)
                    gemm(dt, 1, true, false, k, n, batch * m, a, 0, g, 0, db);
                } else {
                    db = Tensor.zeros(dt, bs);
                    gemm(dt, batch, true, false, k, n, m, a, m * k, g, m * n, db);
                }
            }
            return new Tensor[] {da, db};
        }, a, b);
    }

    /** out_t = op(A_t)·op(B_t) for each batch item t, with contiguous operands. */
    private static void gemm(DType dt, int batch, boolean ta, boolean tb, int m, int n, int k, Tensor a, int aStride, Tensor b, int bStride, Tensor out) {
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) return;   // empty sum: zeros
        if (dt == DType.F32)
            Backends.current().gemmBatched(batch, ta, tb, m, n, k, a.floats(), 0, aStride, b.floats(), 0, bStride, out.storageFloats(), 0, m * n, false);
        else
            GemmRef.gemmBatched(batch, ta, tb, m, n, k, a.doubles(), 0, aStride, b.doubles(), 0, bStride, out.storageDoubles(), 0, m * n, false);
    }

    /** c (m,n) = op(a)·op(b) in float32, on the current backend (the CPU's Gemm unless another device was chosen). */
    private static void product(boolean ta, boolean tb, int m, int n, int k, Dense a, Dense b, float[] c) {
        Backends.current().gemmBatched(1, ta, tb, m, n, k, a.storage(), a.offset(), 0, b.storage(), b.offset(), 0, c, 0, 0, false);
    }

    /**
     * A float32 operand as a row-major run: {@code storage} from {@code offset} on. A contiguous view is read in place
     * (such as a block of weight rows, {@code LinearLayer.forwardOutputs}' half of in_proj, which {@link Tensor#floats}
     * copied on every call because it does not span its storage from 0); any other view is copied.
     */
    private record Dense(float[] storage, int offset) {
        static Dense of(Tensor t) {
            return t.isContiguous() ? new Dense(t.storageFloats(), t.offset()) : new Dense(t.floats(), 0);
        }
    }

    static DType sameDType(String op, Tensor a, Tensor b, Tensor c) {
        if (a.dtype() != b.dtype() || (c != null && c.dtype() != a.dtype()))
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + ", " + b.dtype() + (c != null ? ", " + c.dtype() : "") + ")");
        return a.dtype();
    }
}
