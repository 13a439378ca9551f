package jcipa.tensor.ref;

/**
 * The selective scan of Mamba (S6), as VMamba's {@code SelectiveScan} computes it, in float64.
 * This is the source of truth for {@code jcipa.tensor.kernels.SelectiveScan}.
 *
 * <h2>Shapes</h2>
 * The channels come in {@code K} groups of {@code Dg} channels; the {@code Dg} channels of a group
 * share the same input and output projections {@code B} and {@code C}. Row-major:
 * <pre>
 *   u, Δ, y   (batch, K·Dg, L)      input, step size (before bias and softplus), output
 *   A         (K·Dg, N)             state matrix (diagonal, one row per channel; negative in practice)
 *   B, C      (batch, K, N, L)      input and output projections, one per group and time step
 *   D, Δbias  (K·Dg)                skip connection and step bias (may be null: zero)
 * </pre>
 *
 * <h2>Forward</h2>
 * For batch b, channel d in group g = d / Dg, state n and time t:
 * <pre>
 *   δ_t     = softplus(Δ[b,d,t] + Δbias[d])              softplus(x) = x ≤ 20 ? log1p(eˣ) : x
 *   Ā_t[n]  = exp(δ_t · A[d,n])                          discretise (zero-order hold)
 *   B̄u_t[n] = δ_t · B[b,g,n,t] · u[b,d,t]                 (Euler step for B)
 *   h_t[n]  = Ā_t[n] · h_{t−1}[n] + B̄u_t[n],   h_{−1} = 0  scan
 *   y[b,d,t] = Σ_n C[b,g,n,t] · h_t[n] + D[d] · u[b,d,t]   read out
 * </pre>
 *
 * <h2>Backward</h2>
 * Given dy = ∂ℓ/∂y, let G_t[n] = ∂ℓ/∂h_t[n], counting every path from h_t to ℓ. The state h_t reaches
 * ℓ through y_t (weight C_t[n]) and through h_{t+1} (weight Ā_{t+1}[n]), so G runs backwards in time:
 * <pre>
 *   G_t[n] = dy_t · C_t[n] + Ā_{t+1}[n] · G_{t+1}[n],     G_L = 0        (adjoint scan)
 * </pre>
 * Every other gradient is then local to one time step (chain rule through the forward equations):
 * <pre>
 *   ∂ℓ/∂C_t[n]  += dy_t · h_t[n]                         (summed over the group's channels)
 *   ∂ℓ/∂D       += dy_t · u_t                            (summed over batch and time)
 *   ∂ℓ/∂B̄u_t[n]  = G_t[n]
 *   ∂ℓ/∂Ā_t[n]   = G_t[n] · h_{t−1}[n]
 *   ∂ℓ/∂B_t[n]  += G_t[n] · δ_t · u_t                     (summed over the group's channels)
 *   ∂ℓ/∂u_t      = dy_t · D + δ_t · Σ_n G_t[n] · B_t[n]
 *   ∂ℓ/∂δ_t      = Σ_n G_t[n] · (Ā_t[n] · h_{t−1}[n] · A[n] + B_t[n] · u_t)
 *   ∂ℓ/∂A[n]    += G_t[n] · Ā_t[n] · h_{t−1}[n] · δ_t      (summed over batch and time)
 *   ∂ℓ/∂Δ_t      = ∂ℓ/∂δ_t · softplus′(Δ_t + Δbias),      softplus′(x) = x ≤ 20 ? σ(x) : 1
 *   ∂ℓ/∂Δbias   += ∂ℓ/∂Δ_t                               (summed over batch and time)
 * </pre>
 * The backward needs h_{t−1}; this reference simply keeps the whole trajectory h_{−1..L−1} of one
 * channel (L+1 by N numbers) while it walks back.
 *
 * <p>All arrays are caller-allocated; outputs and gradients are overwritten. {@code D} and
 * {@code deltaBias} may be null (zero); then {@code dD} and {@code dDeltaBias} are not written.
 */
public final class SelectiveScanRef {
    private SelectiveScanRef() {}

    /** Computes y (batch, K·Dg, L) from u, Δ (batch, K·Dg, L), A (K·Dg, N), B, C (batch, K, N, L), D, Δbias (K·Dg). */
    public static void forward(double[] u, double[] delta, double[] A, double[] B, double[] C, double[] D,
                               double[] deltaBias, int batch, int groups, int channelsPerGroup, int L, int N,
                               double[] outY) {
        Layout s = new Layout(batch, groups, channelsPerGroup, L, N);
        s.check("forward", u, delta, A, B, C, D, deltaBias);
        s.checkSequence("forward", "y", outY);
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < s.channels; d++) {
                Channel ch = s.discretise(b, d, u, delta, A, B, deltaBias);
                double[][] h = ch.scan();
                for (int t = 0; t < L; t++) {
                    double y = 0;
                    for (int n = 0; n < N; n++) y += C[s.bc(b, d, n, t)] * h[t + 1][n];
                    outY[s.seq(b, d, t)] = y + param(D, d) * ch.u[t];
                }
            }
        }
    }

    /**
     * Gradients of ℓ = Σ y·dy with respect to every input (see the class comment for the
     * equations). du, dΔ have the shape of u; dA of A; dB, dC of B; dD, dΔbias of D.
     */
    public static void backward(double[] u, double[] delta, double[] A, double[] B, double[] C, double[] D,
                                double[] deltaBias, int batch, int groups, int channelsPerGroup, int L, int N,
                                double[] dy, double[] du, double[] dDelta, double[] dA, double[] dB, double[] dC,
                                double[] dD, double[] dDeltaBias) {
        Layout s = new Layout(batch, groups, channelsPerGroup, L, N);
        s.check("backward", u, delta, A, B, C, D, deltaBias);
        s.checkSequence("backward", "dy", dy);
        s.checkSequence("backward", "du", du);
        s.checkSequence("backward", "dDelta", dDelta);
        s.checkLength("backward", "dA", dA, s.channels * N);
        s.checkLength("backward", "dB", dB, s.bcSize);
        s.checkLength("backward", "dC", dC, s.bcSize);
        if (D != null && dD != null) s.checkLength("backward", "dD", dD, s.channels);
        if (deltaBias != null && dDeltaBias != null) s.checkLength("backward", "dDeltaBias", dDeltaBias, s.channels);

        java.util.Arrays.fill(dA, 0);
        java.util.Arrays.fill(dB, 0);
        java.util.Arrays.fill(dC, 0);
        double[] dDsum = new double[s.channels];
        double[] dBiasSum = new double[s.channels];

        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < s.channels; d++) {
                Channel ch = s.discretise(b, d, u, delta, A, B, deltaBias);
                double[][] h = ch.scan();                 // h[t + 1] = h_t, h[0] = h_{−1} = 0
                double[] G = new double[N];               // G_t, starting from G_L = 0
                for (int t = L - 1; t >= 0; t--) {
                    double dyt = dy[s.seq(b, d, t)];
                    double dDeltaT = 0;                   // ∂ℓ/∂δ_t
                    double sumGB = 0;                     // Σ_n G_t[n] · B_t[n]
                    for (int n = 0; n < N; n++) {
                        double Bt = B[s.bc(b, d, n, t)];
                        double Ct = C[s.bc(b, d, n, t)];
                        double aNext = t + 1 < L ? ch.aBar[t + 1][n] : 0;
                        G[n] = dyt * Ct + aNext * G[n];
                        dC[s.bc(b, d, n, t)] += dyt * h[t + 1][n];
                        dB[s.bc(b, d, n, t)] += G[n] * ch.delta[t] * ch.u[t];
                        double dABar = G[n] * h[t][n];    // ∂ℓ/∂Ā_t[n]
                        dA[d * N + n] += dABar * ch.aBar[t][n] * ch.delta[t];
                        dDeltaT += dABar * ch.aBar[t][n] * A[d * N + n] + G[n] * Bt * ch.u[t];
                        sumGB += G[n] * Bt;
                    }
                    du[s.seq(b, d, t)] = dyt * param(D, d) + ch.delta[t] * sumGB;
                    double dDeltaRaw = dDeltaT * softplusDerivative(ch.x[t]);
                    dDelta[s.seq(b, d, t)] = dDeltaRaw;
                    dBiasSum[d] += dDeltaRaw;
                    dDsum[d] += dyt * ch.u[t];
                }
            }
        }
        if (D != null && dD != null) System.arraycopy(dDsum, 0, dD, 0, s.channels);
        if (deltaBias != null && dDeltaBias != null) System.arraycopy(dBiasSum, 0, dDeltaBias, 0, s.channels);
    }

    /** softplus(x) = log(1 + eˣ), taken as x itself above 20 (as the CUDA kernel does). */
    public static double softplus(double x) {
        return x <= 20 ? StrictMath.log1p(StrictMath.exp(x)) : x;
    }

    /** d softplus / dx: the logistic σ(x) = 1 / (1 + e^{−x}), and 1 above 20. */
    public static double softplusDerivative(double x) {
        return x <= 20 ? 1 / (1 + StrictMath.exp(-x)) : 1;
    }

    private static double param(double[] p, int d) {
        return p == null ? 0 : p[d];
    }

    /**
     * One channel (b, d) discretised: x_t = Δ_t + Δbias (L), δ_t = softplus(x_t) (L),
     * Ā_t[n] (L, N), B̄u_t[n] (L, N), and u_t (L).
     */
    private record Channel(double[] x, double[] delta, double[][] aBar, double[][] bBarU, double[] u) {
        /** Runs h_t = Ā_t·h_{t−1} + B̄u_t from h_{−1} = 0; returns (L+1, N) with row t+1 = h_t, row 0 = h_{−1}. */
        double[][] scan() {
            int L = delta.length;
            int N = L == 0 ? 0 : aBar[0].length;
            double[][] h = new double[L + 1][N];
            for (int t = 0; t < L; t++) {
                for (int n = 0; n < N; n++) h[t + 1][n] = aBar[t][n] * h[t][n] + bBarU[t][n];
            }
            return h;
        }
    }

    /** Sizes, flat indices and argument checks. */
    private record Layout(int batch, int groups, int channelsPerGroup, int L, int N, int channels, int bcSize) {
        Layout(int batch, int groups, int channelsPerGroup, int L, int N) {
            this(batch, groups, channelsPerGroup, L, N, checkedChannels(batch, groups, channelsPerGroup, L, N),
                    batch * groups * N * L);
        }

        private static int checkedChannels(int batch, int groups, int channelsPerGroup, int L, int N) {
            if (batch < 1 || groups < 1 || channelsPerGroup < 1 || L < 1 || N < 1) {
                throw new IllegalArgumentException("SelectiveScanRef: dims must be positive, got batch=" + batch
                        + " groups=" + groups + " channelsPerGroup=" + channelsPerGroup + " L=" + L + " N=" + N);
            }
            return groups * channelsPerGroup;
        }

        /** Index of (b, d, t) in u, Δ, y: shape (batch, K·Dg, L). */
        int seq(int b, int d, int t) {
            return (b * channels + d) * L + t;
        }

        /** Index of (b, g(d), n, t) in B, C: shape (batch, K, N, L), g = d / Dg. */
        int bc(int b, int d, int n, int t) {
            return ((b * groups + d / channelsPerGroup) * N + n) * L + t;
        }

        Channel discretise(int b, int d, double[] u, double[] delta, double[] A, double[] B, double[] deltaBias) {
            double[] x = new double[L], dt = new double[L], ut = new double[L];
            double[][] aBar = new double[L][N], bBarU = new double[L][N];
            for (int t = 0; t < L; t++) {
                x[t] = delta[seq(b, d, t)] + param(deltaBias, d);
                dt[t] = softplus(x[t]);
                ut[t] = u[seq(b, d, t)];
                for (int n = 0; n < N; n++) {
                    aBar[t][n] = StrictMath.exp(dt[t] * A[d * N + n]);
                    bBarU[t][n] = dt[t] * B[bc(b, d, n, t)] * ut[t];
                }
            }
            return new Channel(x, dt, aBar, bBarU, ut);
        }

        void check(String op, double[] u, double[] delta, double[] A, double[] B, double[] C, double[] D,
                   double[] deltaBias) {
            checkSequence(op, "u", u);
            checkSequence(op, "delta", delta);
            checkLength(op, "A", A, channels * N);
            checkLength(op, "B", B, bcSize);
            checkLength(op, "C", C, bcSize);
            if (D != null) checkLength(op, "D", D, channels);
            if (deltaBias != null) checkLength(op, "deltaBias", deltaBias, channels);
        }

        void checkSequence(String op, String name, double[] a) {
            checkLength(op, name, a, batch * channels * L);
        }

        void checkLength(String op, String name, double[] a, int expected) {
            if (a == null || a.length != expected) {
                throw new IllegalArgumentException("SelectiveScanRef." + op + ": " + name + " has length "
                        + (a == null ? "null" : a.length) + ", expected " + expected + " for batch=" + batch
                        + " groups=" + groups + " channelsPerGroup=" + channelsPerGroup + " L=" + L + " N=" + N);
            }
        }
    }
}
