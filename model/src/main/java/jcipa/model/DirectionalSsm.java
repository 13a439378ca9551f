package jcipa.model;

import java.util.List;

import jcipa.nn.Init;
import jcipa.nn.Module;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.device.Device;
import jcipa.tensor.ops.CrossSelectiveScanOp;
import jcipa.tensor.ops.Joins;
import jcipa.tensor.ops.Linear;
import jcipa.tensor.ops.MacCounter;
import jcipa.tensor.ops.SelectiveScanOp;

/**
 * The state-space core shared by {@link SS2D} (K = 4 scan directions) and {@link SS1D} (K = 1):
 * K independent selective scans over sequences xs (B, K, D, L), each with its own projections.
 *
 * <p>Per direction k, with R = dt rank and N = state size:
 * <pre>
 *   [Δraw; B; C] = x_proj_weight[k] · xs_k          (R + 2N, D) · (D, L)
 *   Δ            = dt_projs_weight[k] · Δraw          (D, R) · (R, L)
 *   ys_k         = scan(u = xs_k, Δ, A = −exp(A_logs_k), B, C, D = Ds_k, Δbias = dt_projs_bias[k])
 * </pre>
 * with δ = softplus(Δ + Δbias) inside the scan; B and C are shared by the D channels of a direction.
 *
 * <p>Registers this module's own parameters, in the official order: {@code x_proj_weight} (K, R+2N, D),
 * {@code dt_projs_weight} (K, D, R), {@code dt_projs_bias} (K, D), {@code A_logs} (K·D, N), {@code Ds} (K·D).
 * Subclasses register their child modules after these.
 */
abstract class DirectionalSsm extends Module {
    protected final int directions, dInner, dState, dtRank;
    private final Tensor xProjWeight, dtProjsWeight, dtProjsBias, aLogs, ds;

    protected DirectionalSsm(int directions, int dInner, int dState, int dtRank, DType dt) {
        if (directions < 1 || dInner < 1 || dState < 1 || dtRank < 1)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": directions " + directions + ", d_inner " + dInner
                    + ", d_state " + dState + ", dt_rank " + dtRank + " must all be positive");
        this.directions = directions;
        this.dInner = dInner;
        this.dState = dState;
        this.dtRank = dtRank;
        this.xProjWeight = parameter("x_proj_weight", Init.zeros(dt, directions, dtRank + 2 * dState, dInner));
        this.dtProjsWeight = parameter("dt_projs_weight", Init.zeros(dt, directions, dInner, dtRank));
        this.dtProjsBias = parameter("dt_projs_bias", Init.zeros(dt, directions, dInner));
        this.aLogs = parameter("A_logs", s4dRealLogs(dt, directions * dInner, dState));
        this.ds = parameter("Ds", Init.full(dt, 1.0, directions * dInner));
        markNoWeightDecay("A_logs");    // as the official A_log_init / D_init mark them
        markNoWeightDecay("Ds");
    }

    /** A_logs[c, n] = log(n + 1): the S4D-real start A = −(1, 2, …, N) (replaced when weights load). */
    private static Tensor s4dRealLogs(DType dt, int channels, int n) {
        double[] v = new double[channels * n];
        for (int c = 0; c < channels; c++)
            for (int j = 0; j < n; j++) v[c * n + j] = Math.log(j + 1);
        return Tensor.of(v, channels, n).to(dt);
    }

    /** xs (B, K, D, L) → ys (B, K, D, L): the K selective scans. */
    protected final Tensor scanDirections(Tensor xs) {
        int[] s = xs.shape();
        if (s.length != 4 || s[1] != directions || s[2] != dInner)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected sequences (B, " + directions + ", " + dInner
                    + ", L), got " + jcipa.tensor.Shape.str(s));
        int b = s[0], l = s[3];
        Tensor xProj = xProjWeight.unsqueeze(0).expand(b, directions, dtRank + 2 * dState, dInner);
        Tensor xDbl = Linear.matmul(xProj, xs);                                    // (B, K, R+2N, L)
        List<Tensor> parts = Joins.split(xDbl, 2, dtRank, dState, dState);
        Tensor dtProj = dtProjsWeight.unsqueeze(0).expand(b, directions, dInner, dtRank);
        Tensor delta = Linear.matmul(dtProj, parts.get(0));                       // (B, K, D, L)
        Tensor a = aLogs.exp().neg();
        Tensor ys = SelectiveScanOp.apply(
                xs.reshape(b, directions * dInner, l),
                delta.reshape(b, directions * dInner, l),
                a, parts.get(1).contiguous(), parts.get(2).contiguous(), ds,
                dtProjsBias.reshape(directions * dInner));
        return ys.reshape(b, directions, dInner, l);
    }

    /**
     * Whether a forward on {@code x} may take {@link #crossScanChannelsLast}: four directions, float32 on
     * the CPU, no gradient being recorded and no MAC count open (which counts the official ops one by one).
     */
    protected final boolean fusedCrossScan(Tensor x) {
        return directions == 4 && x.dtype() == DType.F32 && !Autograd.isEnabled() && !MacCounter.active()
                && Backends.current().device() == Device.CPU;
    }

    /**
     * Whether a forward that records gradients may take {@link #crossScanChannelsLast} for the scan core: four
     * directions, float32 on the CPU, no MAC count open, and not turned off ({@link #fusedWithGradient}). Its
     * forward gives the op-by-op bits; its gradients are the same up to float32 rounding (another fixed order).
     */
    protected final boolean fusedCrossScanWithGradient(Tensor x) {
        return fusedWithGradient && directions == 4 && x.dtype() == DType.F32 && Autograd.isEnabled() && !MacCounter.active()
                && Backends.current().device() == Device.CPU;
    }

    /**
     * Whether training takes the fused SS2D core ({@code -Djcipa.ss2d.opByOp=true} turns it off, for the op-by-op
     * graph of the official code; tests switch it).
     */
    static volatile boolean fusedWithGradient = !Boolean.getBoolean("jcipa.ss2d.opByOp");

    /**
     * x (B, H, W, D) → y (B, H, W, D) = CrossMerge(the four scans of CrossScan(x)), the same bits as
     * {@code crossMerge(scanDirections(crossScan(x)))} on the channels-first map, in one op without its
     * copies ({@link CrossSelectiveScanOp}).
     */
    protected final Tensor crossScanChannelsLast(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != dInner)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected x (B, H, W, " + dInner + "), got " + jcipa.tensor.Shape.str(s));
        return CrossSelectiveScanOp.apply(x, xProjWeight, dtProjsWeight, dtProjsBias, aLogs.exp().neg(), ds);
    }
}
