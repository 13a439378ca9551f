package jcipa.jmh.peer;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The selective scan written with PyTorch tensor ops the way Mamba's reference implementation
 * (the {@code selective_scan_ref} that VMamba also ships for CPU use) computes it: discretise
 * every (channel, time, state) at once, then one loop iteration per time step of small tensor ops.
 * Our Java loop over L plays the part of the reference's Python loop; every step calls into
 * libtorch for each op, as the Python code does.
 *
 * <pre>
 *   δ        = softplus(Δ + Δbias)                           (b, D, L)
 *   B', C'   = each group's B, C repeated over its D/K channels (b, D, N, L)
 *   Ā        = exp(δ ⊗ A)                                    (b, D, L, N)   einsum bdl,dn→bdln
 *   B̄u       = (δ·u) ⊗ B'                                    (b, D, L, N)   einsum bdl,bdnl,bdl→bdln
 *   for t:  x = Ā[:, :, t]·x + B̄u[:, :, t];   y_t = Σ_n x·C'[:, :, :, t]   (einsum bdn,bdn→bd)
 *   out      = stack(y_t, dim 2) + u·D
 * </pre>
 * The two contractions are written as broadcast multiply (and sum), which is what the einsums
 * reduce to. Temporaries of a step are freed at the end of the step, as Python's reference
 * counting frees them.
 */
final class TorchSelectiveScan {
    private TorchSelectiveScan() {}

    /**
     * u, delta (b, K·Dg, L); A (K·Dg, N); B, C (b, K, N, L); D, deltaBias (K·Dg). Returns y (b, K·Dg, L),
     * owned by u's manager.
     */
    static NDArray forward(NDArray u, NDArray delta, NDArray A, NDArray B, NDArray C, NDArray D, NDArray deltaBias) {
        long batch = u.getShape().get(0), dim = u.getShape().get(1), length = u.getShape().get(2);
        long groups = B.getShape().get(1), states = A.getShape().get(1);
        try (NDManager scope = NDManager.subManagerOf(u)) {
            scope.tempAttachAll(u, delta, A, B, C, D, deltaBias);
            NDArray softDelta = Activation.softPlus(delta.add(deltaBias.reshape(dim, 1)));
            NDArray bChannels = repeatGroups(B, batch, groups, dim, states, length);
            NDArray cChannels = repeatGroups(C, batch, groups, dim, states, length);
            NDArray deltaA = softDelta.expandDims(3).mul(A.reshape(dim, 1, states)).exp();
            NDArray deltaBu = softDelta.mul(u).expandDims(3).mul(bChannels.transpose(0, 1, 3, 2));

            NDArray x = scope.zeros(new Shape(batch, dim, states));
            List<NDArray> ys = new ArrayList<>((int) length);
            int[] stateAxis = {2};
            for (long t = 0; t < length; t++) {
                NDIndex atTime = new NDIndex().addAllDim(2).addIndices(t);      // [:, :, t]
                NDIndex atTimeLast = new NDIndex().addAllDim(3).addIndices(t);  // [:, :, :, t]
                NDArray decay = deltaA.get(atTime), input = deltaBu.get(atTime);
                NDArray decayed = decay.mul(x);
                NDArray next = decayed.add(input);
                closeAll(decay, input, decayed, x);
                x = next;
                NDArray c = cChannels.get(atTimeLast);
                NDArray xc = x.mul(c);
                ys.add(xc.sum(stateAxis));
                closeAll(c, xc);
            }
            NDArray y = NDArrays.stack(new NDList(ys), 2);
            NDArray out = y.add(u.mul(D.reshape(dim, 1)));
            return scope.ret(out);
        }
    }

    /** (b, K, N, L) → (b, K·H, N, L): channel k·H + h reads group k (einops "B G N L -> B (G H) N L"). */
    private static NDArray repeatGroups(NDArray g, long batch, long groups, long dim, long states, long length) {
        return g.reshape(batch, groups, 1, states, length)
                .broadcast(batch, groups, dim / groups, states, length)
                .reshape(batch, dim, states, length);
    }

    private static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) a.close();
    }
}
