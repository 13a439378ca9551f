package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The selective scan of Mamba (S6) in float32, forward and backward: the equations, shapes and
 * gradient derivation are those of {@link jcipa.tensor.ref.SelectiveScanRef}.
 *
 * <h2>How the work is cut</h2>
 * One task is one (batch b, group g, block of {@link #BLOCK} consecutive channels of g). Inside a task
 * time is walked in segments of {@link #SEGMENT} steps; per segment, δ, δ·u (and dy, softplus′) are
 * transposed to (time, channel) so that a vector holds consecutive channels. Each vector lane runs
 * exactly the scalar recurrence of its channel (same float ops, same {@code fma}s, same
 * {@code FMath}/{@code VMath} exp), so the vector path, at any width, and the scalar path give the
 * same bits. Softplus, σ and every per-(channel, time) operation that does not involve the state
 * index n are done by shared scalar code.
 *
 * <h2>Backward</h2>
 * The backward recomputes the forward states (nothing is stored by {@link #forward}): a first pass
 * keeps h at each segment start (checkpoints, (L/SEGMENT)·N·BLOCK floats per task); then, segment by
 * segment from the end, it recomputes that segment's h_t and Ā_t from its checkpoint and runs the
 * adjoint scan G_t = dy_t·C_t + Ā_{t+1}·G_{t+1} backwards through it. So it costs two forward scans
 * plus the adjoint scan.
 *
 * <h2>Fixed-order sums</h2>
 * Sums across channels (dB, dC: over the channels of a group) are taken inside a block in channel
 * order, then across blocks in block order; sums across batch (dA, dD, dΔbias) in batch order; sums
 * over time in reverse time order. None depends on the thread count or the vector width.
 *
 * <h2>Error bound</h2>
 * Against the float64 reference on the same (float32) inputs, in VMamba's range (|u|, |B|, |C|, |dy| ≲ 4,
 * |Δ + Δbias| ≲ 3, A ∈ [−N−½, −0.2], L ≤ 512), every output and gradient X satisfies
 * max|X − X_ref| ≤ 1e-5 · M_X, where M_X is the larger of max|X_ref| and max|X_ref| of the magnitude
 * problem (u, B, C, D, dy replaced by their absolute values, which bounds the sum of |terms| behind
 * each element), and for dΔbias also Σ_{b,t}|dΔ| of a channel. Measured worst case over thousands
 * of random problems: 6e-7 (tested by {@code SelectiveScanTest}); on the GPU golden cases, relative
 * to max|X_ref| alone, ≲ 1e-6. The time sums (dA, dD, dΔbias) are sequential, so for much longer
 * sequences their error grows with L.
 */
public final class SelectiveScan {
    private SelectiveScan() {}

    /** Channels per task (a multiple of every float vector width up to 512 bits). */
    static final int BLOCK = 16;
    /** Time steps per segment of the transposed working set. */
    static final int SEGMENT = 64;

    private static final VectorSpecies<Float> F = Simd.F;

    /**
     * Problem size: {@code groups} (K) groups of {@code channelsPerGroup} (Dg) channels, sequence length
     * {@code length} (L), {@code states} (N) states per channel, batch {@code batch}.
     */
    public record Dims(int batch, int groups, int channelsPerGroup, int length, int states) {
        public Dims {
            if (batch < 1 || groups < 1 || channelsPerGroup < 1 || length < 1 || states < 1) {
                throw new IllegalArgumentException("SelectiveScan: dims must be positive, got " + describe(batch,
                        groups, channelsPerGroup, length, states));
            }
            if ((long) batch * groups * channelsPerGroup * length > Integer.MAX_VALUE
                    || (long) batch * groups * states * length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("SelectiveScan: arrays too large for " + describe(batch,
                        groups, channelsPerGroup, length, states));
            }
        }

        /** K·Dg. */
        public int channels() { return groups * channelsPerGroup; }

        /** Length of u, Δ, y: batch·K·Dg·L. */
        public int sequenceSize() { return batch * channels() * length; }

        /** Length of A: K·Dg·N. */
        public int stateMatrixSize() { return channels() * states; }

        /** Length of B, C: batch·K·N·L. */
        public int projectionSize() { return batch * groups * states * length; }

        /** Channel blocks per group. */
        int blocksPerGroup() { return (channelsPerGroup + BLOCK - 1) / BLOCK; }

        @Override public String toString() {
            return describe(batch, groups, channelsPerGroup, length, states);
        }

        private static String describe(int batch, int groups, int cpg, int L, int N) {
            return "batch=" + batch + " groups=" + groups + " channelsPerGroup=" + cpg + " L=" + L + " N=" + N;
        }

        void checkLength(String op, String name, float[] a, int expected) {
            if (a == null || a.length != expected) {
                throw new IllegalArgumentException("SelectiveScan." + op + ": " + name + " has length "
                        + (a == null ? "null" : a.length) + ", expected " + expected + " for " + this);
            }
        }

        void checkInputs(String op, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                         float[] deltaBias) {
            checkLength(op, "u", u, sequenceSize());
            checkLength(op, "delta", delta, sequenceSize());
            checkLength(op, "A", A, stateMatrixSize());
            checkLength(op, "B", B, projectionSize());
            checkLength(op, "C", C, projectionSize());
            if (D != null) checkLength(op, "D", D, channels());
            if (deltaBias != null) checkLength(op, "deltaBias", deltaBias, channels());
        }
    }

    /**
     * y = SelectiveScan(u, Δ, A, B, C, D, Δbias). Shapes: u, Δ, y (batch, K·Dg, L); A (K·Dg, N);
     * B, C (batch, K, N, L); D, Δbias (K·Dg) or null.
     */
    public static void forward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                               float[] deltaBias, int batch, int groups, int channelsPerGroup, int L, int N,
                               float[] outY) {
        forward(u, delta, A, B, C, D, deltaBias, new Dims(batch, groups, channelsPerGroup, L, N), outY);
    }

    /** {@link #forward(float[], float[], float[], float[], float[], float[], float[], int, int, int, int, int, float[])} with a {@link Dims}. */
    public static void forward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                               float[] deltaBias, Dims dims, float[] outY) {
        forward(Simd.ENABLED, u, delta, A, B, C, D, deltaBias, dims, outY);
    }

    /**
     * Gradients of ℓ = Σ y·dy: du, dΔ (batch, K·Dg, L); dA (K·Dg, N); dB, dC (batch, K, N, L);
     * dD, dΔbias (K·Dg). All are overwritten; dD (dΔbias) is not touched when D (Δbias) or it is null.
     */
    public static void backward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                float[] deltaBias, int batch, int groups, int channelsPerGroup, int L, int N,
                                float[] dy, float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                                float[] dD, float[] dDeltaBias) {
        backward(u, delta, A, B, C, D, deltaBias, new Dims(batch, groups, channelsPerGroup, L, N),
                dy, du, dDelta, dA, dB, dC, dD, dDeltaBias);
    }

    /** {@link #backward(float[], float[], float[], float[], float[], float[], float[], int, int, int, int, int, float[], float[], float[], float[], float[], float[], float[], float[])} with a {@link Dims}. */
    public static void backward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                                float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        backward(Simd.ENABLED, u, delta, A, B, C, D, deltaBias, dims, dy, du, dDelta, dA, dB, dC, dD, dDeltaBias);
    }

    // ---------------------------------------------------------------------------------------------
    // Forward

    /** The forward with the vector path on or off (package-visible so tests can compare the paths). */
    static void forward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                        float[] deltaBias, Dims dims, float[] outY) {
        dims.checkInputs("forward", u, delta, A, B, C, D, deltaBias);
        dims.checkLength("forward", "y", outY, dims.sequenceSize());
        Parallel.forTasks(dims.batch() * dims.groups() * dims.blocksPerGroup(), task -> {
            Block k = new Block(dims, task, vector);
            Work w = new Work(k, false);
            k.loadA(A, w.A);
            for (int t0 = 0; t0 < k.L; t0 += SEGMENT) {
                int tn = Math.min(SEGMENT, k.L - t0);
                k.loadSegment(u, delta, deltaBias, t0, tn, w);
                Arrays.fill(w.y, 0f);
                int c = 0;
                for (; c < k.vectorEnd; c += F.length()) forwardSegmentVector(c, t0, tn, B, C, k, w);
                for (; c < k.count; c++) forwardSegmentScalar(c, t0, tn, B, C, k, w);
                // y_t = Σ_n C_t[n]·h_t[n] + D·u_t
                for (c = 0; c < k.count; c++) {
                    int d = k.firstChannel + c, row = k.sequenceRow(c) + t0;
                    for (int tl = 0; tl < tn; tl++) {
                        int i = tl * BLOCK + c;
                        outY[row + tl] = D == null ? w.y[i] : Math.fma(D[d], w.u[i], w.y[i]);
                    }
                }
            }
        });
    }

    /** Lanes c..c+W−1 over one segment: h_t = Ā_t·h_{t−1} + B_t·(δ_t·u_t); y_t += C_t·h_t, state by state. */
    private static void forwardSegmentVector(int c, int t0, int tn, float[] B, float[] C, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
            FloatVector a = FloatVector.fromArray(F, w.A, s);
            FloatVector h = FloatVector.fromArray(F, w.h, s);
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = exp(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl]));
                h.fma(FloatVector.broadcast(F, C[row + tl]), FloatVector.fromArray(F, w.y, i)).intoArray(w.y, i);
            }
            h.intoArray(w.h, s);
        }
    }

    /** The scalar twin of {@link #forwardSegmentVector} for one channel c. */
    private static void forwardSegmentScalar(int c, int t0, int tn, float[] B, float[] C, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
            float a = w.A[s];
            float h = w.h[s];
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                float aBar = FMath.exp(w.delta[i] * a);
                h = Math.fma(aBar, h, w.deltaU[i] * B[row + tl]);
                w.y[i] = Math.fma(h, C[row + tl], w.y[i]);
            }
            w.h[s] = h;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Backward

    /** The backward with the vector path on or off (package-visible so tests can compare the paths). */
    static void backward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                         float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                         float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        dims.checkInputs("backward", u, delta, A, B, C, D, deltaBias);
        int seq = dims.sequenceSize(), proj = dims.projectionSize(), KD = dims.channels();
        dims.checkLength("backward", "dy", dy, seq);
        dims.checkLength("backward", "du", du, seq);
        dims.checkLength("backward", "dDelta", dDelta, seq);
        dims.checkLength("backward", "dA", dA, dims.stateMatrixSize());
        dims.checkLength("backward", "dB", dB, proj);
        dims.checkLength("backward", "dC", dC, proj);
        boolean wantD = D != null && dD != null, wantBias = deltaBias != null && dDeltaBias != null;
        if (wantD) dims.checkLength("backward", "dD", dD, KD);
        if (wantBias) dims.checkLength("backward", "dDeltaBias", dDeltaBias, KD);

        // Partial sums: per block for dB, dC (when a group has several blocks), per batch for dA, dD, dΔbias.
        int blocks = dims.blocksPerGroup(), batch = dims.batch();
        float[] dBParts = blocks == 1 ? dB : new float[blocks * proj];
        float[] dCParts = blocks == 1 ? dC : new float[blocks * proj];
        float[] dAParts = batch == 1 ? dA : new float[batch * dims.stateMatrixSize()];
        float[] dDParts = batch == 1 || !wantD ? dD : new float[batch * KD];
        float[] dBiasParts = batch == 1 || !wantBias ? dDeltaBias : new float[batch * KD];

        Parallel.forTasks(batch * dims.groups() * blocks, task -> {
            Block k = new Block(dims, task, vector);
            Work w = new Work(k, true);
            k.loadA(A, w.A);
            int segments = (k.L + SEGMENT - 1) / SEGMENT;
            int stateSize = k.N * BLOCK;
            float[] checkpoints = new float[segments * stateSize];   // h_{t0−1} of each segment
            for (int s = 0; s + 1 < segments; s++) {
                int t0 = s * SEGMENT;
                k.loadSegment(u, delta, deltaBias, t0, SEGMENT, w);
                System.arraycopy(checkpoints, s * stateSize, w.h, 0, stateSize);
                recomputeStates(t0, SEGMENT, B, k, w);
                for (int n = 0; n < k.N; n++) {
                    System.arraycopy(w.hs, (n * (SEGMENT + 1) + SEGMENT) * BLOCK,
                            checkpoints, (s + 1) * stateSize + n * BLOCK, BLOCK);
                }
            }
            for (int s = segments - 1; s >= 0; s--) {
                int t0 = s * SEGMENT, tn = Math.min(SEGMENT, k.L - t0);
                k.loadSegment(u, delta, deltaBias, t0, tn, w);
                k.loadAdjointInputs(dy, t0, tn, w);
                System.arraycopy(checkpoints, s * stateSize, w.h, 0, stateSize);
                recomputeStates(t0, tn, B, k, w);
                Arrays.fill(w.sumGB, 0f);
                Arrays.fill(w.sumAGAh, 0f);
                int c = 0;
                for (; c < k.vectorEnd; c += F.length()) adjointSegmentVector(c, t0, tn, B, C, k, w);
                for (; c < k.count; c++) adjointSegmentScalar(c, t0, tn, B, C, k, w);
                finishSegment(t0, tn, D, k, w, du, dDelta);
                reduceOverChannels(w.dBTerms, t0, tn, k, dBParts, blocks == 1 ? 0 : k.block * proj);
                reduceOverChannels(w.dCTerms, t0, tn, k, dCParts, blocks == 1 ? 0 : k.block * proj);
            }
            // this task's sums over its batch element and all time steps
            for (int c = 0; c < k.count; c++) {
                int d = k.firstChannel + c;
                for (int n = 0; n < k.N; n++) dAParts[(k.b * KD + d) * k.N + n] = w.dA[n * BLOCK + c];
                if (wantD) dDParts[k.b * KD + d] = w.dD[c];
                if (wantBias) dBiasParts[k.b * KD + d] = w.dBias[c];
            }
        });

        if (blocks > 1) {
            combineInOrder(dBParts, blocks, dB);
            combineInOrder(dCParts, blocks, dC);
        }
        if (batch > 1) {
            combineInOrder(dAParts, batch, dA);
            if (wantD) combineInOrder(dDParts, batch, dD);
            if (wantBias) combineInOrder(dBiasParts, batch, dDeltaBias);
        }
    }

    /**
     * From h_{t0−1} in w.h, recomputes this segment's Ā_t (w.aBar) and h_t (w.hs, slot tl+1; slot 0 is
     * h_{t0−1}) for all channels of the block: the forward recurrence, without the read-out.
     */
    private static void recomputeStates(int t0, int tn, float[] B, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            System.arraycopy(w.h, n * BLOCK, w.hs, n * (SEGMENT + 1) * BLOCK, BLOCK);
        }
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) statesSegmentVector(c, t0, tn, B, k, w);
        for (; c < k.count; c++) statesSegmentScalar(c, t0, tn, B, k, w);
    }

    private static void statesSegmentVector(int c, int t0, int tn, float[] B, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int row = k.projectionRow(n) + t0, hs = n * (SEGMENT + 1) * BLOCK + c, as = n * SEGMENT * BLOCK + c;
            FloatVector a = FloatVector.fromArray(F, w.A, n * BLOCK + c);
            FloatVector h = FloatVector.fromArray(F, w.hs, hs);
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = exp(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl]));
                aBar.intoArray(w.aBar, as + tl * BLOCK);
                h.intoArray(w.hs, hs + (tl + 1) * BLOCK);
            }
        }
    }

    private static void statesSegmentScalar(int c, int t0, int tn, float[] B, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int row = k.projectionRow(n) + t0, hs = n * (SEGMENT + 1) * BLOCK + c, as = n * SEGMENT * BLOCK + c;
            float a = w.A[n * BLOCK + c];
            float h = w.hs[hs];
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                float aBar = FMath.exp(w.delta[i] * a);
                h = Math.fma(aBar, h, w.deltaU[i] * B[row + tl]);
                w.aBar[as + tl * BLOCK] = aBar;
                w.hs[hs + (tl + 1) * BLOCK] = h;
            }
        }
    }

    /**
     * Lanes c..c+W−1, one segment, time reversed, state by state. Carry = Ā_{t+1}·G_{t+1} (zero after
     * the last step). Per (n, t):
     * <pre>
     *   G     = dy_t·C_t + carry                 dC term = dy_t·h_t     dB term = G·(δ_t·u_t)
     *   ΣG·B += G·B_t                            carry   = G·Ā_t
     *   GĀh   = carry·h_{t−1}                    dA     += GĀh·δ_t       ΣA·GĀh += GĀh·A
     * </pre>
     */
    private static void adjointSegmentVector(int c, int t0, int tn, float[] B, float[] C, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
            int hs = n * (SEGMENT + 1) * BLOCK + c, as = n * SEGMENT * BLOCK + c;
            FloatVector a = FloatVector.fromArray(F, w.A, s);
            FloatVector carry = FloatVector.fromArray(F, w.carry, s);
            FloatVector dA = FloatVector.fromArray(F, w.dA, s);
            for (int tl = tn - 1; tl >= 0; tl--) {
                int i = tl * BLOCK + c, term = as + tl * BLOCK;
                FloatVector dyt = FloatVector.fromArray(F, w.dy, i);
                FloatVector g = dyt.fma(FloatVector.broadcast(F, C[row + tl]), carry);
                dyt.mul(FloatVector.fromArray(F, w.hs, hs + (tl + 1) * BLOCK)).intoArray(w.dCTerms, term);
                g.mul(FloatVector.fromArray(F, w.deltaU, i)).intoArray(w.dBTerms, term);
                g.fma(FloatVector.broadcast(F, B[row + tl]), FloatVector.fromArray(F, w.sumGB, i)).intoArray(w.sumGB, i);
                carry = g.mul(FloatVector.fromArray(F, w.aBar, term));
                FloatVector gah = carry.mul(FloatVector.fromArray(F, w.hs, hs + tl * BLOCK));
                dA = gah.fma(FloatVector.fromArray(F, w.delta, i), dA);
                gah.fma(a, FloatVector.fromArray(F, w.sumAGAh, i)).intoArray(w.sumAGAh, i);
            }
            carry.intoArray(w.carry, s);
            dA.intoArray(w.dA, s);
        }
    }

    /** The scalar twin of {@link #adjointSegmentVector} for one channel c. */
    private static void adjointSegmentScalar(int c, int t0, int tn, float[] B, float[] C, Block k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
            int hs = n * (SEGMENT + 1) * BLOCK + c, as = n * SEGMENT * BLOCK + c;
            float a = w.A[s];
            float carry = w.carry[s];
            float dA = w.dA[s];
            for (int tl = tn - 1; tl >= 0; tl--) {
                int i = tl * BLOCK + c, term = as + tl * BLOCK;
                float dyt = w.dy[i];
                float g = Math.fma(dyt, C[row + tl], carry);
                w.dCTerms[term] = dyt * w.hs[hs + (tl + 1) * BLOCK];
                w.dBTerms[term] = g * w.deltaU[i];
                w.sumGB[i] = Math.fma(g, B[row + tl], w.sumGB[i]);
                carry = g * w.aBar[term];
                float gah = carry * w.hs[hs + tl * BLOCK];
                dA = Math.fma(gah, w.delta[i], dA);
                w.sumAGAh[i] = Math.fma(gah, a, w.sumAGAh[i]);
            }
            w.carry[s] = carry;
            w.dA[s] = dA;
        }
    }

    /**
     * Per (channel, t), time reversed: du_t = dy_t·D + δ_t·ΣG·B; ∂ℓ/∂δ_t = ΣA·GĀh + u_t·ΣG·B;
     * dΔ_t = ∂ℓ/∂δ_t·softplus′(x_t); the running sums dD += dy_t·u_t and dΔbias += dΔ_t.
     */
    private static void finishSegment(int t0, int tn, float[] D, Block k, Work w, float[] du, float[] dDelta) {
        for (int c = 0; c < k.count; c++) {
            int d = k.firstChannel + c, row = k.sequenceRow(c) + t0;
            float dD = w.dD[c], dBias = w.dBias[c];
            for (int tl = tn - 1; tl >= 0; tl--) {
                int i = tl * BLOCK + c;
                float viaB = w.delta[i] * w.sumGB[i];
                du[row + tl] = D == null ? viaB : Math.fma(w.dy[i], D[d], viaB);
                float dDeltaT = Math.fma(w.u[i], w.sumGB[i], w.sumAGAh[i]);
                float dx = dDeltaT * w.softplusSlope[i];
                dDelta[row + tl] = dx;
                dBias += dx;
                dD = Math.fma(w.dy[i], w.u[i], dD);
            }
            w.dD[c] = dD;
            w.dBias[c] = dBias;
        }
    }

    /** Sums the per-channel terms (n, t, c) over the block's channels, in channel order, into out[base + (b, g, n, t)]. */
    private static void reduceOverChannels(float[] terms, int t0, int tn, Block k, float[] out, int base) {
        for (int n = 0; n < k.N; n++) {
            int row = base + k.projectionRow(n) + t0;
            for (int tl = 0; tl < tn; tl++) {
                int term = (n * SEGMENT + tl) * BLOCK;
                float sum = terms[term];
                for (int c = 1; c < k.count; c++) sum += terms[term + c];
                out[row + tl] = sum;
            }
        }
    }

    /** out[i] = ((parts[0][i] + parts[1][i]) + …) for {@code count} parts of out.length each. */
    private static void combineInOrder(float[] parts, int count, float[] out) {
        int size = out.length;
        System.arraycopy(parts, 0, out, 0, size);
        for (int p = 1; p < count; p++) {
            int off = p * size, i = 0;
            for (int end = Simd.loopBound(size); i < end; i += F.length()) {
                FloatVector.fromArray(F, out, i).add(FloatVector.fromArray(F, parts, off + i)).intoArray(out, i);
            }
            for (; i < size; i++) out[i] += parts[off + i];
        }
    }

    /** Lane-wise exp with the bits of {@link FMath#exp}. */
    private static FloatVector exp(FloatVector x) {
        if (VMATH_READY) return VMath.exp(x);
        // TEMPORARY (until VMath.exp lands from branch math): lane by lane, the bits of FMath.exp.
        float[] lanes = x.toArray();
        for (int i = 0; i < lanes.length; i++) lanes[i] = FMath.exp(lanes[i]);
        return FloatVector.fromArray(F, lanes, 0);
    }

    private static final boolean VMATH_READY = vmathReady();

    private static boolean vmathReady() {
        try {
            VMath.exp(FloatVector.zero(F));
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // One task's block of channels and its working memory

    /** Task {@code task} = (b, g, block j): channels g·Dg + j·BLOCK … of batch element b. */
    private static final class Block {
        final Dims dims;
        final int b, g, block, firstChannel, count, vectorEnd, L, N;

        Block(Dims dims, int task, boolean vector) {
            this.dims = dims;
            int blocks = dims.blocksPerGroup();
            this.block = task % blocks;
            this.g = task / blocks % dims.groups();
            this.b = task / blocks / dims.groups();
            this.firstChannel = g * dims.channelsPerGroup() + block * BLOCK;
            this.count = Math.min(BLOCK, dims.channelsPerGroup() - block * BLOCK);
            this.vectorEnd = vector && F.length() <= BLOCK ? F.loopBound(count) : 0;
            this.L = dims.length();
            this.N = dims.states();
        }

        /** Start of channel c's row in u, Δ, y: (b, d, 0). */
        int sequenceRow(int c) {
            return (b * dims.channels() + firstChannel + c) * L;
        }

        /** Start of state n's row in B, C: (b, g, n, 0). */
        int projectionRow(int n) {
            return ((b * dims.groups() + g) * N + n) * L;
        }

        /** A of the block's channels, transposed to (n, c). */
        void loadA(float[] A, float[] out) {
            for (int c = 0; c < count; c++) {
                for (int n = 0; n < N; n++) out[n * BLOCK + c] = A[(firstChannel + c) * N + n];
            }
        }

        /** δ_t = softplus(Δ_t + Δbias), δ_t·u_t, u_t and softplus′ for t0 ≤ t < t0+tn, transposed to (t, c). */
        void loadSegment(float[] u, float[] delta, float[] deltaBias, int t0, int tn, Work w) {
            for (int c = 0; c < count; c++) {
                int row = sequenceRow(c) + t0;
                float bias = deltaBias == null ? 0f : deltaBias[firstChannel + c];
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c;
                    float x = deltaBias == null ? delta[row + tl] : delta[row + tl] + bias;
                    float dt = FMath.softplus(x);
                    w.delta[i] = dt;
                    w.u[i] = u[row + tl];
                    w.deltaU[i] = dt * w.u[i];
                    if (w.softplusSlope != null) w.softplusSlope[i] = x <= 20f ? FMath.sigmoid(x) : 1f;
                }
            }
        }

        /** dy for t0 ≤ t < t0+tn, transposed to (t, c). */
        void loadAdjointInputs(float[] dy, int t0, int tn, Work w) {
            for (int c = 0; c < count; c++) {
                int row = sequenceRow(c) + t0;
                for (int tl = 0; tl < tn; tl++) w.dy[tl * BLOCK + c] = dy[row + tl];
            }
        }
    }

    /** Working arrays of one task; (t, c) and (n, c) layouts have BLOCK floats per row (unused lanes stay 0). */
    private static final class Work {
        final float[] A, h;                           // (n, c)
        final float[] delta, deltaU, u, y;            // (t, c)
        // backward only
        final float[] dy, softplusSlope, sumGB, sumAGAh;  // (t, c)
        final float[] hs;                             // (n, t+1, c): h_{t0−1} … h_{t0+tn−1}
        final float[] aBar, dBTerms, dCTerms;         // (n, t, c)
        final float[] carry, dA;                      // (n, c)
        final float[] dD, dBias;                      // (c)

        Work(Block k, boolean backward) {
            int seg = SEGMENT * BLOCK, state = k.N * BLOCK;
            A = new float[state];
            h = new float[state];
            delta = new float[seg];
            deltaU = new float[seg];
            u = new float[seg];
            y = backward ? null : new float[seg];
            dy = backward ? new float[seg] : null;
            softplusSlope = backward ? new float[seg] : null;
            sumGB = backward ? new float[seg] : null;
            sumAGAh = backward ? new float[seg] : null;
            hs = backward ? new float[k.N * (SEGMENT + 1) * BLOCK] : null;
            aBar = backward ? new float[k.N * seg] : null;
            dBTerms = backward ? new float[k.N * seg] : null;
            dCTerms = backward ? new float[k.N * seg] : null;
            carry = backward ? new float[state] : null;
            dA = backward ? new float[state] : null;
            dD = backward ? new float[BLOCK] : null;
            dBias = backward ? new float[BLOCK] : null;
        }
    }
}
