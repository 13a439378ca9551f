package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.ScanBlock.BLOCK;
import static jcipa.tensor.kernels.ScanBlock.SEGMENT;

import java.util.Arrays;
import jcipa.tensor.kernels.ScanBlock.Work;
import jcipa.tensor.kernels.SelectiveScan.Dims;
import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of {@link SelectiveScan}: the adjoint scan G_t = dy_t·C_t + Ā_{t+1}·G_{t+1}, run back
 * through time, and the gradients it feeds (equations in {@link jcipa.tensor.ref.SelectiveScanRef}).
 *
 * <p>The states h at each segment start (checkpoints, ⌈L/SEGMENT⌉·N·BLOCK floats per task) come from the
 * forward ({@link SelectiveScan#forwardKeepingStates}) or, without them, from a first pass of the recurrence;
 * then, segment by segment from the end, the segment's Ā_t and h_t are recomputed from its checkpoint and the
 * adjoint scan runs back through them. Cost: one forward scan (two without kept states) plus the adjoint scan.
 *
 * <p>Fixed-order sums: dB and dC over a block's 16 channel slots by {@link BlockSums}' pairwise tree (one value
 * per (n, t), from per-channel terms), then over a group's blocks in block order; dA, dD and dΔbias over time in
 * reverse time order within a task, then over the batch in batch order.
 */
final class SelectiveScanBackward {
    private SelectiveScanBackward() {}

    private static final VectorSpecies<Float> F = Simd.F;

    /** The backward with the vector path on or off. */
    static void run(boolean vector, float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                    float[] deltaBias, Dims dims, float[] dy, float[] du, float[] dDelta, float[] dA,
                    float[] dB, float[] dC, float[] dD, float[] dDeltaBias, SelectiveScan.States states) {
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

        Parallel.forTasks(ScanBlock.taskCount(dims), task -> {
            ScanBlock k = new ScanBlock(dims, task, vector);
            Work w = Work.take(k, true);
            k.loadA(A, w);
            for (int b = k.firstItem; b < k.endItem; b++) {
                k.moveTo(b);
                backwardSequence(u, delta, deltaBias, B, C, D, dy, du, dDelta, k, w, states,
                        dBParts, dCParts, blocks == 1 ? 0 : k.block * proj);
                keepSequenceSums(k, w, KD, dAParts, wantD ? dDParts : null, wantBias ? dBiasParts : null);
            }
            w.give();
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
     * States taken together through recomputation, adjoint and the dB, dC sums: a Work's (state, step, channel) arrays
     * then hold two states, not N (about 130 KB instead of 1 MB at N = 16); as fast as all states per phase.
     */
    static final int PASS = 2;

    /**
     * One sequence (batch element k.b) of the task's channel block, time reversed, segment by segment
     * ({@link #segment}).
     */
    private static void backwardSequence(float[] u, float[] delta, float[] deltaBias, float[] B, float[] C, float[] D,
                                         float[] dy, float[] du, float[] dDelta, ScanBlock k, Work w,
                                         SelectiveScan.States states, float[] dBParts, float[] dCParts, int partBase) {
        startSequence(w);
        float[] checkpoints = states == null ? checkpoints(u, delta, deltaBias, B, k, w) : null;
        int stateSize = k.N * BLOCK;
        for (int s = (k.L + SEGMENT - 1) / SEGMENT - 1; s >= 0; s--) {
            int t0 = s * SEGMENT, tn = Math.min(SEGMENT, k.L - t0);
            k.loadSegment(u, delta, deltaBias, t0, tn, w);
            k.loadUpstream(dy, t0, tn, w);
            if (checkpoints != null) System.arraycopy(checkpoints, s * stateSize, w.h, 0, stateSize);
            else startState(states, s, k, w);
            int row = k.projectionRow(0) + t0;
            segment(t0, tn, B, C, new Rows(row, row, k.L, 1), D, k, w, dBParts, dCParts, partBase);
            k.toChannelMajor(w.du, tn, du, k.sequenceRow(0) + t0, k.L);
            k.toChannelMajor(w.dDelta, tn, dDelta, k.sequenceRow(0) + t0, k.L);
        }
    }

    /** Resets the running values of a sequence (batch element k.b): carry, dA, dD, dΔbias. */
    static void startSequence(Work w) {
        Arrays.fill(w.carry, 0f);
        Arrays.fill(w.dA, 0f);
        Arrays.fill(w.dD, 0f);
        Arrays.fill(w.dBias, 0f);
    }

    /** w.h = h_{t0−1} of segment s from the states the forward kept (zero for the first segment). */
    static void startState(SelectiveScan.States states, int s, ScanBlock k, Work w) {
        if (s == 0) Arrays.fill(w.h, 0f);
        else System.arraycopy(states.h(), SelectiveScan.States.offset(k, s), w.h, 0, k.N * BLOCK);
    }

    /**
     * Where a segment's B_t[n] and C_t[n] lie: B[b + n·nStride + tl·tStride], C[c + n·nStride + tl·tStride] for step
     * t0 + tl. The op's (batch, K, N, L) rows: nStride L, tStride 1; the fused 2-D scan's x_proj rows (one per pixel,
     * [Δraw; B; C]): nStride 1, tStride ±2P.
     */
    record Rows(int b, int c, int nStride, int tStride) {}

    /**
     * The backward of one loaded segment (w: δ, δ·u, u, dy, softplus′ as (t, c), w.h = h_{t0−1}), {@link #PASS} states
     * at a time: their Ā_t and h_t recomputed, their adjoint scan run back through them, and their dB, dC terms summed
     * over channels into dBParts, dCParts (at partBase + the op's (b, g, n, t)); then du and dΔ of the segment as
     * (t, c) in w.du, w.dDelta, and the running dD, dΔbias. ΣG·B and ΣA·GĀh
     * take the states in ascending order.
     */
    static void segment(int t0, int tn, float[] B, float[] C, Rows rows, float[] D, ScanBlock k, Work w,
                        float[] dBParts, float[] dCParts, int partBase) {
        Arrays.fill(w.sumGB, 0, tn * BLOCK, 0f);          // only the segment's steps: a 16-step window's sums are 1/16 of the arrays
        Arrays.fill(w.sumAGAh, 0, tn * BLOCK, 0f);
        for (int n = 0; n < k.N; n += PASS) {
            int count = Math.min(PASS, k.N - n);
            recomputeStates(n, count, tn, B, rows, k, w);
            // at 16 lanes the adjoint of two states hands its dB, dC terms over folded (BlockSums.FOLDS) for even segments
            boolean folded = BlockSums.FOLDS && count == 2 && k.vectorEnd == BLOCK && tn % 2 == 0;
            if (folded) adjointTwoStatesFolded(tn, n, B, C, rows, w);
            else adjoint(n, count, tn, B, C, rows, k, w);
            reduceOverChannels(w.dBTerms, n, count, t0, tn, k, w, dBParts, partBase, folded);
            reduceOverChannels(w.dCTerms, n, count, t0, tn, k, w, dCParts, partBase, folded);
        }
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) finishSegmentVector(c, tn, D, k, w);
        for (; c < k.count; c++) finishSegmentScalar(c, tn, D, k, w);
    }

    /** The states h_{t0−1} at the start of every segment, (segment, n, c); the first is zero. */
    private static float[] checkpoints(float[] u, float[] delta, float[] deltaBias, float[] B, ScanBlock k, Work w) {
        int segments = (k.L + SEGMENT - 1) / SEGMENT, stateSize = k.N * BLOCK;
        float[] checkpoints = new float[segments * stateSize];
        for (int s = 0; s + 1 < segments; s++) {
            int t0 = s * SEGMENT;
            k.loadSegment(u, delta, deltaBias, t0, SEGMENT, w);
            System.arraycopy(checkpoints, s * stateSize, w.h, 0, stateSize);
            for (int n = 0; n < k.N; n += PASS) {
                int count = Math.min(PASS, k.N - n);
                int row = k.projectionRow(0) + t0;
                recomputeStates(n, count, SEGMENT, B, new Rows(row, row, k.L, 1), k, w);
                for (int j = 0; j < count; j++) {
                    System.arraycopy(w.hs, (j * (SEGMENT + 1) + SEGMENT) * BLOCK,
                            checkpoints, (s + 1) * stateSize + (n + j) * BLOCK, BLOCK);
                }
            }
        }
        return checkpoints;
    }

    /**
     * From h_{t0−1} in w.h, recomputes this segment's Ā_t (w.aBar) and h_t (w.hs, slot tl+1; slot 0 is
     * h_{t0−1}) of states n … n+count−1 (pass slots j = 0 …) for all channels of the block: the forward
     * recurrence, without the read-out; two states in one walk where the vector path has two in the moderate range.
     */
    private static void recomputeStates(int n, int count, int tn, float[] B, Rows rows, ScanBlock k, Work w) {
        for (int j = 0; j < count; j++) System.arraycopy(w.h, (n + j) * BLOCK, w.hs, j * (SEGMENT + 1) * BLOCK, BLOCK);
        int row = rows.b() + n * rows.nStride(), nStride = rows.nStride(), step = rows.tStride();
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) {
            if (count == 2 && w.moderate) twoStatesModerate(c, n, tn, B, row, nStride, step, w);
            else for (int j = 0; j < count; j++) statesSegmentVector(c, n + j, j, tn, B, row + j * nStride, step, w);
        }
        for (; c < k.count; c++)
            for (int j = 0; j < count; j++) statesSegmentScalar(c, n + j, j, tn, B, row + j * nStride, step, w);
    }

    /**
     * States n and n+1 (pass slots 0 and 1) of {@link #statesSegmentVector} in one walk through the segment, in the
     * moderate range: each state's recurrence as there, δ_t and δ_t·u_t loaded once per step for both. The exps of
     * the two states then overlap; one state a walk ran about 22 cycles per state and step, two about 15.
     */
    private static void twoStatesModerate(int c, int n, int tn, float[] B, int row, int nStride, int step, Work w) {
        int hs0 = c, hs1 = hs0 + (SEGMENT + 1) * BLOCK, as0 = c, as1 = as0 + SEGMENT * BLOCK, row1 = row + nStride;
        FloatVector a0 = FloatVector.fromArray(F, w.A, n * BLOCK + c), a1 = FloatVector.fromArray(F, w.A, (n + 1) * BLOCK + c);
        FloatVector h0 = FloatVector.fromArray(F, w.hs, hs0), h1 = FloatVector.fromArray(F, w.hs, hs1);
        for (int tl = 0; tl < tn; tl++) {
            int i = tl * BLOCK + c;
            FloatVector d = FloatVector.fromArray(F, w.delta, i), du = FloatVector.fromArray(F, w.deltaU, i);
            FloatVector aBar0 = VMath.expModerate(d.mul(a0));
            h0 = aBar0.fma(h0, du.mul(B[row + tl * step]));
            aBar0.intoArray(w.aBar, as0 + tl * BLOCK);
            h0.intoArray(w.hs, hs0 + (tl + 1) * BLOCK);
            FloatVector aBar1 = VMath.expModerate(d.mul(a1));
            h1 = aBar1.fma(h1, du.mul(B[row1 + tl * step]));
            aBar1.intoArray(w.aBar, as1 + tl * BLOCK);
            h1.intoArray(w.hs, hs1 + (tl + 1) * BLOCK);
        }
    }

    /** State n (pass slot j), lanes c..c+W−1: Ā_t = exp(δ_t·A), h_t = Ā_t·h_{t−1} + B_t·(δ_t·u_t), both recorded (as the forward computes h). */
    private static void statesSegmentVector(int c, int n, int j, int tn, float[] B, int row, int step, Work w) {
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
        FloatVector a = FloatVector.fromArray(F, w.A, n * BLOCK + c);
        FloatVector h = FloatVector.fromArray(F, w.hs, hs);
        if (w.moderate) {
            // every δ·a in exp's moderate range (see ScanBlock.loadSegment): expModerate gives exp's bits
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = VMath.expModerate(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl * step]));
                aBar.intoArray(w.aBar, as + tl * BLOCK);
                h.intoArray(w.hs, hs + (tl + 1) * BLOCK);
            }
        } else {
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = VMath.exp(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl * step]));
                aBar.intoArray(w.aBar, as + tl * BLOCK);
                h.intoArray(w.hs, hs + (tl + 1) * BLOCK);
            }
        }
    }

    /** The scalar twin of {@link #statesSegmentVector} for one channel c. */
    private static void statesSegmentScalar(int c, int n, int j, int tn, float[] B, int row, int step, Work w) {
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
        float a = w.A[n * BLOCK + c];
        float h = w.hs[hs];
        for (int tl = 0; tl < tn; tl++) {
            int i = tl * BLOCK + c;
            float aBar = FMath.exp(w.delta[i] * a);
            h = Math.fma(aBar, h, w.deltaU[i] * B[row + tl * step]);
            w.aBar[as + tl * BLOCK] = aBar;
            w.hs[hs + (tl + 1) * BLOCK] = h;
        }
    }

    /**
     * The adjoint of states n … n+count−1 for every channel of the block: two states in one walk back through
     * the segment where the vector path has two, else one at a time; ΣG·B and ΣA·GĀh take state n's terms, then n+1's.
     */
    private static void adjoint(int n, int count, int tn, float[] B, float[] C, Rows rows, ScanBlock k, Work w) {
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) {
            if (count == 2) adjointTwoStates(c, tn, n, B, C, rows, w);
            else for (int j = 0; j < count; j++) adjointStateVector(c, tn, n + j, j, B, C, rows, w);
        }
        for (; c < k.count; c++) {
            for (int j = 0; j < count; j++) adjointStateScalar(c, tn, n + j, j, B, C, rows, w);
        }
    }

    /**
     * State n (pass slot j), lanes c..c+W−1, one segment, time reversed. Carry = Ā_{t+1}·G_{t+1} (zero after
     * the last step). Per t:
     * <pre>
     *   G     = dy_t·C_t + carry                 dC term = dy_t·h_t     dB term = G·(δ_t·u_t)
     *   ΣG·B += G·B_t                            carry   = G·Ā_t
     *   GĀh   = carry·h_{t−1}                    dA     += GĀh·δ_t       ΣA·GĀh += GĀh·A
     * </pre>
     */
    private static void adjointStateVector(int c, int tn, int n, int j, float[] B, float[] C, Rows rows, Work w) {
        int s = n * BLOCK + c, bRow = rows.b() + n * rows.nStride(), cRow = rows.c() + n * rows.nStride(), step = rows.tStride();
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
        FloatVector a = FloatVector.fromArray(F, w.A, s);
        FloatVector carry = FloatVector.fromArray(F, w.carry, s);
        FloatVector dA = FloatVector.fromArray(F, w.dA, s);
        for (int tl = tn - 1; tl >= 0; tl--) {
            int i = tl * BLOCK + c, term = as + tl * BLOCK;
            FloatVector dyt = FloatVector.fromArray(F, w.dy, i);
            FloatVector g = dyt.fma(FloatVector.broadcast(F, C[cRow + tl * step]), carry);
            dyt.mul(FloatVector.fromArray(F, w.hs, hs + (tl + 1) * BLOCK)).intoArray(w.dCTerms, term);
            g.mul(FloatVector.fromArray(F, w.deltaU, i)).intoArray(w.dBTerms, term);
            g.fma(FloatVector.broadcast(F, B[bRow + tl * step]), FloatVector.fromArray(F, w.sumGB, i)).intoArray(w.sumGB, i);
            carry = g.mul(FloatVector.fromArray(F, w.aBar, term));
            FloatVector gah = carry.mul(FloatVector.fromArray(F, w.hs, hs + tl * BLOCK));
            dA = gah.fma(FloatVector.fromArray(F, w.delta, i), dA);
            gah.fma(a, FloatVector.fromArray(F, w.sumAGAh, i)).intoArray(w.sumAGAh, i);
        }
        carry.intoArray(w.carry, s);
        dA.intoArray(w.dA, s);
    }

    /**
     * States n and n+1 (pass slots 0 and 1) of {@link #adjointStateVector} in one walk back through the segment:
     * each state's adjoint as there, with ΣG·B and ΣA·GĀh of step t taking state n's term, then n+1's, and dy_t,
     * δ_t, δ_t·u_t, ΣG·B and ΣA·GĀh loaded and stored once per step for both.
     */
    private static void adjointTwoStates(int c, int tn, int n, float[] B, float[] C, Rows rows, Work w) {
        int s0 = n * BLOCK + c, s1 = s0 + BLOCK, step = rows.tStride();
        int b0 = rows.b() + n * rows.nStride(), b1 = b0 + rows.nStride(), c0 = rows.c() + n * rows.nStride(), c1 = c0 + rows.nStride();
        int hs0 = c, hs1 = hs0 + (SEGMENT + 1) * BLOCK;
        int as0 = c, as1 = as0 + SEGMENT * BLOCK;
        FloatVector a0 = FloatVector.fromArray(F, w.A, s0), a1 = FloatVector.fromArray(F, w.A, s1);
        FloatVector carry0 = FloatVector.fromArray(F, w.carry, s0), carry1 = FloatVector.fromArray(F, w.carry, s1);
        FloatVector dA0 = FloatVector.fromArray(F, w.dA, s0), dA1 = FloatVector.fromArray(F, w.dA, s1);
        // h_t of step tl is h_{t−1} of step tl+1, the step before it in this backward walk: loaded once
        FloatVector h0 = FloatVector.fromArray(F, w.hs, hs0 + tn * BLOCK), h1 = FloatVector.fromArray(F, w.hs, hs1 + tn * BLOCK);
        for (int tl = tn - 1; tl >= 0; tl--) {
            int i = tl * BLOCK + c, term0 = as0 + tl * BLOCK, term1 = as1 + tl * BLOCK;
            FloatVector dyt = FloatVector.fromArray(F, w.dy, i), du = FloatVector.fromArray(F, w.deltaU, i);
            FloatVector d = FloatVector.fromArray(F, w.delta, i);
            FloatVector sumGB = FloatVector.fromArray(F, w.sumGB, i), sumAGAh = FloatVector.fromArray(F, w.sumAGAh, i);
            FloatVector before0 = FloatVector.fromArray(F, w.hs, hs0 + tl * BLOCK), before1 = FloatVector.fromArray(F, w.hs, hs1 + tl * BLOCK);
            FloatVector g0 = dyt.fma(FloatVector.broadcast(F, C[c0 + tl * step]), carry0);
            dyt.mul(h0).intoArray(w.dCTerms, term0);
            g0.mul(du).intoArray(w.dBTerms, term0);
            sumGB = g0.fma(FloatVector.broadcast(F, B[b0 + tl * step]), sumGB);
            carry0 = g0.mul(FloatVector.fromArray(F, w.aBar, term0));
            FloatVector gah0 = carry0.mul(before0);
            dA0 = gah0.fma(d, dA0);
            sumAGAh = gah0.fma(a0, sumAGAh);
            FloatVector g1 = dyt.fma(FloatVector.broadcast(F, C[c1 + tl * step]), carry1);
            dyt.mul(h1).intoArray(w.dCTerms, term1);
            g1.mul(du).intoArray(w.dBTerms, term1);
            sumGB = g1.fma(FloatVector.broadcast(F, B[b1 + tl * step]), sumGB);
            carry1 = g1.mul(FloatVector.fromArray(F, w.aBar, term1));
            FloatVector gah1 = carry1.mul(before1);
            dA1 = gah1.fma(d, dA1);
            sumAGAh = gah1.fma(a1, sumAGAh);
            sumGB.intoArray(w.sumGB, i);
            sumAGAh.intoArray(w.sumAGAh, i);
            h0 = before0;
            h1 = before1;
        }
        carry0.intoArray(w.carry, s0);
        carry1.intoArray(w.carry, s1);
        dA0.intoArray(w.dA, s0);
        dA1.intoArray(w.dA, s1);
    }

    /**
     * {@link #adjointTwoStates} for a whole 16-lane block (BLOCK = W) over a segment of even length, two steps a turn
     * (tl odd, then tl − 1), each step's operations exactly as there; the dB and dC terms of the two steps are not
     * stored but folded ({@link BlockSums#FOLDS}) into one vector per state and array at pair (tl − 1)/2: half the
     * term stores, and no first round of the sums over channels. The step is written out twice rather than called:
     * a helper that takes or returns vectors runs boxed wherever C2 does not inline it (docs/DESIGN.md, items 2, 10).
     */
    private static void adjointTwoStatesFolded(int tn, int n, float[] B, float[] C, Rows rows, Work w) {
        VectorMask<Float> upper = BlockSums.UPPER_HALF;
        int s0 = n * BLOCK, s1 = s0 + BLOCK, step = rows.tStride();
        int b0 = rows.b() + n * rows.nStride(), b1 = b0 + rows.nStride(), c0 = rows.c() + n * rows.nStride(), c1 = c0 + rows.nStride();
        int hs0 = 0, hs1 = (SEGMENT + 1) * BLOCK;
        int as0 = 0, as1 = SEGMENT * BLOCK;
        FloatVector a0 = FloatVector.fromArray(F, w.A, s0), a1 = FloatVector.fromArray(F, w.A, s1);
        FloatVector carry0 = FloatVector.fromArray(F, w.carry, s0), carry1 = FloatVector.fromArray(F, w.carry, s1);
        FloatVector dA0 = FloatVector.fromArray(F, w.dA, s0), dA1 = FloatVector.fromArray(F, w.dA, s1);
        FloatVector h0 = FloatVector.fromArray(F, w.hs, hs0 + tn * BLOCK), h1 = FloatVector.fromArray(F, w.hs, hs1 + tn * BLOCK);
        for (int tl = tn - 1; tl > 0; tl -= 2) {
            // step tl (odd)
            int iO = tl * BLOCK, term0O = as0 + tl * BLOCK, term1O = as1 + tl * BLOCK;
            FloatVector dytO = FloatVector.fromArray(F, w.dy, iO), duO = FloatVector.fromArray(F, w.deltaU, iO);
            FloatVector dO = FloatVector.fromArray(F, w.delta, iO);
            FloatVector sumGBO = FloatVector.fromArray(F, w.sumGB, iO), sumAGAhO = FloatVector.fromArray(F, w.sumAGAh, iO);
            FloatVector before0O = FloatVector.fromArray(F, w.hs, hs0 + tl * BLOCK), before1O = FloatVector.fromArray(F, w.hs, hs1 + tl * BLOCK);
            FloatVector g0O = dytO.fma(FloatVector.broadcast(F, C[c0 + tl * step]), carry0);
            FloatVector dC0Odd = dytO.mul(h0);
            FloatVector dB0Odd = g0O.mul(duO);
            sumGBO = g0O.fma(FloatVector.broadcast(F, B[b0 + tl * step]), sumGBO);
            carry0 = g0O.mul(FloatVector.fromArray(F, w.aBar, term0O));
            FloatVector gah0O = carry0.mul(before0O);
            dA0 = gah0O.fma(dO, dA0);
            sumAGAhO = gah0O.fma(a0, sumAGAhO);
            FloatVector g1O = dytO.fma(FloatVector.broadcast(F, C[c1 + tl * step]), carry1);
            FloatVector dC1Odd = dytO.mul(h1);
            FloatVector dB1Odd = g1O.mul(duO);
            sumGBO = g1O.fma(FloatVector.broadcast(F, B[b1 + tl * step]), sumGBO);
            carry1 = g1O.mul(FloatVector.fromArray(F, w.aBar, term1O));
            FloatVector gah1O = carry1.mul(before1O);
            dA1 = gah1O.fma(dO, dA1);
            sumAGAhO = gah1O.fma(a1, sumAGAhO);
            sumGBO.intoArray(w.sumGB, iO);
            sumAGAhO.intoArray(w.sumAGAh, iO);
            h0 = before0O;
            h1 = before1O;
            // step tl − 1 (even)
            int iE = (tl - 1) * BLOCK, term0E = as0 + (tl - 1) * BLOCK, term1E = as1 + (tl - 1) * BLOCK;
            FloatVector dytE = FloatVector.fromArray(F, w.dy, iE), duE = FloatVector.fromArray(F, w.deltaU, iE);
            FloatVector dE = FloatVector.fromArray(F, w.delta, iE);
            FloatVector sumGBE = FloatVector.fromArray(F, w.sumGB, iE), sumAGAhE = FloatVector.fromArray(F, w.sumAGAh, iE);
            FloatVector before0E = FloatVector.fromArray(F, w.hs, hs0 + (tl - 1) * BLOCK), before1E = FloatVector.fromArray(F, w.hs, hs1 + (tl - 1) * BLOCK);
            FloatVector g0E = dytE.fma(FloatVector.broadcast(F, C[c0 + (tl - 1) * step]), carry0);
            FloatVector dC0Even = dytE.mul(h0);
            FloatVector dB0Even = g0E.mul(duE);
            sumGBE = g0E.fma(FloatVector.broadcast(F, B[b0 + (tl - 1) * step]), sumGBE);
            carry0 = g0E.mul(FloatVector.fromArray(F, w.aBar, term0E));
            FloatVector gah0E = carry0.mul(before0E);
            dA0 = gah0E.fma(dE, dA0);
            sumAGAhE = gah0E.fma(a0, sumAGAhE);
            FloatVector g1E = dytE.fma(FloatVector.broadcast(F, C[c1 + (tl - 1) * step]), carry1);
            FloatVector dC1Even = dytE.mul(h1);
            FloatVector dB1Even = g1E.mul(duE);
            sumGBE = g1E.fma(FloatVector.broadcast(F, B[b1 + (tl - 1) * step]), sumGBE);
            carry1 = g1E.mul(FloatVector.fromArray(F, w.aBar, term1E));
            FloatVector gah1E = carry1.mul(before1E);
            dA1 = gah1E.fma(dE, dA1);
            sumAGAhE = gah1E.fma(a1, sumAGAhE);
            sumGBE.intoArray(w.sumGB, iE);
            sumAGAhE.intoArray(w.sumAGAh, iE);
            h0 = before0E;
            h1 = before1E;
            // the pair's terms folded: lanes 0–7 step tl − 1's first round, 8–15 step tl's
            int pair = (tl - 1) / 2 * BLOCK;
            dC0Even.blend(dC0Odd, upper).add(dC0Even.slice(8, dC0Odd)).intoArray(w.dCTerms, as0 + pair);
            dB0Even.blend(dB0Odd, upper).add(dB0Even.slice(8, dB0Odd)).intoArray(w.dBTerms, as0 + pair);
            dC1Even.blend(dC1Odd, upper).add(dC1Even.slice(8, dC1Odd)).intoArray(w.dCTerms, as1 + pair);
            dB1Even.blend(dB1Odd, upper).add(dB1Even.slice(8, dB1Odd)).intoArray(w.dBTerms, as1 + pair);
        }
        carry0.intoArray(w.carry, s0);
        carry1.intoArray(w.carry, s1);
        dA0.intoArray(w.dA, s0);
        dA1.intoArray(w.dA, s1);
    }

    /** The scalar twin of {@link #adjointStateVector} for one channel c. */
    private static void adjointStateScalar(int c, int tn, int n, int j, float[] B, float[] C, Rows rows, Work w) {
        int s = n * BLOCK + c, bRow = rows.b() + n * rows.nStride(), cRow = rows.c() + n * rows.nStride(), step = rows.tStride();
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
        float a = w.A[s];
        float carry = w.carry[s];
        float dA = w.dA[s];
        for (int tl = tn - 1; tl >= 0; tl--) {
            int i = tl * BLOCK + c, term = as + tl * BLOCK;
            float dyt = w.dy[i];
            float g = Math.fma(dyt, C[cRow + tl * step], carry);
            w.dCTerms[term] = dyt * w.hs[hs + (tl + 1) * BLOCK];
            w.dBTerms[term] = g * w.deltaU[i];
            w.sumGB[i] = Math.fma(g, B[bRow + tl * step], w.sumGB[i]);
            carry = g * w.aBar[term];
            float gah = carry * w.hs[hs + tl * BLOCK];
            dA = Math.fma(gah, w.delta[i], dA);
            w.sumAGAh[i] = Math.fma(gah, a, w.sumAGAh[i]);
        }
        w.carry[s] = carry;
        w.dA[s] = dA;
    }

    /*
     * Per (channel, t), time reversed: du_t = dy_t·D + δ_t·ΣG·B; ∂ℓ/∂δ_t = ΣA·GĀh + u_t·ΣG·B;
     * dΔ_t = ∂ℓ/∂δ_t·softplus′(x_t); the running sums dD += dy_t·u_t and dΔbias += dΔ_t.
     */

    /** The finish of {@link #segment} (du, dΔ, dD, dΔbias) for channels c..c+W−1 as vector lanes: each lane runs the scalar twin's operations. */
    private static void finishSegmentVector(int c, int tn, float[] D, ScanBlock k, Work w) {
        FloatVector dD = FloatVector.fromArray(F, w.dD, c), dBias = FloatVector.fromArray(F, w.dBias, c);
        boolean skip = D != null;                  // (a vector that may be null would be kept on the heap)
        FloatVector d = skip ? FloatVector.fromArray(F, D, k.firstChannel + c) : FloatVector.zero(F);
        for (int tl = tn - 1; tl >= 0; tl--) {
            int i = tl * BLOCK + c;
            FloatVector dy = FloatVector.fromArray(F, w.dy, i), u = FloatVector.fromArray(F, w.u, i);
            FloatVector sumGB = FloatVector.fromArray(F, w.sumGB, i);
            FloatVector viaB = FloatVector.fromArray(F, w.delta, i).mul(sumGB);
            (skip ? dy.fma(d, viaB) : viaB).intoArray(w.du, i);
            FloatVector dx = u.fma(sumGB, FloatVector.fromArray(F, w.sumAGAh, i)).mul(FloatVector.fromArray(F, w.softplusSlope, i));
            dx.intoArray(w.dDelta, i);
            dBias = dBias.add(dx);
            dD = dy.fma(u, dD);
        }
        dD.intoArray(w.dD, c);
        dBias.intoArray(w.dBias, c);
    }

    /** The finish of {@link #segment} for one channel c, into the (t, c) arrays w.du, w.dDelta. */
    private static void finishSegmentScalar(int c, int tn, float[] D, ScanBlock k, Work w) {
        int d = k.firstChannel + c;
        float dD = w.dD[c], dBias = w.dBias[c];
        for (int tl = tn - 1; tl >= 0; tl--) {
            int i = tl * BLOCK + c;
            float viaB = w.delta[i] * w.sumGB[i];
            w.du[i] = D == null ? viaB : Math.fma(w.dy[i], D[d], viaB);
            float dDeltaT = Math.fma(w.u[i], w.sumGB[i], w.sumAGAh[i]);
            float dx = dDeltaT * w.softplusSlope[i];
            w.dDelta[i] = dx;
            dBias += dx;
            dD = Math.fma(w.dy[i], w.u[i], dD);
        }
        w.dD[c] = dD;
        w.dBias[c] = dBias;
    }

    /**
     * Sums the per-channel terms (pass slot j, t, c) of states n … n+count−1 over the block's 16 channel slots into
     * out[base + (b, g, n + j, t)] by {@link BlockSums}' fixed tree (slots past the block's channels hold 0), W time
     * steps at once on the vector path.
     */
    private static void reduceOverChannels(float[] terms, int n, int count, int t0, int tn, ScanBlock k, Work w, float[] out, int base,
                                           boolean folded) {
        int tEnd = k.vector && BlockSums.AVAILABLE ? tn / F.length() * F.length() : 0;
        for (int j = 0; j < count; j++) {
            int row = base + k.projectionRow(n + j) + t0, first = j * SEGMENT * BLOCK;
            int tl = 0;
            if (folded) {                                  // pair p of steps (2p, 2p + 1) at first + p·BLOCK
                for (; tl < tEnd; tl += F.length()) BlockSums.foldedRows(terms, first + tl / 2 * BLOCK, out, row + tl, w.blockSums);
                for (; tl < tn; tl++) out[row + tl] = BlockSums.foldedTree(terms, first + tl / 2 * BLOCK + tl % 2 * 8);
            } else {
                for (; tl < tEnd; tl += F.length()) BlockSums.rows(terms, first + tl * BLOCK, out, row + tl, w.blockSums);
                for (; tl < tn; tl++) out[row + tl] = BlockSums.tree(terms, first + tl * BLOCK);
            }
        }
    }

    /**
     * The sums over all time steps of the sequence just done (batch element k.b) into the per-batch parts:
     * dA (b, channel, n), dD and dΔbias (b, channel) where wanted (not null).
     */
    static void keepSequenceSums(ScanBlock k, Work w, int KD, float[] dAParts, float[] dDParts, float[] dBiasParts) {
        for (int c = 0; c < k.count; c++) {
            int d = k.firstChannel + c;
            for (int n = 0; n < k.N; n++) dAParts[(k.b * KD + d) * k.N + n] = w.dA[n * BLOCK + c];
            if (dDParts != null) dDParts[k.b * KD + d] = w.dD[c];
            if (dBiasParts != null) dBiasParts[k.b * KD + d] = w.dBias[c];
        }
    }

    /** Elements per task of {@link #combineInOrder} (a fixed cut: each element's sum is the same in any task). */
    private static final int COMBINE_CHUNK = 1 << 15;

    /** out[i] = ((parts[0][i] + parts[1][i]) + …) for {@code count} parts of out.length each, in fixed chunks of elements. */
    static void combineInOrder(float[] parts, int count, float[] out) {
        int size = out.length;
        Parallel.forTasks((size + COMBINE_CHUNK - 1) / COMBINE_CHUNK, chunk -> {
            int from = chunk * COMBINE_CHUNK, to = Math.min(size, from + COMBINE_CHUNK);
            System.arraycopy(parts, from, out, from, to - from);
            for (int p = 1; p < count; p++) Lanewise.add(parts, p * size + from, out, from, to - from, true);
        });
    }
}
