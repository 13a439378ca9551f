package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.ScanBlock.BLOCK;
import static jcipa.tensor.kernels.ScanBlock.SEGMENT;

import java.util.Arrays;
import jcipa.tensor.kernels.ScanBlock.Work;
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
 * One task is one (batch b, group g, block of 16 consecutive channels of g: {@link ScanBlock}); a task takes
 * several consecutive batch elements in turn when sequences are short (fewer than 1024 steps), so
 * that DCIM's thousands of 16-step windows do not each pay for a task. Inside a task
 * time is walked in segments of {@link ScanBlock#SEGMENT} steps; per segment, δ, δ·u (and dy, softplus′) are
 * transposed to (time, channel) so that a vector holds consecutive channels. Each vector lane runs
 * exactly the scalar recurrence of its channel (same float ops, same {@code fma}s, same
 * {@code FMath}/{@code VMath} exp), so the vector path, at any width, and the scalar path give the
 * same bits. Softplus, σ and every per-(channel, time) operation that does not involve the state
 * index n are done by shared scalar code.
 *
 * <h2>Backward</h2>
 * {@link SelectiveScanBackward} recomputes the forward states from per-segment checkpoints (the
 * forward stores nothing) and runs the adjoint scan back through time.
 *
 * <h2>Fixed-order sums</h2>
 * Sums across channels (dB, dC: over the channels of a group) are taken inside a block by one fixed
 * pairwise tree over its 16 channel slots ({@link BlockSums}), then across blocks in block order; sums across batch (dA, dD, dΔbias) in batch order; sums
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

    /**
     * The states h at the start of every segment of {@link ScanBlock#SEGMENT} steps but the first (where h = 0), as the
     * forward computed them, for a backward to start from instead of running the recurrence once more: per (batch
     * element, group, channel block), per segment, (n, c) with {@link ScanBlock#BLOCK} channel slots. Null when the
     * sequences are one segment long (nothing to keep).
     */
    public record States(Dims dims, float[] h) {
        /** Floats kept for these dims: 1/SEGMENT of the states of every step, rounded up to whole blocks. */
        static int size(Dims dims) {
            long size = (long) dims.batch() * dims.groups() * dims.blocksPerGroup() * (segments(dims) - 1) * dims.states() * BLOCK;
            if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("SelectiveScan: too many states to keep for " + dims);
            return (int) size;
        }

        static int segments(Dims dims) { return (dims.length() + SEGMENT - 1) / SEGMENT; }

        /** Where the state at the start of segment s ≥ 1 of task k's current sequence begins. */
        static int offset(ScanBlock k, int s) {
            int blocks = k.dims.blocksPerGroup();
            return ((((k.b * k.dims.groups() + k.g) * blocks + k.block) * (segments(k.dims) - 1)) + s - 1) * k.N * BLOCK;
        }
    }

    /** As {@link #forward(float[], float[], float[], float[], float[], float[], float[], Dims, float[])}, also keeping the segment-start states for {@link #backward(float[], float[], float[], float[], float[], float[], float[], Dims, float[], float[], float[], float[], float[], float[], float[], float[], States)}; null if none are needed. */
    public static States forwardKeepingStates(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                              float[] deltaBias, Dims dims, float[] outY) {
        return forward(Simd.ENABLED, u, delta, A, B, C, D, deltaBias, dims, outY, true);
    }

    /** The forward with the vector path on or off (package-visible so tests can compare the paths). */
    static void forward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                        float[] deltaBias, Dims dims, float[] outY) {
        forward(vector, u, delta, A, B, C, D, deltaBias, dims, outY, false);
    }

    /** The forward; with {@code keepStates}, returns the segment-start states (null when there is one segment). */
    static States forward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                          float[] deltaBias, Dims dims, float[] outY, boolean keepStates) {
        dims.checkInputs("forward", u, delta, A, B, C, D, deltaBias);
        dims.checkLength("forward", "y", outY, dims.sequenceSize());
        States states = keepStates && States.segments(dims) > 1 ? new States(dims, new float[States.size(dims)]) : null;
        Parallel.forTasks(ScanBlock.taskCount(dims), task -> {
            ScanBlock k = new ScanBlock(dims, task, vector);
            Work w = Work.take(k, false);
            k.loadA(A, w);
            for (int b = k.firstItem; b < k.endItem; b++) {
                k.moveTo(b);
                Arrays.fill(w.h, 0f);                                   // h_{−1} = 0 for every sequence
                forwardSequence(u, B, C, D, deltaBias, delta, k, w, outY, states);
            }
            w.give();
        });
        return states;
    }

    /** One sequence (batch element k.b) of the task's channel block, segment by segment, into outY (and states). */
    private static void forwardSequence(float[] u, float[] B, float[] C, float[] D, float[] deltaBias, float[] delta,
                                        ScanBlock k, Work w, float[] outY, States states) {
        for (int t0 = 0; t0 < k.L; t0 += SEGMENT) {
            if (states != null && t0 > 0) System.arraycopy(w.h, 0, states.h, States.offset(k, t0 / SEGMENT), k.N * BLOCK);
            int tn = Math.min(SEGMENT, k.L - t0);
            k.loadSegment(u, delta, deltaBias, t0, tn, w);
            Arrays.fill(w.y, 0, tn * BLOCK, 0f);
            for (int tl = 0; tl < tn; tl++) w.rows[tl] = k.projectionRow(0) + t0 + tl;
            recurSegment(tn, w.rows, k.L, B, C, 0, k, w);
            // y_t = Σ_n C_t[n]·h_t[n] + D·u_t
            k.toChannelMajor(w.y, tn, outY, k.sequenceRow(0) + t0, k.L);
            if (D != null) {
                for (int c = 0; c < k.count; c++) addSkip(D[k.firstChannel + c], u, outY, k.sequenceRow(c) + t0, tn, k.vector);
            }
        }
    }

    /** y[row + t] = fma(d, u[row + t], y[row + t]) for t &lt; tn: the skip term D·u, along time. */
    private static void addSkip(float d, float[] u, float[] y, int row, int tn, boolean vector) {
        int t = 0;
        if (vector) {
            FloatVector dv = FloatVector.broadcast(F, d);
            for (int end = F.loopBound(tn); t < end; t += F.length())
                dv.fma(FloatVector.fromArray(F, u, row + t), FloatVector.fromArray(F, y, row + t)).intoArray(y, row + t);
        }
        for (; t < tn; t++) y[row + t] = Math.fma(d, u[row + t], y[row + t]);
    }

    /**
     * The recurrence over one loaded segment of tn steps, every channel of the block, into w.y and w.h:
     * B_t[n] and C_t[n] of step t are {@code B[rows[t] + n·nStride]} and {@code C[rows[t] + cShift + n·nStride]}
     * (rows of the (batch, K, N, L) projections, or of x_proj's per-pixel output for the fused 2-D scan).
     */
    static void recurSegment(int tn, int[] rows, int nStride, float[] B, float[] C, int cShift, ScanBlock k, Work w) {
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) forwardSegmentVector(c, tn, rows, nStride, B, C, cShift, k, w);
        for (; c < k.count; c++) forwardSegmentScalar(c, tn, rows, nStride, B, C, cShift, k, w);
    }

    /**
     * Lanes c..c+W−1 over one segment: h_t = Ā_t·h_{t−1} + B_t·(δ_t·u_t); y_t += C_t·h_t, state by state
     * (two at a time in the moderate range).
     */
    private static void forwardSegmentVector(int c, int tn, int[] rows, int nStride, float[] B, float[] C, int cShift,
                                             ScanBlock k, Work w) {
        int n = 0;
        if (w.moderate) for (; n + 2 <= k.N; n += 2) twoStatesModerate(c, tn, n, rows, nStride, B, C, cShift, w);
        for (; n < k.N; n++) {
            int s = n * BLOCK + c, bn = n * nStride, cn = cShift + n * nStride;
            FloatVector a = FloatVector.fromArray(F, w.A, s);
            FloatVector h = FloatVector.fromArray(F, w.h, s);
            if (w.moderate) {
                // every δ·a in exp's moderate range: expModerate gives exp's bits there
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, row = rows[tl];
                    FloatVector aBar = VMath.expModerate(FloatVector.fromArray(F, w.delta, i).mul(a));
                    h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + bn]));
                    h.fma(FloatVector.broadcast(F, C[row + cn]), FloatVector.fromArray(F, w.y, i)).intoArray(w.y, i);
                }
            } else {
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, row = rows[tl];
                    FloatVector aBar = VMath.exp(FloatVector.fromArray(F, w.delta, i).mul(a));
                    h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + bn]));
                    h.fma(FloatVector.broadcast(F, C[row + cn]), FloatVector.fromArray(F, w.y, i)).intoArray(w.y, i);
                }
            }
            h.intoArray(w.h, s);
        }
    }

    /**
     * States n and n+1 of lanes c..c+W−1 over one segment in the moderate range, step by step: each
     * state's recurrence as in {@link #forwardSegmentVector}, and y_t += C_t[n]·h_t[n] for the two in
     * ascending n, so y_t takes the same fmas in the same order; δ_t, δ_t·u_t and y_t are loaded once per
     * step for both. (Two states, not four: four inlined exps outgrow C2's inlining budget and the
     * vectors get boxed, twice as slow; two run the forward scan about a fifth faster than one.)
     */
    private static void twoStatesModerate(int c, int tn, int n, int[] rows, int nStride, float[] B, float[] C, int cShift, Work w) {
        int s = n * BLOCK + c, b0 = n * nStride, c0 = cShift + n * nStride;
        FloatVector a0 = FloatVector.fromArray(F, w.A, s), a1 = FloatVector.fromArray(F, w.A, s + BLOCK);
        FloatVector h0 = FloatVector.fromArray(F, w.h, s), h1 = FloatVector.fromArray(F, w.h, s + BLOCK);
        for (int tl = 0; tl < tn; tl++) {
            int i = tl * BLOCK + c, row = rows[tl];
            FloatVector d = FloatVector.fromArray(F, w.delta, i), du = FloatVector.fromArray(F, w.deltaU, i);
            FloatVector y = FloatVector.fromArray(F, w.y, i);
            h0 = VMath.expModerate(d.mul(a0)).fma(h0, du.mul(B[row + b0]));
            y = h0.fma(FloatVector.broadcast(F, C[row + c0]), y);
            h1 = VMath.expModerate(d.mul(a1)).fma(h1, du.mul(B[row + b0 + nStride]));
            y = h1.fma(FloatVector.broadcast(F, C[row + c0 + nStride]), y);
            y.intoArray(w.y, i);
        }
        h0.intoArray(w.h, s);
        h1.intoArray(w.h, s + BLOCK);
    }

    /** The scalar twin of {@link #forwardSegmentVector} for one channel c. */
    private static void forwardSegmentScalar(int c, int tn, int[] rows, int nStride, float[] B, float[] C, int cShift,
                                             ScanBlock k, Work w) {
        for (int n = 0; n < k.N; n++) {
            int s = n * BLOCK + c, bn = n * nStride, cn = cShift + n * nStride;
            float a = w.A[s];
            float h = w.h[s];
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c, row = rows[tl];
                float aBar = FMath.exp(w.delta[i] * a);
                h = Math.fma(aBar, h, w.deltaU[i] * B[row + bn]);
                w.y[i] = Math.fma(h, C[row + cn], w.y[i]);
            }
            w.h[s] = h;
        }
    }

    /**
     * The backward starting from the states its forward kept ({@link #forwardKeepingStates} on these same inputs;
     * null: it recomputes them, as the plain backward does). Same bits either way.
     */
    public static void backward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                                float[] dB, float[] dC, float[] dD, float[] dDeltaBias, States states) {
        backward(Simd.ENABLED, u, delta, A, B, C, D, deltaBias, dims, dy, du, dDelta, dA, dB, dC, dD, dDeltaBias, states);
    }

    /** The backward with the vector path on or off (package-visible so tests can compare the paths). */
    static void backward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                         float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                         float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        backward(vector, u, delta, A, B, C, D, deltaBias, dims, dy, du, dDelta, dA, dB, dC, dD, dDeltaBias, null);
    }

    static void backward(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                         float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                         float[] dB, float[] dC, float[] dD, float[] dDeltaBias, States states) {
        if (states != null && (!states.dims().equals(dims) || states.h().length != States.size(dims)))
            throw new IllegalArgumentException("SelectiveScan.backward: states kept for " + states.dims() + ", not " + dims);
        SelectiveScanBackward.run(vector, u, delta, A, B, C, D, deltaBias, dims, dy, du, dDelta, dA, dB, dC, dD,
                dDeltaBias, states);
    }
}
