package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.ScanBlock.SEGMENT;

import jcipa.tensor.kernels.CrossSelectiveScan.Kept;
import jcipa.tensor.kernels.CrossSelectiveScan.Segment;
import jcipa.tensor.kernels.SelectiveScan.Dims;
import jcipa.tensor.parallel.Parallel;

/**
 * The backward of {@link CrossSelectiveScan} on channels-last maps, without SS2D's (B, 4, D, L) copies. Per
 * direction k, with u_t = x at the pixel p_k(t), [Δraw_t; B_t; C_t] = xProjW[k]·u_t, Δ_t = dtW[k]·Δraw_t and dy_t =
 * dy at p_k(t) (CrossMerge hands every direction the whole dy):
 * <pre>
 *   du_t, dΔ_t, dB_t, dC_t, dA, dD, dΔbias = the selective scan's backward    (SelectiveScanBackward.segment)
 *   dΔraw_t  = dtW[k]ᵀ·dΔ_t                  ddtW[k]    = Σ_t dΔ_t ⊗ Δraw_t
 *   dproj_t  = [dΔraw_t; dB_t; dC_t]          dxProjW[k] = Σ_t dproj_t ⊗ u_t
 *   dx[p_k(t)] += du_t + xProjW[k]ᵀ·dproj_t
 * </pre>
 * The scan part runs the tasks of the forward (a block of 16 channels and a direction pair, the reversed
 * direction after the other) on the kept x_proj rows and segment-start states; u and dy come from x and dy for
 * directions 0, 2 and from copies with the pixel rows in column-major order for 1, 3, and du and dΔ go back to maps
 * of the same row order. The sums over steps and over the R + 2N projections are then matrix products ({@link Gemm})
 * over the pair's pixel rows in ascending order. Fixed order throughout: dx = ((du_0 + du_2) + xProjW[0]ᵀ·dproj_0 +
 * xProjW[2]ᵀ·dproj_2) + ((du_1 + du_3) + xProjW[1]ᵀ·dproj_1 + xProjW[3]ᵀ·dproj_3), each pixel; dB, dC summed per
 * block by {@link SelectiveScanBackward}'s tree, then over blocks in block order; dA, dD, dΔbias over time in
 * reverse order, then over the batch in batch order. So the bits depend neither on the thread count nor on the
 * vector width.
 */
final class CrossSelectiveScanBackward {
    private CrossSelectiveScanBackward() {}

    private static final int K = CrossSelectiveScan.DIRECTIONS;

    static void run(boolean vector, float[] x, float[] dy, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                    int batch, int height, int width, int channels, int dtRank, int states, Kept kept,
                    float[] dx, float[] dXProjW, float[] dDtW, float[] dDtBias, float[] dA, float[] dDs) {
        if (height < 1 || width < 1 || dtRank < 1)
            throw new IllegalArgumentException("CrossSelectiveScan: height " + height + ", width " + width + " and dt rank " + dtRank + " must be positive");
        Dims dims = new Dims(batch, K, channels, height * width, states);
        int L = dims.length(), D = channels, R = dtRank, N = states, P = R + 2 * N, rows = batch * L;
        String op = "crossBackward";
        dims.checkLength(op, "x", x, rows * D);
        dims.checkLength(op, "dy", dy, rows * D);
        dims.checkLength(op, "dx", dx, rows * D);
        dims.checkLength(op, "xProjW", xProjW, K * P * D);
        dims.checkLength(op, "dtW", dtW, K * D * R);
        dims.checkLength(op, "A", A, dims.stateMatrixSize());
        dims.checkLength(op, "dA", dA, dims.stateMatrixSize());
        if (dtBias != null) dims.checkLength(op, "dtBias", dtBias, K * D);
        if (Ds != null) dims.checkLength(op, "Ds", Ds, K * D);
        if (kept == null || kept.projRowMajor().length != rows * 2 * P || kept.projColumnMajor().length != rows * 2 * P
                || (kept.states() == null) != (SelectiveScan.States.segments(dims) == 1)
                || kept.states() != null && !kept.states().dims().equals(dims))
            throw new IllegalArgumentException(op + ": what the forward kept does not fit " + dims + " with dt rank " + R);

        // the pair's maps: pixel rows in row-major order (directions 0, 2), column-major (1, 3); working arrays from
        // Scratch (every element is written before it is read)
        String map = "crossBackward map " + batch + "x" + height + "x" + width + "x" + D, small = "crossBackward rows " + rows + "x" + P;
        float[] xCol = Scratch.takeAny(map, rows * D), dyCol = Scratch.takeAny(map, rows * D), duCol = Scratch.takeAny(map, rows * D);
        CrossSelectiveScan.rowsColumnMajor(x, batch, height, width, D, xCol);
        CrossSelectiveScan.rowsColumnMajor(dy, batch, height, width, D, dyCol);
        float[][] xs = {x, xCol}, dys = {dy, dyCol}, duSums = {dx, duCol};
        float[][] dDelta = new float[K][];
        for (int k = 0; k < K; k++) dDelta[k] = Scratch.takeAny(map, rows * D);
        float[] dB = new float[dims.projectionSize()], dC = new float[dims.projectionSize()];
        scan(vector, dims, R, xs, dys, CrossSelectiveScan.rankMajor(dtW, D, R), dtBias, A, Ds, kept, duSums, dDelta,
                dB, dC, dA, dDs, dDtBias);

        // per direction: dproj (rows, P) = [dtW[k]ᵀ·dΔ; dB; dC] by pixel row; then the products over rows
        float[] dproj = Scratch.takeAny(small, rows * P), raw = Scratch.takeAny(small, rows * R), dRaw = Scratch.takeAny(small, rows * R);
        float[] dDtWByRank = dDtW == null ? null : new float[R * D];
        for (int k = 0; k < K; k++) {
            int pair = k % 2;
            Gemm.gemm(false, false, rows, R, D, dDelta[k], 0, dtW, k * D * R, dRaw, 0, false);
            projectionGradients(dB, dC, dRaw, kept.proj(pair), dims, k, R, dproj, raw);
            if (dDtW != null) stepWeightGradient(dDelta[k], raw, rows, D, R, dDtW, k * D * R, dDtWByRank);
            if (dXProjW != null) Gemm.gemm(true, false, P, D, rows, dproj, 0, xs[pair], 0, dXProjW, k * P * D, false);
            Gemm.gemm(false, false, rows, D, P, dproj, 0, xProjW, k * P * D, duSums[pair], 0, true);
        }
        addColumnMajorRows(duCol, batch, height, width, D, dx);
        for (float[] a : new float[][] {xCol, dyCol, duCol, dDelta[0], dDelta[1], dDelta[2], dDelta[3]}) Scratch.give(map, a);
        for (float[] a : new float[][] {dproj, raw, dRaw}) Scratch.give(small, a);
    }

    /**
     * The selective scans' backward over the kept x_proj rows and states: du of each pair summed into duSums[pair],
     * dΔ of direction k into dDelta[k] (pixel rows of the pair's order), dB and dC as the op's (B, 4, N, L) in step
     * order, dA, dDs, dDtBias.
     */
    private static void scan(boolean vector, Dims dims, int dtRank, float[][] xs, float[][] dys, float[] dtWByRank, float[] dtBias,
                             float[] A, float[] Ds, Kept kept, float[][] duSums, float[][] dDelta,
                             float[] dB, float[] dC, float[] dA, float[] dDs, float[] dDtBias) {
        int L = dims.length(), KD = dims.channels(), proj = dims.projectionSize();
        int blocks = dims.blocksPerGroup(), batch = dims.batch();
        float[] dBParts = blocks == 1 ? dB : new float[blocks * proj];
        float[] dCParts = blocks == 1 ? dC : new float[blocks * proj];
        float[] dAParts = batch == 1 ? dA : new float[batch * dims.stateMatrixSize()];
        boolean wantD = Ds != null && dDs != null, wantBias = dtBias != null && dDtBias != null;
        float[] dDParts = !wantD ? null : batch == 1 ? dDs : new float[batch * KD];
        float[] dBiasParts = !wantBias ? null : batch == 1 ? dDtBias : new float[batch * KD];
        CrossSelectiveScan.forDirectionTasks(dims, dtRank, A, vector, true, (sb, s) -> {
            int pair = sb.g % 2;
            for (int b = sb.firstItem; b < sb.endItem; b++) {
                sb.moveTo(b);
                SelectiveScanBackward.startSequence(s.w);
                for (int seg = (L + SEGMENT - 1) / SEGMENT - 1; seg >= 0; seg--) {
                    int t0 = seg * SEGMENT, tn = Math.min(SEGMENT, L - t0);
                    s.loadBackward(xs[pair], dys[pair], kept.proj(pair), dtWByRank, dtBias, t0, tn);
                    SelectiveScanBackward.startState(kept.states(), seg, sb, s.w);
                    SelectiveScanBackward.segment(t0, tn, kept.proj(pair), kept.proj(pair), s.rows(), Ds, sb, s.w,
                            dBParts, dCParts, blocks == 1 ? 0 : sb.block * proj);
                    s.storeBackward(tn, t0, duSums[pair], dDelta[sb.g]);
                }
                SelectiveScanBackward.keepSequenceSums(sb, s.w, KD, dAParts, dDParts, dBiasParts);
            }
        });
        if (blocks > 1) {
            SelectiveScanBackward.combineInOrder(dBParts, blocks, dB);
            SelectiveScanBackward.combineInOrder(dCParts, blocks, dC);
        }
        if (batch > 1) {
            SelectiveScanBackward.combineInOrder(dAParts, batch, dA);
            if (wantD) SelectiveScanBackward.combineInOrder(dDParts, batch, dDs);
            if (wantBias) SelectiveScanBackward.combineInOrder(dBiasParts, batch, dDtBias);
        }
    }

    /**
     * ddtW[k] (D, R) at dDtW[at …] = Σ_t dΔ_t ⊗ Δraw_t, computed as its transpose (R, D) = rawᵀ·dΔ into byRank and
     * then put in place: every element is the same fma chain over the rows in ascending order (fma's product does
     * not depend on the order of its factors), but the product's wide side is then D, not R (6 columns at stage 0,
     * an eighth of a 48-column panel): 1.85 -> 0.79 ms at 16384 rows, D = 192.
     */
    private static void stepWeightGradient(float[] dDelta, float[] raw, int rows, int D, int R, float[] dDtW, int at, float[] byRank) {
        Gemm.gemm(true, false, R, D, rows, raw, 0, dDelta, 0, byRank, 0, false);
        for (int d = 0; d < D; d++)
            for (int r = 0; r < R; r++) dDtW[at + d * R + r] = byRank[r * D + d];
    }

    /** Pixel rows per task of {@link #projectionGradients}. */
    private static final int ROWS_PER_TASK = 2048;

    /**
     * Direction k's rows, in the pair's pixel order: dproj[row] = [dRaw[row]; dB; dC at the row's step] (P floats)
     * and raw[row] = Δraw of the row (R floats, from the kept x_proj rows).
     */
    private static void projectionGradients(float[] dB, float[] dC, float[] dRaw, float[] proj, Dims dims, int k, int R,
                                            float[] dproj, float[] raw) {
        int L = dims.length(), N = dims.states(), P = R + 2 * N, rows = dims.batch() * L;
        Parallel.forTasks((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK, task -> {
            for (int row = task * ROWS_PER_TASK, end = Math.min(rows, row + ROWS_PER_TASK); row < end; row++) {
                int b = row / L, r = row % L, t = k < 2 ? r : L - 1 - r;
                System.arraycopy(dRaw, row * R, dproj, row * P, R);
                System.arraycopy(proj, row * 2 * P + k / 2 * P, raw, row * R, R);
                for (int n = 0; n < N; n++) {
                    int from = ((b * K + k) * N + n) * L + t;
                    dproj[row * P + R + n] = dB[from];
                    dproj[row * P + R + N + n] = dC[from];
                }
            }
        });
    }

    /** dx (B, H, W, D) += duCol, whose pixel rows are in column-major order (B, W, H, D). */
    private static void addColumnMajorRows(float[] duCol, int batch, int height, int width, int channels, float[] dx) {
        Parallel.forTasks(batch * height, task -> {
            int b = task / height, h = task % height;
            for (int w = 0; w < width; w++) {
                int to = ((b * height + h) * width + w) * channels, from = ((b * width + w) * height + h) * channels;
                Lanewise.add(duCol, from, dx, to, channels, true);
            }
        });
    }
}
