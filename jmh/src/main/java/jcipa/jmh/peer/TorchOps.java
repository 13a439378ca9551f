package jcipa.jmh.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;

/** The peer's side: each op written with PyTorch ops through DJL, on the same arrays as ours. */
final class TorchOps {
    private TorchOps() {}

    /** y (M,N) = x (M,K) · Wᵀ. */
    static NDArray linear(NDArray x, NDArray wT) {
        return x.matMul(wT);
    }

    /** 3×3 convolution, stride 1, padding 1, with bias; groups = channels for depthwise. */
    static NDArray conv3x3(NDArray x, NDArray w, NDArray b, int groups) {
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), groups).singletonOrThrow();
    }

    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, int cols) {
        return LayerNorm.layerNorm(x, new Shape(cols), gamma, beta, 1e-5f).singletonOrThrow();
    }

    /**
     * The selective scan as the official reference (Mamba's selective_scan_ref) writes it with tensor
     * ops: δ = softplus(Δ + bias); Ā = exp(δ ⊗ A) and B̄u = δ·u ⊗ B materialised as (b, D, L, N);
     * then a loop over time h = Ā_t·h + B̄u_t, y_t = Σ_n h·C_t; finally y += D·u.
     * u, delta (b, D, L); A (D, N); B, C (b, G, N, L); dSkip, bias (D).
     */
    static NDArray selectiveScanRef(NDManager m, NDArray u, NDArray delta, NDArray A, NDArray B, NDArray C,
                                    NDArray dSkip, NDArray bias, int groups) {
        long b = u.getShape().get(0), d = u.getShape().get(1), L = u.getShape().get(2), n = A.getShape().get(1);
        long dg = d / groups;
        try (NDScope scope = new NDScope()) {
            NDArray dt = Activation.softPlus(delta.add(bias.reshape(1, d, 1)));
            NDArray deltaA = dt.expandDims(3).mul(A.reshape(1, d, 1, n)).exp();                     // (b, D, L, N)
            NDArray bFull = B.expandDims(2).broadcast(new Shape(b, groups, dg, n, L)).reshape(b, d, n, L);
            NDArray cFull = C.expandDims(2).broadcast(new Shape(b, groups, dg, n, L)).reshape(b, d, n, L);
            NDArray deltaBu = dt.mul(u).expandDims(3).mul(bFull.transpose(0, 1, 3, 2));              // (b, D, L, N)
            bFull.close();
            NDArray h = m.zeros(new Shape(b, d, n));
            NDList ys = new NDList((int) L);
            for (int t = 0; t < L; t++) {
                try (NDScope step = new NDScope()) {
                    NDArray next = deltaA.get(":, :, {}", t).mul(h).add(deltaBu.get(":, :, {}", t));
                    NDArray y = next.mul(cFull.get(":, :, :, {}", t)).sum(new int[] {2});
                    NDScope.unregister(next, y);
                    h.close();
                    h = next;
                    ys.add(y);
                }
            }
            NDArray out = NDArrays.stack(ys, 2).add(u.mul(dSkip.reshape(1, d, 1)));
            NDScope.unregister(out);
            return out;
        }
    }
}
