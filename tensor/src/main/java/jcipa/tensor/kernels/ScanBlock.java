package jcipa.tensor.kernels;

import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;

import jcipa.tensor.kernels.SelectiveScan.Dims;
import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jdk.incubator.vector.FloatVector;

/**
 * One task of the selective scan: batch element b, group g and block j of up to {@link #BLOCK}
 * consecutive channels of g (channels g·Dg + j·BLOCK …). Knows where the block's rows are and loads a
 * time segment transposed to (t, c), so that a float vector holds consecutive channels.
 */
final class ScanBlock {
    /** Channels per task: fixed (results must not depend on the vector width), a multiple of every width up to 16 lanes. */
    static final int BLOCK = 16;
    /**
     * Time steps per segment of the transposed working set. 256 rather than 64: the backward's fixed costs per
     * segment (loading and transposing a block's rows, runs of 256 B per row at 64 steps) then count a quarter as
     * much, 15–25 % of its time, and the kept states take a quarter of the memory; the forward is as fast.
     */
    static final int SEGMENT = 256;

    /** Sequence steps a task should hold at least, so that short sequences (DCIM's 4×4 windows: L = 16) share tasks. */
    static final int MIN_TASK_STEPS = 1024;

    final Dims dims;
    final int g, block, firstChannel, count, L, N;
    /** The task's batch elements [firstItem, endItem): one for long sequences, several for short ones. */
    final int firstItem, endItem;
    /** The batch element being scanned ({@link #moveTo}). */
    int b;
    /** The vector path covers channels [0, vectorEnd); the scalar path the rest, up to count. */
    final int vectorEnd;
    /** Whether this task takes the vector path. */
    final boolean vector;

    /** Batch elements per task: 1 for long sequences, more for short ones; a function of the dims only. */
    static int itemsPerTask(Dims dims) {
        return Math.max(1, Math.min(dims.batch(), MIN_TASK_STEPS / dims.length()));
    }

    /** Number of tasks: (part of the batch, group, channel block of the group). */
    static int taskCount(Dims dims) {
        int items = itemsPerTask(dims);
        return (dims.batch() + items - 1) / items * dims.groups() * dims.blocksPerGroup();
    }

    /** Task {@code task} of {@link #taskCount}, positioned at its first batch element. */
    ScanBlock(Dims dims, int task, boolean vector) {
        int blocks = dims.blocksPerGroup(), channelBlocks = dims.groups() * blocks, items = itemsPerTask(dims);
        this.dims = dims;
        this.block = task % blocks;
        this.g = task % channelBlocks / blocks;
        this.firstItem = task / channelBlocks * items;
        this.endItem = Math.min(dims.batch(), firstItem + items);
        this.b = firstItem;
        this.firstChannel = g * dims.channelsPerGroup() + block * BLOCK;
        this.count = Math.min(BLOCK, dims.channelsPerGroup() - block * BLOCK);
        this.vector = vector;
        this.vectorEnd = vector && Simd.F.length() <= BLOCK ? Simd.F.loopBound(count) : 0;
        this.L = dims.length();
        this.N = dims.states();
    }

    /** Goes on to batch element b (same group and channels): the rows move, A stays loaded. */
    void moveTo(int b) {
        this.b = b;
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
    void loadA(float[] A, Work w) {
        float absMax = 0f;
        for (int c = 0; c < count; c++) {
            for (int n = 0; n < N; n++) {
                float a = A[(firstChannel + c) * N + n];
                w.A[n * BLOCK + c] = a;
                absMax = Math.max(absMax, Math.abs(a));
            }
        }
        w.aAbsMax = absMax;
    }

    /** For t0 ≤ t < t0+tn, as (t, c): δ_t = softplus(x_t) with x_t = Δ_t + Δbias, u_t (backward), δ_t·u_t, and softplus′(x_t) if wanted. */
    void loadSegment(float[] u, float[] delta, float[] deltaBias, int t0, int tn, Work w) {
        float deltaAbsMax = softplusRows(delta, u, deltaBias, t0, tn, w);
        if (w.stageSlope != null) softplusSlopeRows(delta, deltaBias, t0, tn, w);
        toTimeMajor(w.stageDelta, 0, SEGMENT, tn, w.delta);
        toTimeMajor(w.stageDeltaU, 0, SEGMENT, tn, w.deltaU);
        if (w.u != null) toTimeMajor(u, sequenceRow(0) + t0, L, tn, w.u);
        if (w.softplusSlope != null) toTimeMajor(w.stageSlope, 0, SEGMENT, tn, w.softplusSlope);
        // |fl(δ·a)| = fl(|δ|·|a|) ≤ fl(max|δ|·max|a|) (rounding is monotone); NaN or ∞ fails the test
        w.moderate = deltaAbsMax * w.aAbsMax <= VMath.MODERATE_ARG;
    }

    /**
     * Every channel's δ_t = softplus(x_t), x_t = Δ_t + Δbias, and δ_t·u_t for tn steps into w.stageDelta, w.stageDeltaU
     * (channel c's row from c·SEGMENT); returns max |δ| over the block (NaN if any δ is NaN). Vectorised along time:
     * VMath gives FMath's bits, and max is exact in any order. The whole block in one call: a row is only tn ≤ 64
     * steps, and a call per row cost more than its arithmetic. Softplus and σ ({@link #softplusSlopeRows}) run in
     * methods of their own: in one method the JIT would stop inlining before the second (see docs/DESIGN.md) and box
     * every vector.
     */
    private float softplusRows(float[] delta, float[] u, float[] deltaBias, int t0, int tn, Work w) {
        float absMax = 0f;
        int end = vector ? Simd.F.loopBound(tn) : 0;
        FloatVector max = FloatVector.zero(Simd.F);
        for (int c = 0; c < count; c++) {
            int row = sequenceRow(c) + t0, at = c * SEGMENT;
            float bias = deltaBias == null ? 0f : deltaBias[firstChannel + c];
            int tl = 0;
            for (; tl < end; tl += Simd.F.length()) {
                FloatVector x = stepInput(delta, row + tl, deltaBias != null, bias);
                FloatVector d = softplus(x);
                d.intoArray(w.stageDelta, at + tl);
                d.mul(FloatVector.fromArray(Simd.F, u, row + tl)).intoArray(w.stageDeltaU, at + tl);
                max = max.max(d.abs());
            }
            for (; tl < tn; tl++) {
                float x = stepInput(delta[row + tl], deltaBias != null, bias);
                float d = FMath.softplus(x);
                w.stageDelta[at + tl] = d;
                w.stageDeltaU[at + tl] = d * u[row + tl];
                absMax = Math.max(absMax, Math.abs(d));
            }
        }
        return end > 0 ? Math.max(absMax, max.reduceLanes(MAX)) : absMax;
    }

    /** x_t = Δ_t (+ Δbias) for W steps from delta[i]. */
    private static FloatVector stepInput(float[] delta, int i, boolean hasBias, float bias) {
        FloatVector x = FloatVector.fromArray(Simd.F, delta, i);
        return hasBias ? x.add(bias) : x;
    }

    /** x_t = Δ_t (+ Δbias). */
    private static float stepInput(float delta, boolean hasBias, float bias) {
        return hasBias ? delta + bias : delta;
    }

    /**
     * δ = softplus(x) with FMath's bits: the cheaper moderate form unless a lane lies below −80 (δ of a
     * scan's step size rarely does; e^x there is subnormal or 0 and needs exp's full form).
     */
    static FloatVector softplus(FloatVector x) {
        return x.compare(LT, -VMath.MODERATE_ARG).anyTrue() ? VMath.softplus(x) : VMath.softplusModerate(x);
    }

    /** softplus′(x_t) = x_t ≤ 20 ? σ(x_t) : 1 of every channel into w.stageSlope (the backward). */
    private void softplusSlopeRows(float[] delta, float[] deltaBias, int t0, int tn, Work w) {
        int end = vector ? Simd.F.loopBound(tn) : 0;
        for (int c = 0; c < count; c++) {
            int row = sequenceRow(c) + t0, at = c * SEGMENT;
            float bias = deltaBias == null ? 0f : deltaBias[firstChannel + c];
            int tl = 0;
            for (; tl < end; tl += Simd.F.length()) {
                FloatVector x = stepInput(delta, row + tl, deltaBias != null, bias);
                VMath.sigmoid(x).blend(1f, x.compare(LE, 20f).not()).intoArray(w.stageSlope, at + tl);
            }
            for (; tl < tn; tl++) {
                float x = stepInput(delta[row + tl], deltaBias != null, bias);
                w.stageSlope[at + tl] = x <= 20f ? FMath.sigmoid(x) : 1f;
            }
        }
    }

    /** dy for t0 ≤ t < t0+tn, as (t, c). */
    void loadUpstream(float[] dy, int t0, int tn, Work w) {
        toTimeMajor(dy, sequenceRow(0) + t0, L, tn, w.dy);
    }

    /**
     * target[t·BLOCK + c] = source[first + c·stride + t] for c &lt; count, t &lt; tn: the block's channel rows to the
     * (t, c) working layout, W×W tiles in registers where they fit, the rest element by element.
     */
    void toTimeMajor(float[] source, int first, int stride, int tn, float[] target) {
        int cEnd = tileEnd(count), tEnd = tileEnd(tn), wd = TileTranspose.W;
        for (int c = 0; c < cEnd; c += wd)
            for (int t = 0; t < tEnd; t += wd) TileTranspose.transpose(source, first + c * stride + t, stride, target, t * BLOCK + c, BLOCK);
        for (int c = 0; c < count; c++) {
            int from = c < cEnd ? tEnd : 0;
            for (int t = from; t < tn; t++) target[t * BLOCK + c] = source[first + c * stride + t];
        }
    }

    /** The inverse of {@link #toTimeMajor}: target[first + c·stride + t] = source[t·BLOCK + c] for c &lt; count, t &lt; tn. */
    void toChannelMajor(float[] source, int tn, float[] target, int first, int stride) {
        int cEnd = tileEnd(count), tEnd = tileEnd(tn), wd = TileTranspose.W;
        for (int t = 0; t < tEnd; t += wd)
            for (int c = 0; c < cEnd; c += wd) TileTranspose.transpose(source, t * BLOCK + c, BLOCK, target, first + c * stride + t, stride);
        for (int c = 0; c < count; c++) {
            int from = c < cEnd ? tEnd : 0;
            for (int t = from; t < tn; t++) target[first + c * stride + t] = source[t * BLOCK + c];
        }
    }

    /** How much of [0, n) whole register tiles cover (0 on the scalar path or without a register transpose). */
    private int tileEnd(int n) {
        return vector && TileTranspose.AVAILABLE ? n / TileTranspose.W * TileTranspose.W : 0;
    }

    /** Working arrays of one task; every (…, c) row has BLOCK floats (lanes past count stay 0). */
    static final class Work {
        final float[] A, h;                                // (n, c): A, running state
        final float[] delta, deltaU, u, y;                 // (t, c); u backward only (the forward reads u's rows)
        final float[] crossU;                              // (t, c): the fused 2-D scan's u of a segment (forward only)
        final int[] rows = new int[SEGMENT];               // forward: where step t's B_t, C_t start
        final float[] stageDelta, stageDeltaU, stageSlope; // (c, t): rows of SEGMENT, before the transpose
        // backward only
        final float[] dy, softplusSlope, sumGB, sumAGAh;   // (t, c)
        final float[] du, dDelta;                           // (t, c): a segment's du, dΔ before the transpose out
        final float[] hs;                                  // (j, t+1, c): h_{t0−1} … h_{t0+tn−1} of a pass's states
        final float[] aBar, dBTerms, dCTerms;              // (j, t, c): of a pass's states (SelectiveScanBackward.PASS)
        final float[] carry, dA;                           // (n, c): Ā_{t+1}·G_{t+1}, running dA
        final float[] dD, dBias;                           // (c): running dD, dΔbias
        final float[] blockSums;                           // BlockSums.rows' working array
        /** max |A| over the block (NaN if any is NaN), set by loadA. */
        float aAbsMax;
        /** Whether every δ·A of the loaded segment lies in VMath.expModerate's range (set by loadSegment). */
        boolean moderate;
        /** What a Work fits: tasks with these states, channel count and direction (the key it is kept under). */
        private final int key;

        /**
         * Works given back, kept for later tasks with the same key. A task writes only the lanes below its
         * channel count, so in a Work that only such tasks use, the lanes past it stay 0 as in a new one; every
         * other element a task reads it writes first (the running values are reset per sequence).
         */
        private static final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.ConcurrentLinkedQueue<Work>> KEPT =
                new java.util.concurrent.ConcurrentHashMap<>();
        /** Works kept per key at most (a backward Work is about 320 KB). */
        private static final int KEEP = 64;

        private static int key(ScanBlock k, boolean backward) { return (k.N * (BLOCK + 1) + k.count) * 2 + (backward ? 1 : 0); }

        /** A Work for task k: one given back by an earlier task of the same states and channel count, or new. */
        static Work take(ScanBlock k, boolean backward) {
            var kept = KEPT.get(key(k, backward));
            Work w = kept == null ? null : kept.poll();
            return w != null ? w : new Work(k, backward);
        }

        /** Gives this Work back for a later task; the caller must not use it afterwards. */
        void give() {
            var kept = KEPT.computeIfAbsent(key, x -> new java.util.concurrent.ConcurrentLinkedQueue<>());
            if (kept.size() < KEEP) kept.offer(this);
        }

        private Work(ScanBlock k, boolean backward) {
            key = key(k, backward);
            int seg = SEGMENT * BLOCK, state = k.N * BLOCK;
            A = new float[state];
            h = new float[state];
            carry = backward ? new float[state] : null;
            dA = backward ? new float[state] : null;
            dD = backward ? new float[BLOCK] : null;
            dBias = backward ? new float[BLOCK] : null;
            blockSums = backward ? new float[BlockSums.SCRATCH] : null;
            // the arrays walked in step, one after another (see spaced)
            delta = spaced(seg);
            deltaU = spaced(seg);
            u = backward ? spaced(seg) : null;
            crossU = backward ? null : spaced(seg);
            stageDelta = spaced(seg);
            stageDeltaU = spaced(seg);
            stageSlope = backward ? spaced(seg) : null;
            y = backward ? null : spaced(seg);
            dy = backward ? spaced(seg) : null;
            softplusSlope = backward ? spaced(seg) : null;
            sumGB = backward ? spaced(seg) : null;
            sumAGAh = backward ? spaced(seg) : null;
            du = backward ? spaced(seg) : null;
            dDelta = backward ? spaced(seg) : null;
            int pass = SelectiveScanBackward.PASS;
            hs = backward ? spaced(pass * (SEGMENT + 1) * BLOCK) : null;
            aBar = backward ? spaced(pass * seg) : null;
            dBTerms = backward ? spaced(pass * seg) : null;
            dCTerms = backward ? spaced(pass * seg) : null;
        }

        /** Bytes past a multiple of 4 KiB that each {@link #spaced} array takes: 4 cache lines. */
        private static final int SPACING = 256;

        /**
         * A float[] of at least n elements for an array the scan walks in step with the others ((t, c) rows of 16 KiB): its
         * footprint (a 16-byte header and the data) is {@link #SPACING} bytes past a multiple of 4 KiB (240 bytes more than
         * it needs), so that arrays allocated one after another, as a Work's are, start 4 cache lines apart modulo 4 KiB
         * (and so they stay when G1 moves a kept Work: it copied them one after another in a check of three full
         * collections). Left to their 16 KiB sizes, the dozen arrays the backward's adjoint walks (δ, δ·u, dy, the sums, h,
         * Ā and the dB, dC terms of two states) all began within a few lines of each other modulo 4 KiB, the L1 set stride,
         * and what fell where changed from one Work to the next: one block's backward segment (N = 16, 256 steps), timed in
         * one process over freshly allocated Works, took 44–86 cycles per state and step depending on the Work, 39–48
         * spaced. Only where the arrays lie changes; every index and so every bit stays the same.
         */
        private static float[] spaced(int n) {
            int footprint = 16 + 4 * n;
            return new float[n + Math.floorMod(SPACING - footprint, 4096) / 4];
        }
    }
}
