package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.kernels.SelectiveScan;
import jcipa.tensor.ref.SelectiveScanRef;

/**
 * The selective scan as a differentiable op:
 * {@code y = SSM(u; Δ, A, B, C, D, Δbias)} with δ = softplus(Δ + Δbias), Ā = exp(δA), B̄u = δBu,
 * h_t = Ā_t h_{t−1} + B̄_t u_t, y_t = C_t·h_t + D u_t (see {@link SelectiveScanRef} for the math and
 * the adjoint recurrence that is its backward).
 *
 * <p>Shapes: u, Δ, y (batch, K·Dg, L); A (K·Dg, N); B, C (batch, K, N, L), shared by the Dg channels
 * of each of the K groups; D, Δbias (K·Dg) or null. Float32 runs the vectorised kernel, float64 the
 * reference.
 */
public final class SelectiveScanOp {
    private SelectiveScanOp() {}

    public static Tensor apply(Tensor u, Tensor delta, Tensor A, Tensor B, Tensor C, Tensor D, Tensor deltaBias) {
        String op = "selectiveScan";
        int[] us = u.shape(), bs = B.shape(), as = A.shape();
        if (us.length != 3 || bs.length != 4 || as.length != 2)
            throw new IllegalArgumentException(op + ": expected u (batch, K·Dg, L), A (K·Dg, N), B (batch, K, N, L); got u " + Shape.str(us)
                    + ", A " + Shape.str(as) + ", B " + Shape.str(bs));
        int batch = us[0], channels = us[1], L = us[2], K = bs[1], N = bs[2];
        if (K < 1 || channels % K != 0)
            throw new IllegalArgumentException(op + ": " + channels + " channels of u " + Shape.str(us) + " cannot be split into K=" + K + " groups of B " + Shape.str(bs));
        requireShape(op, "delta", delta, us);
        requireShape(op, "A", A, channels, N);
        requireShape(op, "B", B, batch, K, N, L);
        requireShape(op, "C", C, batch, K, N, L);
        if (D != null) requireShape(op, "D", D, channels);
        if (deltaBias != null) requireShape(op, "deltaBias", deltaBias, channels);
        DType dt = u.dtype();
        for (Tensor t : new Tensor[] {delta, A, B, C, D, deltaBias})
            if (t != null && t.dtype() != dt) throw new IllegalArgumentException(op + ": dtypes differ (" + dt + " and " + t.dtype() + ")");
        int dg = channels / K;
        MacCounter.add(MacCounter.Op.SELECTIVE_SCAN, MacCounter.selectiveScan(batch, channels, L, N));

        Tensor y = Tensor.zeros(dt, us);
        SelectiveScan.States kept = null;             // the states at segment starts, for the backward (float32, when recorded)
        if (dt == DType.F32 && Autograd.willRecord(u, delta, A, B, C, D, deltaBias)) {
            kept = Backends.current().selectiveScanForwardKeepingStates(u.floats(), delta.floats(), A.floats(), B.floats(), C.floats(),
                    D == null ? null : D.floats(), deltaBias == null ? null : deltaBias.floats(), batch, K, dg, L, N, y.storageFloats());
        } else if (dt == DType.F32) {
            Backends.current().selectiveScanForward(u.floats(), delta.floats(), A.floats(), B.floats(), C.floats(), D == null ? null : D.floats(),
                    deltaBias == null ? null : deltaBias.floats(), batch, K, dg, L, N, y.storageFloats());
        } else {
            SelectiveScanRef.forward(u.doubles(), delta.doubles(), A.doubles(), B.doubles(), C.doubles(), D == null ? null : D.doubles(),
                    deltaBias == null ? null : deltaBias.doubles(), batch, K, dg, L, N, y.storageDoubles());
        }
        NanCheck.check(op, y, u, delta, A, B, C, D, deltaBias);

        SelectiveScan.States states = kept;
        return Autograd.record(op, y, g -> {
            Tensor du = Tensor.zeros(dt, us), dDelta = Tensor.zeros(dt, us), dA = Tensor.zeros(dt, channels, N);
            Tensor dB = Tensor.zeros(dt, bs), dC = Tensor.zeros(dt, bs);
            Tensor dD = D == null ? null : Tensor.zeros(dt, channels), dBias = deltaBias == null ? null : Tensor.zeros(dt, channels);
            if (dt == DType.F32) {
                Backends.current().selectiveScanBackward(u.floats(), delta.floats(), A.floats(), B.floats(), C.floats(), D == null ? null : D.floats(),
                        deltaBias == null ? null : deltaBias.floats(), batch, K, dg, L, N, g.floats(),
                        du.storageFloats(), dDelta.storageFloats(), dA.storageFloats(), dB.storageFloats(), dC.storageFloats(),
                        dD == null ? null : dD.storageFloats(), dBias == null ? null : dBias.storageFloats(), states);
            } else {
                SelectiveScanRef.backward(u.doubles(), delta.doubles(), A.doubles(), B.doubles(), C.doubles(), D == null ? null : D.doubles(),
                        deltaBias == null ? null : deltaBias.doubles(), batch, K, dg, L, N, g.doubles(),
                        du.storageDoubles(), dDelta.storageDoubles(), dA.storageDoubles(), dB.storageDoubles(), dC.storageDoubles(),
                        dD == null ? null : dD.storageDoubles(), dBias == null ? null : dBias.storageDoubles());
            }
            return new Tensor[] {du, dDelta, dA, dB, dC, dD, dBias};
        }, u, delta, A, B, C, D, deltaBias);
    }

    static void requireShape(String op, String what, Tensor t, int... shape) {
        if (!java.util.Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Shape.str(t.shape()) + ", expected " + Shape.str(shape));
    }
}
