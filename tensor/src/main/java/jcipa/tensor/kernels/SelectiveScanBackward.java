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
                // this sequence's sums over all its time steps
                for (int c = 0; c < k.count; c++) {
                    int d = k.firstChannel + c;
                    for (int n = 0; n < k.N; n++) dAParts[(b * KD + d) * k.N + n] = w.dA[n * BLOCK + c];
                    if (wantD) dDParts[b * KD + d] = w.dD[c];
                    if (wantBias) dBiasParts[b * KD + d] = w.dBias[c];
                }
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

    /** States taken together through recomputation, adjoint and the dB, dC sums, so that their working set stays in L1. */
    static final int PASS = 2;

    /**
     * One sequence (batch element k.b) of the task's channel block, time reversed, segment by segment; within a
     * segment, {@link #PASS} states at a time: their Ā_t and h_t recomputed, their adjoint scan run back through
     * them, and their dB, dC terms summed over channels, while the pass's few KB are still in L1 (all N states
     * at once went through L2 three times). Every value is computed as when the phases ran over all states
     * in turn; ΣG·B and ΣA·GĀh still take the states in ascending order.
     */
    private static void backwardSequence(float[] u, float[] delta, float[] deltaBias, float[] B, float[] C, float[] D,
                                         float[] dy, float[] du, float[] dDelta, ScanBlock k, Work w,
                                         SelectiveScan.States states, float[] dBParts, float[] dCParts, int partBase) {
        Arrays.fill(w.carry, 0f);                                   // per-sequence running values start at zero
        Arrays.fill(w.dA, 0f);
        Arrays.fill(w.dD, 0f);
        Arrays.fill(w.dBias, 0f);
        float[] checkpoints = states == null ? checkpoints(u, delta, deltaBias, B, k, w) : null;
        int stateSize = k.N * BLOCK;
        for (int s = (k.L + SEGMENT - 1) / SEGMENT - 1; s >= 0; s--) {
            int t0 = s * SEGMENT, tn = Math.min(SEGMENT, k.L - t0);
            k.loadSegment(u, delta, deltaBias, t0, tn, w);
            k.loadUpstream(dy, t0, tn, w);
            if (checkpoints != null) System.arraycopy(checkpoints, s * stateSize, w.h, 0, stateSize);
            else if (s == 0) Arrays.fill(w.h, 0f);
            else System.arraycopy(states.h(), SelectiveScan.States.offset(k, s), w.h, 0, stateSize);
            Arrays.fill(w.sumGB, 0f);
            Arrays.fill(w.sumAGAh, 0f);
            for (int n = 0; n < k.N; n += PASS) {
                int count = Math.min(PASS, k.N - n);
                recomputeStates(n, count, t0, tn, B, k, w);
                adjoint(n, count, t0, tn, B, C, k, w);
                reduceOverChannels(w.dBTerms, n, count, t0, tn, k, dBParts, partBase);
                reduceOverChannels(w.dCTerms, n, count, t0, tn, k, dCParts, partBase);
            }
            finishSegment(t0, tn, D, k, w, du, dDelta);
        }
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
                recomputeStates(n, count, t0, SEGMENT, B, k, w);
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
     * recurrence, without the read-out.
     */
    private static void recomputeStates(int n, int count, int t0, int tn, float[] B, ScanBlock k, Work w) {
        for (int j = 0; j < count; j++) {
            System.arraycopy(w.h, (n + j) * BLOCK, w.hs, j * (SEGMENT + 1) * BLOCK, BLOCK);
            int c = 0;
            for (; c < k.vectorEnd; c += F.length()) statesSegmentVector(c, n + j, j, t0, tn, B, k, w);
            for (; c < k.count; c++) statesSegmentScalar(c, n + j, j, t0, tn, B, k, w);
        }
    }

    /** State n (pass slot j), lanes c..c+W−1: Ā_t = exp(δ_t·A), h_t = Ā_t·h_{t−1} + B_t·(δ_t·u_t), both recorded (as the forward computes h). */
    private static void statesSegmentVector(int c, int n, int j, int t0, int tn, float[] B, ScanBlock k, Work w) {
        int row = k.projectionRow(n) + t0, hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
        FloatVector a = FloatVector.fromArray(F, w.A, n * BLOCK + c);
        FloatVector h = FloatVector.fromArray(F, w.hs, hs);
        if (w.moderate) {
            // every δ·a in exp's moderate range (see ScanBlock.loadSegment): expModerate gives exp's bits
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = VMath.expModerate(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl]));
                aBar.intoArray(w.aBar, as + tl * BLOCK);
                h.intoArray(w.hs, hs + (tl + 1) * BLOCK);
            }
        } else {
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                FloatVector aBar = VMath.exp(FloatVector.fromArray(F, w.delta, i).mul(a));
                h = aBar.fma(h, FloatVector.fromArray(F, w.deltaU, i).mul(B[row + tl]));
                aBar.intoArray(w.aBar, as + tl * BLOCK);
                h.intoArray(w.hs, hs + (tl + 1) * BLOCK);
            }
        }
    }

    /** The scalar twin of {@link #statesSegmentVector} for one channel c. */
    private static void statesSegmentScalar(int c, int n, int j, int t0, int tn, float[] B, ScanBlock k, Work w) {
        int row = k.projectionRow(n) + t0, hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
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

    /**
     * The adjoint of states n … n+count−1 for every channel of the block: two states in one walk back through
     * the segment where the vector path has two, else one at a time; ΣG·B and ΣA·GĀh take state n's terms, then n+1's.
     */
    private static void adjoint(int n, int count, int t0, int tn, float[] B, float[] C, ScanBlock k, Work w) {
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) {
            if (count == 2) adjointTwoStates(c, t0, tn, n, B, C, k, w);
            else for (int j = 0; j < count; j++) adjointStateVector(c, t0, tn, n + j, j, B, C, k, w);
        }
        for (; c < k.count; c++) {
            for (int j = 0; j < count; j++) adjointStateScalar(c, t0, tn, n + j, j, B, C, k, w);
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
    private static void adjointStateVector(int c, int t0, int tn, int n, int j, float[] B, float[] C, ScanBlock k, Work w) {
        int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
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

    /**
     * States n and n+1 (pass slots 0 and 1) of {@link #adjointStateVector} in one walk back through the segment:
     * each state's adjoint as there, with ΣG·B and ΣA·GĀh of step t taking state n's term, then n+1's, and dy_t,
     * δ_t, δ_t·u_t, ΣG·B and ΣA·GĀh loaded and stored once per step for both.
     */
    private static void adjointTwoStates(int c, int t0, int tn, int n, float[] B, float[] C, ScanBlock k, Work w) {
        int s0 = n * BLOCK + c, s1 = s0 + BLOCK, row0 = k.projectionRow(n) + t0, row1 = row0 + k.L;
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
            FloatVector g0 = dyt.fma(FloatVector.broadcast(F, C[row0 + tl]), carry0);
            dyt.mul(h0).intoArray(w.dCTerms, term0);
            g0.mul(du).intoArray(w.dBTerms, term0);
            sumGB = g0.fma(FloatVector.broadcast(F, B[row0 + tl]), sumGB);
            carry0 = g0.mul(FloatVector.fromArray(F, w.aBar, term0));
            FloatVector gah0 = carry0.mul(before0);
            dA0 = gah0.fma(d, dA0);
            sumAGAh = gah0.fma(a0, sumAGAh);
            FloatVector g1 = dyt.fma(FloatVector.broadcast(F, C[row1 + tl]), carry1);
            dyt.mul(h1).intoArray(w.dCTerms, term1);
            g1.mul(du).intoArray(w.dBTerms, term1);
            sumGB = g1.fma(FloatVector.broadcast(F, B[row1 + tl]), sumGB);
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

    /** The scalar twin of {@link #adjointStateVector} for one channel c. */
    private static void adjointStateScalar(int c, int t0, int tn, int n, int j, float[] B, float[] C, ScanBlock k, Work w) {
        int s = n * BLOCK + c, row = k.projectionRow(n) + t0;
        int hs = j * (SEGMENT + 1) * BLOCK + c, as = j * SEGMENT * BLOCK + c;
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

    /**
     * Per (channel, t), time reversed: du_t = dy_t·D + δ_t·ΣG·B; ∂ℓ/∂δ_t = ΣA·GĀh + u_t·ΣG·B;
     * dΔ_t = ∂ℓ/∂δ_t·softplus′(x_t); the running sums dD += dy_t·u_t and dΔbias += dΔ_t.
     */
    private static void finishSegment(int t0, int tn, float[] D, ScanBlock k, Work w, float[] du, float[] dDelta) {
        int c = 0;
        for (; c < k.vectorEnd; c += F.length()) finishSegmentVector(c, tn, D, k, w);
        for (; c < k.count; c++) finishSegmentScalar(c, tn, D, k, w);
        k.toChannelMajor(w.du, tn, du, k.sequenceRow(0) + t0, k.L);
        k.toChannelMajor(w.dDelta, tn, dDelta, k.sequenceRow(0) + t0, k.L);
    }

    /** {@link #finishSegment} for channels c..c+W−1 as vector lanes: each lane runs the scalar twin's operations. */
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

    /** {@link #finishSegment} for one channel c, into the (t, c) arrays w.du, w.dDelta. */
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
    private static void reduceOverChannels(float[] terms, int n, int count, int t0, int tn, ScanBlock k, float[] out, int base) {
        int tEnd = k.vector && BlockSums.AVAILABLE ? tn / F.length() * F.length() : 0;
        for (int j = 0; j < count; j++) {
            int row = base + k.projectionRow(n + j) + t0, first = j * SEGMENT * BLOCK;
            int tl = 0;
            for (; tl < tEnd; tl += F.length()) BlockSums.rows(terms, first + tl * BLOCK, BLOCK, out, row + tl);
            for (; tl < tn; tl++) out[row + tl] = BlockSums.tree(terms, first + tl * BLOCK);
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
}
