package jcipa.tensor.kernels;

import static jdk.incubator.vector.VectorOperators.LE;
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
    /** Time steps per segment of the transposed working set. */
    static final int SEGMENT = 64;

    final Dims dims;
    final int g, block, firstChannel, count, L, N;
    /** The batch element being scanned; a forward task may walk several in turn ({@link #moveTo}). */
    int b;
    /** The vector path covers channels [0, vectorEnd); the scalar path the rest, up to count. */
    final int vectorEnd;
    /** Whether this task takes the vector path. */
    final boolean vector;

    ScanBlock(Dims dims, int task, boolean vector) {
        this(dims, task / dims.blocksPerGroup() / dims.groups(), task / dims.blocksPerGroup() % dims.groups(),
                task % dims.blocksPerGroup(), vector);
    }

    /** Batch element b, group g, channel block {@code block} of g. */
    ScanBlock(Dims dims, int b, int g, int block, boolean vector) {
        this.dims = dims;
        this.block = block;
        this.g = g;
        this.b = b;
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
        float deltaAbsMax = 0f;
        for (int c = 0; c < count; c++) {
            int row = sequenceRow(c) + t0;
            float rowAbsMax = stepSizes(delta, u, row, deltaBias != null, deltaBias == null ? 0f : deltaBias[firstChannel + c], tn, w);
            deltaAbsMax = Math.max(deltaAbsMax, rowAbsMax);
            for (int tl = 0; tl < tn; tl++) {
                int i = tl * BLOCK + c;
                w.delta[i] = w.rowDelta[tl];
                if (w.u != null) w.u[i] = u[row + tl];
                w.deltaU[i] = w.rowDeltaU[tl];
                if (w.softplusSlope != null) w.softplusSlope[i] = w.rowSlope[tl];
            }
        }
        // |fl(δ·a)| = fl(|δ|·|a|) ≤ fl(max|δ|·max|a|) (rounding is monotone); NaN or ∞ fails the test
        w.moderate = deltaAbsMax * w.aAbsMax <= VMath.MODERATE_ARG;
    }

    /**
     * One channel's δ_t = softplus(Δ_t + bias), δ_t·u_t (and softplus′ = x ≤ 20 ? σ(x) : 1) for tn steps from
     * delta[row], u[row], into w.rowDelta, w.rowDeltaU (w.rowSlope); returns max_t |δ_t| (NaN if any δ_t is NaN).
     * Vectorised along time: VMath gives FMath's bits, and max is exact in any order.
     */
    private float stepSizes(float[] delta, float[] u, int row, boolean hasBias, float bias, int tn, Work w) {
        boolean slope = w.rowSlope != null;
        float absMax = 0f;
        int tl = 0;
        int end = vector ? Simd.F.loopBound(tn) : 0;
        if (end > 0) {
            FloatVector max = FloatVector.zero(Simd.F);
            for (; tl < end; tl += Simd.F.length()) {
                FloatVector x = FloatVector.fromArray(Simd.F, delta, row + tl);
                if (hasBias) x = x.add(bias);
                FloatVector d = VMath.softplus(x);
                d.intoArray(w.rowDelta, tl);
                d.mul(FloatVector.fromArray(Simd.F, u, row + tl)).intoArray(w.rowDeltaU, tl);
                max = max.max(d.abs());
                if (slope) VMath.sigmoid(x).blend(1f, x.compare(LE, 20f).not()).intoArray(w.rowSlope, tl);
            }
            absMax = max.reduceLanes(MAX);
        }
        for (; tl < tn; tl++) {
            float x = hasBias ? delta[row + tl] + bias : delta[row + tl];
            float d = FMath.softplus(x);
            w.rowDelta[tl] = d;
            w.rowDeltaU[tl] = d * u[row + tl];
            absMax = Math.max(absMax, Math.abs(d));
            if (slope) w.rowSlope[tl] = x <= 20f ? FMath.sigmoid(x) : 1f;
        }
        return absMax;
    }

    /** dy for t0 ≤ t < t0+tn, as (t, c). */
    void loadUpstream(float[] dy, int t0, int tn, Work w) {
        for (int c = 0; c < count; c++) {
            int row = sequenceRow(c) + t0;
            for (int tl = 0; tl < tn; tl++) w.dy[tl * BLOCK + c] = dy[row + tl];
        }
    }

    /** Working arrays of one task; every (…, c) row has BLOCK floats (lanes past count stay 0). */
    static final class Work {
        final float[] A, h;                                // (n, c): A, running state
        final float[] delta, deltaU, u, y;                 // (t, c); u backward only (the forward reads u's rows)
        final float[] rowDelta, rowDeltaU, rowSlope;       // (t) of one channel
        // backward only
        final float[] dy, softplusSlope, sumGB, sumAGAh;   // (t, c)
        final float[] hs;                                  // (n, t+1, c): h_{t0−1} … h_{t0+tn−1}
        final float[] aBar, dBTerms, dCTerms;              // (n, t, c)
        final float[] carry, dA;                           // (n, c): Ā_{t+1}·G_{t+1}, running dA
        final float[] dD, dBias;                           // (c): running dD, dΔbias
        /** max |A| over the block (NaN if any is NaN), set by loadA. */
        float aAbsMax;
        /** Whether every δ·A of the loaded segment lies in VMath.expModerate's range (set by loadSegment). */
        boolean moderate;

        Work(ScanBlock k, boolean backward) {
            int seg = SEGMENT * BLOCK, state = k.N * BLOCK;
            A = new float[state];
            h = new float[state];
            delta = new float[seg];
            deltaU = new float[seg];
            u = backward ? new float[seg] : null;
            rowDelta = new float[SEGMENT];
            rowDeltaU = new float[SEGMENT];
            rowSlope = backward ? new float[SEGMENT] : null;
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
