package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.ScanBlock.BLOCK;
import static jcipa.tensor.kernels.ScanBlock.SEGMENT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.util.Arrays;
import jcipa.tensor.kernels.ScanBlock.Work;
import jcipa.tensor.kernels.SelectiveScan.Dims;
import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SS2D's scan core in one pass over a channels-last map (inference): CrossScan, x_proj, the four
 * selective scans with their step sizes Δ = dt_projs_weight·Δraw, and CrossMerge, without the
 * (B, 4, D, H·W) copies and transposes the op-by-op path makes. Per direction k and step t, at pixel
 * p = p_k(t) (row-major, column-major, and both reversed: {@link #pixel}):
 * <pre>
 *   [Δraw_t; B_t; C_t] = xProjW[k]·x[b, p]            (R + 2N)
 *   Δ_t     = dtW[k]·Δraw_t                           (D)
 *   y_k,t   = SelectiveScan(u_t = x[b, p]; Δ_t, A_k, B_t, C_t, D_k, Δbias_k)
 *   y[b, p] = (y_0 + y_2) + (y_1 + y_3)               at the pixel's step in each direction
 * </pre>
 * Shapes: x, y (B, H, W, D); xProjW (4, R+2N, D); dtW (4, D, R); dtBias (4·D) or null; A (4·D, N);
 * Ds (4·D) or null.
 *
 * <p><b>Same bits as the op-by-op path</b> ({@code CrossScan}, {@code Gemm} for x_proj and Δ,
 * {@link SelectiveScan}, {@code CrossMerge}): x_proj is a Gemm and Δ the Gemm contract's recurrence
 * (acc = +0, then fma over the inner index ascending), whatever the layout; the scan runs
 * {@link SelectiveScan#recurSegment} itself on the same (t, c) working layout; the skip term is the same
 * fma; the four directions are added in CrossMerge's order. Channels-last is already the (t, c) layout
 * the scan works in, so directions 0 and 2 read u from x and add into y in place. Directions 1 and 3
 * walk the pixels column-major, which in x jumps W·D floats a step, a multiple of 4 KiB that maps every
 * row to the same L1 set: they read a copy of x in column-major blocks of 16 channels and add into a
 * buffer of the same layout, added to y at the end. x_proj's output rows are put in step order too.
 *
 * <p>One task is one block of 16 channels and one pair of directions (0 and 2, or 1 and 3) for a part of
 * the batch ({@link ScanBlock}'s cut); the reversed direction of a pair runs after the other and adds,
 * so no (4, B, H·W, D) array is made and the bits do not depend on the thread count or the vector
 * width.
 */
public final class CrossSelectiveScan {
    private CrossSelectiveScan() {}

    private static final VectorSpecies<Float> F = Simd.F;

    /** The scan directions of SS2D. */
    public static final int DIRECTIONS = 4;

    /** y (B, H, W, D) from x (B, H, W, D); see the class comment. */
    public static void forward(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                               int batch, int height, int width, int channels, int dtRank, int states, float[] outY) {
        forward(Simd.ENABLED, x, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, outY, false);
    }

    /**
     * What the forward keeps for {@link #backward}: x_proj's output of both direction pairs ((B·L, 2P) each, rows in
     * the pair's step order: row-major pixels for directions 0 and 2, column-major for 1 and 3) and the states at
     * every segment start ({@link SelectiveScan.States} of the dims (B, 4, D, L, N); null for one segment).
     */
    public record Kept(float[] projRowMajor, float[] projColumnMajor, SelectiveScan.States states) {
        float[] proj(int pair) { return pair == 0 ? projRowMajor : projColumnMajor; }
    }

    /** {@link #forward(float[], float[], float[], float[], float[], float[], int, int, int, int, int, int, float[])}, also keeping what {@link #backward} needs. */
    public static Kept forwardKeeping(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                      int batch, int height, int width, int channels, int dtRank, int states, float[] outY) {
        return forward(Simd.ENABLED, x, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, outY, true);
    }

    /**
     * The gradients of y = forward(x; xProjW, dtW, dtBias, A, Ds) from dy (B, H, W, D): dx (written), and dXProjW
     * (4, P, D), dDtW (4, D, R), dDtBias (4·D), dA (4·D, N), dDs (4·D) (written; a null one is not computed where it
     * can be skipped); see {@link CrossSelectiveScanBackward}.
     */
    public static void backward(float[] x, float[] dy, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                int batch, int height, int width, int channels, int dtRank, int states, Kept kept,
                                float[] dx, float[] dXProjW, float[] dDtW, float[] dDtBias, float[] dA, float[] dDs) {
        CrossSelectiveScanBackward.run(Simd.ENABLED, x, dy, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank,
                states, kept, dx, dXProjW, dDtW, dDtBias, dA, dDs);
    }

    /** The forward with the vector path on or off (package-visible so tests can compare the paths); with {@code keep}, what the backward needs. */
    static Kept forward(boolean vector, float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                        int batch, int height, int width, int channels, int dtRank, int states, float[] outY, boolean keep) {
        if (height < 1 || width < 1 || dtRank < 1)
            throw new IllegalArgumentException("CrossSelectiveScan: height " + height + ", width " + width + " and dt rank " + dtRank + " must be positive");
        Dims dims = new Dims(batch, DIRECTIONS, channels, height * width, states);
        int L = dims.length(), P = dtRank + 2 * states;
        if ((long) batch * L * 2 * P > Integer.MAX_VALUE)
            throw new IllegalArgumentException("CrossSelectiveScan: arrays too large for " + dims);
        dims.checkLength("crossForward", "x", x, dims.sequenceSize() / DIRECTIONS);
        dims.checkLength("crossForward", "y", outY, dims.sequenceSize() / DIRECTIONS);
        dims.checkLength("crossForward", "xProjW", xProjW, DIRECTIONS * P * channels);
        dims.checkLength("crossForward", "dtW", dtW, DIRECTIONS * channels * dtRank);
        dims.checkLength("crossForward", "A", A, dims.stateMatrixSize());
        if (dtBias != null) dims.checkLength("crossForward", "dtBias", dtBias, dims.channels());
        if (Ds != null) dims.checkLength("crossForward", "Ds", Ds, dims.channels());
        float[] dtWByRank = rankMajor(dtW, channels, dtRank);
        int blocks = dims.blocksPerGroup();
        // x_proj of every pixel, (B·L, [P of direction k; P of k + 2]) for the pairs k = 0, 1, rows in step order
        float[] pairW = pairWeights(xProjW, P * channels);
        // (working arrays from Scratch: every element the scan reads is written first in this call)
        String map = batch + "x" + height + "x" + width + "x" + channels, shape = map + ":" + P;
        int projSize = batch * L * 2 * P, colSize = batch * ((channels + BLOCK - 1) / BLOCK) * L * BLOCK;
        float[] rowMajor = Scratch.takeAny("xproj " + shape, projSize);
        float[][] proj = {Scratch.takeAny("xproj " + shape, projSize), Scratch.takeAny("xproj " + shape, projSize)};
        Gemm.gemm(false, true, batch * L, 2 * P, channels, x, 0, pairW, 0, proj[0], 0, false);
        Gemm.gemm(false, true, batch * L, 2 * P, channels, x, 0, pairW, 2 * P * channels, rowMajor, 0, false);
        rowsColumnMajor(rowMajor, batch, height, width, 2 * P, proj[1]);
        Scratch.give("xproj " + shape, rowMajor);
        // directions 1 and 3 read u from a column-major blocked copy (B, block, L, 16) and add y_1 + y_3 into
        // one in the same layout; 0 and 2 read x and add y_0 + y_2 into y in place (lanes past D in the
        // last block are neither written nor read)
        SelectiveScan.States kept = keep && SelectiveScan.States.segments(dims) > 1
                ? new SelectiveScan.States(dims, new float[SelectiveScan.States.size(dims)]) : null;
        float[] xCol = Scratch.takeAny("xcol " + map, colSize), yCol = Scratch.takeAny("ycol " + map, colSize);
        columnMajorBlocks(x, batch, height, width, channels, xCol);
        forDirectionTasks(dims, dtRank, A, vector, false, (sb, s) -> {
            int pair = sb.g % 2;
            for (int b = sb.firstItem; b < sb.endItem; b++) {
                sb.moveTo(b);
                Arrays.fill(s.w.h, 0f);                                     // h_{−1} = 0 for every sequence
                for (int t0 = 0; t0 < L; t0 += SEGMENT) {
                    if (kept != null && t0 > 0)
                        System.arraycopy(s.w.h, 0, kept.h(), SelectiveScan.States.offset(sb, t0 / SEGMENT), states * BLOCK);
                    int tn = Math.min(SEGMENT, L - t0);
                    s.load(pair == 0 ? x : xCol, proj[pair], dtWByRank, dtBias, t0, tn);
                    Arrays.fill(s.w.y, 0, tn * BLOCK, 0f);
                    SelectiveScan.recurSegment(tn, s.w.rows, 1, proj[pair], proj[pair], states, sb, s.w);
                    s.store(Ds, tn, t0, pair == 0 ? outY : yCol);
                }
            }
        });
        addColumnMajor(yCol, batch, height, width, channels, outY);
        Scratch.give("xcol " + map, xCol);
        Scratch.give("ycol " + map, yCol);
        if (keep) return new Kept(proj[0], proj[1], kept);
        Scratch.give("xproj " + shape, proj[0]);
        Scratch.give("xproj " + shape, proj[1]);
        return null;
    }

    /** What a task does for one direction: sb (direction sb.g, channel block sb.block, A loaded) with its working set s. */
    interface DirectionTask {
        void run(ScanBlock sb, Segment s);
    }

    /**
     * The fused scan's tasks (forward and backward alike): a block of channels and a pair of directions (0 and 2, or
     * 1 and 3) for a part of the batch ({@link ScanBlock}'s cut), the reversed direction after the other, each with
     * A loaded into a Segment's Work, given back after.
     */
    static void forDirectionTasks(Dims dims, int dtRank, float[] A, boolean vector, boolean backward, DirectionTask body) {
        int blocks = dims.blocksPerGroup();
        Parallel.forTasks(ScanBlock.taskCount(dims) / 2, task -> {
            int part = task / (2 * blocks), pair = task / blocks % 2, block = task % blocks;
            for (int k = pair; k < DIRECTIONS; k += 2) {
                ScanBlock sb = new ScanBlock(dims, (part * DIRECTIONS + k) * blocks + block, vector);
                Segment s = new Segment(sb, dtRank, block, backward);
                sb.loadA(A, s.w);
                body.run(sb, s);
                s.w.give();
            }
        });
    }

    /** y (B, H, W, D) += yCol at each pixel: (y_0 + y_2) + (y_1 + y_3), CrossMerge's last add, from the blocked column-major sum. */
    private static void addColumnMajor(float[] yCol, int batch, int height, int width, int channels, float[] y) {
        int L = height * width, blocks = (channels + BLOCK - 1) / BLOCK;
        boolean vector = Simd.ENABLED && F.length() <= BLOCK;
        Parallel.forTasks(batch * height, task -> {
            int b = task / height, h = task % height;
            for (int w = 0; w < width; w++) {
                int p = h * width + w, out = (b * L + p) * channels;
                for (int j = 0; j < blocks; j++) {
                    int col = ((b * blocks + j) * L + w * height + h) * BLOCK, o = out + j * BLOCK;
                    int count = Math.min(BLOCK, channels - j * BLOCK), c = 0;
                    for (int end = vector ? F.loopBound(count) : 0; c < end; c += F.length())
                        FloatVector.fromArray(F, y, o + c).add(FloatVector.fromArray(F, yCol, col + c)).intoArray(y, o + c);
                    for (; c < count; c++) y[o + c] = y[o + c] + yCol[col + c];
                }
            }
        });
    }

    /** xProjW (4, P, D) → (2, 2P, D): the weights of directions 0 and 2, then of 1 and 3 (each {@code size} floats). */
    private static float[] pairWeights(float[] xProjW, int size) {
        float[] w = new float[xProjW.length];
        for (int k = 0; k < DIRECTIONS; k++) System.arraycopy(xProjW, k * size, w, (k % 2 * 2 + k / 2) * size, size);
        return w;
    }

    /** Rows of {@code width} floats per pixel, (B, H, W, ·) → t (B, W, H, ·): the column-major step order. */
    static void rowsColumnMajor(float[] a, int batch, int height, int width, int rowWidth, float[] t) {
        Parallel.forTasks(batch * width, task -> {
            int b = task / width, w = task % width;
            for (int h = 0; h < height; h++)
                System.arraycopy(a, ((b * height + h) * width + w) * rowWidth, t, ((b * width + w) * height + h) * rowWidth, rowWidth);
        });
    }

    /**
     * x (B, H, W, D) → out (B, ⌈D/16⌉, L, 16), steps in column-major pixel order (lanes past D untouched): a task's
     * 16 channels over the column-major walk are then one contiguous run (reading them from x would jump
     * W·D floats a step, a multiple of 4 KiB that maps every row to the same L1 set).
     */
    private static void columnMajorBlocks(float[] x, int batch, int height, int width, int channels, float[] out) {
        int L = height * width, blocks = (channels + BLOCK - 1) / BLOCK;
        Parallel.forTasks(batch * blocks, task -> {
            int b = task / blocks, j = task % blocks, count = Math.min(BLOCK, channels - j * BLOCK);
            for (int t = 0; t < L; t++) {
                int p = pixel(1, t, height, width);
                System.arraycopy(x, (b * L + p) * channels + j * BLOCK, out, ((b * blocks + j) * L + t) * BLOCK, count);
            }
        });
    }

    /** Pixel (h·W + w) that step t of direction k visits: row-major, column-major, then each reversed. */
    static int pixel(int k, int t, int height, int width) {
        int L = height * width;
        int s = k < 2 ? t : L - 1 - t;
        return k % 2 == 0 ? s : s % height * width + s / height;
    }

    /** dtW (4, D, R) → (4, R, D): a vector then holds one rank's weights for consecutive channels. */
    static float[] rankMajor(float[] dtW, int channels, int dtRank) {
        // in register tiles: a channel at a time wrote R floats D apart (at D = 1536, R = 48, 1.5 ms a call)
        float[] t = new float[dtW.length];
        for (int k = 0; k < DIRECTIONS; k++) TileTranspose.plane(dtW, k * channels * dtRank, channels, dtRank, t, k * channels * dtRank);
        return t;
    }

    /**
     * One direction's working set for a task: the scan's Work and u of a segment. The forward reads directions 1
     * and 3 from column-major blocks; the backward from maps whose pixel rows are in column-major order.
     */
    static final class Segment {
        final ScanBlock k;
        final Work w;
        final float[] u;                                   // (t, c): the segment's u, in the Work (kept between tasks)
        final int R, P, localChannel, block;
        private final boolean blocked;

        Segment(ScanBlock k, int dtRank, int block, boolean backward) {
            this.k = k;
            this.w = Work.take(k, backward);
            this.u = backward ? w.u : w.crossU;
            this.R = dtRank;
            this.P = dtRank + 2 * k.N;
            this.localChannel = k.firstChannel - k.g * k.dims.channelsPerGroup();
            this.block = block;
            this.blocked = !backward;
        }

        /** Start of step t's 16 floats in a blocked (B, block, L, 16) array. */
        private int blockedRow(int t) { return ((k.b * k.dims.blocksPerGroup() + block) * k.L + step(t)) * BLOCK; }

        /**
         * Where step t's channels start in u's source and y's target: x and y (B, H, W, D) for directions 0, 2; for 1, 3
         * the blocked copies (forward) or maps of pixel rows in column-major order (backward).
         */
        private int row(int t) {
            return k.g % 2 == 0 || !blocked ? (k.b * k.L + step(t)) * k.dims.channelsPerGroup() + localChannel : blockedRow(t);
        }

        /** Row of step t (from the batch item's first row) in a source in this direction's scan order: t, or L−1−t reversed. */
        private int step(int t) { return k.g < 2 ? t : k.L - 1 - t; }

        /** +1 for the forward directions, −1 for the reversed ones: how {@link #step} moves per step. */
        private int direction() { return k.g < 2 ? 1 : -1; }

        /** How far {@link #row} moves per step: a pixel of x or y (D floats), or a row of the blocked copies. */
        private int rowStride() { return direction() * (k.g % 2 == 0 || !blocked ? k.dims.channelsPerGroup() : BLOCK); }

        /**
         * For t0 ≤ t < t0+tn: where B_t starts in the pair's x_proj output (B·L, 2P) (w.rows), u (from x, or
         * its column-major blocks for directions 1, 3), and δ_t, δ_t·u_t as (t, c) in w.
         */
        void load(float[] x, float[] proj, float[] dtWByRank, float[] dtBias, int t0, int tn) {
            setRows(t0, tn);
            copySteps(x, row(t0), rowStride(), tn, u);
            projectSteps(proj, dtWByRank, dtBias, tn);
            setModerate(Math.max(softplusVector(tn), softplusScalar(tn)));
        }

        /**
         * The backward's segment: {@link #load} (u from x, δ, δ·u), dy from dy, and softplus′(x_t) = x_t ≤ 20 ? σ(x_t) : 1
         * of x_t = Δ_t + Δbias into w.softplusSlope, all as (t, c).
         */
        void loadBackward(float[] x, float[] dy, float[] proj, float[] dtWByRank, float[] dtBias, int t0, int tn) {
            setRows(t0, tn);
            copySteps(x, row(t0), rowStride(), tn, u);
            copySteps(dy, row(t0), rowStride(), tn, w.dy);
            projectSteps(proj, dtWByRank, dtBias, tn);
            slopeVector(tn);
            slopeScalar(tn);
            setModerate(Math.max(softplusVector(tn), softplusScalar(tn)));
        }

        /** Where step t's B_t starts in the pair's x_proj output (B·L, 2P), into w.rows; w.rows[0] is {@link #rows}' B. */
        private void setRows(int t0, int tn) {
            int projRow = (k.b * k.L + step(t0)) * 2 * P + k.g / 2 * P + R, stride = projStride();
            for (int tl = 0; tl < tn; tl++) w.rows[tl] = projRow + tl * stride;
        }

        /** How far step t's x_proj row moves per step. */
        private int projStride() { return direction() * 2 * P; }

        /** B_t and C_t of the loaded segment for {@link SelectiveScanBackward#segment}: state stride 1, step stride ±2P. */
        SelectiveScanBackward.Rows rows() {
            return new SelectiveScanBackward.Rows(w.rows[0], w.rows[0] + k.N, 1, projStride());
        }

        /** Whether every δ·a of the loaded segment lies in exp's moderate range, from max |δ|. */
        private void setModerate(float absMax) {
            // |fl(δ·a)| ≤ fl(max|δ|·max|a|) (rounding is monotone); NaN or ∞ fails the test
            w.moderate = absMax * w.aAbsMax <= VMath.MODERATE_ARG;
        }

        /** to (t, c) = the block's channels of tn steps from a map, step tl at {@code from + tl·stride}. */
        private void copySteps(float[] from, int first, int stride, int tn, float[] to) {
            for (int c = 0; c < k.vectorEnd; c += F.length())
                for (int tl = 0; tl < tn; tl++) FloatVector.fromArray(F, from, first + tl * stride + c).intoArray(to, tl * BLOCK + c);
            for (int c = k.vectorEnd; c < k.count; c++)
                for (int tl = 0; tl < tn; tl++) to[tl * BLOCK + c] = from[first + tl * stride + c];
        }

        /** softplus′ of x = w.delta (before {@link #softplusVector} replaces it by δ) on the vector lanes: σ(x), 1 above 20. */
        private void slopeVector(int tn) {
            for (int tl = 0; tl < tn; tl++) {
                for (int c = 0, i = tl * BLOCK; c < k.vectorEnd; c += F.length()) {
                    FloatVector x = FloatVector.fromArray(F, w.delta, i + c);
                    VMath.sigmoid(x).blend(1f, x.compare(LE, 20f).not()).intoArray(w.softplusSlope, i + c);
                }
            }
        }

        /** {@link #slopeVector} for the channels past the vector lanes. */
        private void slopeScalar(int tn) {
            for (int tl = 0; tl < tn; tl++) {
                for (int c = k.vectorEnd, i = tl * BLOCK; c < k.count; c++) {
                    float x = w.delta[i + c];
                    w.softplusSlope[i + c] = x <= 20f ? FMath.sigmoid(x) : 1f;
                }
            }
        }

        /**
         * The backward's outputs of the segment: du (t, c) into the pair's sum of du over pixel rows (direction 0 or 1
         * writes, the reversed one, which comes after, adds) and dΔ (t, c) into this direction's map of pixel rows.
         */
        void storeBackward(int tn, int t0, float[] duSum, float[] dDelta) {
            int first = row(t0), stride = rowStride();
            boolean add = k.g >= 2;
            for (int c = 0; c < k.vectorEnd; c += F.length()) {
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, out = first + tl * stride + c;
                    FloatVector v = FloatVector.fromArray(F, w.du, i);
                    if (add) v = FloatVector.fromArray(F, duSum, out).add(v);
                    v.intoArray(duSum, out);
                    FloatVector.fromArray(F, w.dDelta, i).intoArray(dDelta, out);
                }
            }
            for (int c = k.vectorEnd; c < k.count; c++) {
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, out = first + tl * stride + c;
                    duSum[out] = add ? duSum[out] + w.du[i] : w.du[i];
                    dDelta[out] = w.dDelta[i];
                }
            }
        }

        /** w.delta (t, c) = Σ_r dtW[r]·Δraw_t[r] + Δbias: the Gemm recurrence (acc = +0, fma over r ascending), then the bias. */
        private void projectSteps(float[] proj, float[] dtWByRank, float[] dtBias, int tn) {
            int tl = 0;
            if (k.vectorEnd > 0) {
                for (; tl + 4 <= tn; tl += 4) projectFourSteps(proj, dtWByRank, dtBias, tl);
                for (; tl < tn; tl++) projectOneStep(proj, dtWByRank, dtBias, tl);
            }
            for (tl = 0; tl < tn; tl++) scalarSteps(proj, dtWByRank, dtBias, tl);      // lanes past the vector ones
        }

        /** Step tl of {@link #projectSteps} on the vector lanes. */
        private void projectOneStep(float[] proj, float[] dtWByRank, float[] dtBias, int tl) {
            int D = k.dims.channelsPerGroup(), wRow = k.g * R * D + localChannel, raw = w.rows[tl] - R;
            for (int c = 0; c < k.vectorEnd; c += F.length()) {
                FloatVector delta = FloatVector.zero(F);
                for (int r = 0; r < R; r++)
                    delta = FloatVector.fromArray(F, dtWByRank, wRow + r * D + c).fma(FloatVector.broadcast(F, proj[raw + r]), delta);
                if (dtBias != null) delta = delta.add(FloatVector.fromArray(F, dtBias, k.firstChannel + c));
                delta.intoArray(w.delta, tl * BLOCK + c);
            }
        }

        /** Steps tl..tl+3 of {@link #projectSteps} on the vector lanes: each weight vector is loaded once for the four. */
        private void projectFourSteps(float[] proj, float[] dtWByRank, float[] dtBias, int tl) {
            int D = k.dims.channelsPerGroup(), wRow = k.g * R * D + localChannel;
            int raw0 = w.rows[tl] - R, raw1 = w.rows[tl + 1] - R, raw2 = w.rows[tl + 2] - R, raw3 = w.rows[tl + 3] - R;
            for (int c = 0; c < k.vectorEnd; c += F.length()) {
                FloatVector d0 = FloatVector.zero(F), d1 = d0, d2 = d0, d3 = d0;
                for (int r = 0; r < R; r++) {
                    FloatVector wr = FloatVector.fromArray(F, dtWByRank, wRow + r * D + c);
                    d0 = wr.fma(FloatVector.broadcast(F, proj[raw0 + r]), d0);
                    d1 = wr.fma(FloatVector.broadcast(F, proj[raw1 + r]), d1);
                    d2 = wr.fma(FloatVector.broadcast(F, proj[raw2 + r]), d2);
                    d3 = wr.fma(FloatVector.broadcast(F, proj[raw3 + r]), d3);
                }
                if (dtBias != null) {
                    FloatVector b = FloatVector.fromArray(F, dtBias, k.firstChannel + c);
                    d0 = d0.add(b); d1 = d1.add(b); d2 = d2.add(b); d3 = d3.add(b);
                }
                int i = tl * BLOCK + c;
                d0.intoArray(w.delta, i);
                d1.intoArray(w.delta, i + BLOCK);
                d2.intoArray(w.delta, i + 2 * BLOCK);
                d3.intoArray(w.delta, i + 3 * BLOCK);
            }
        }

        /** Step tl of {@link #projectSteps} on the channels past the vector lanes (all of them on the scalar path). */
        private void scalarSteps(float[] proj, float[] dtWByRank, float[] dtBias, int tl) {
            int D = k.dims.channelsPerGroup(), wRow = k.g * R * D + localChannel, i = tl * BLOCK, raw = w.rows[tl] - R;
            for (int c = k.vectorEnd; c < k.count; c++) {
                float delta = 0f;
                for (int r = 0; r < R; r++) delta = Math.fma(dtWByRank[wRow + r * D + c], proj[raw + r], delta);
                w.delta[i + c] = dtBias != null ? delta + dtBias[k.firstChannel + c] : delta;
            }
        }

        /** δ = softplus(w.delta), δ·u in place over the vector lanes of tn steps; returns max|δ| over them. */
        private float softplusVector(int tn) {
            if (k.vectorEnd == 0) return 0f;
            FloatVector max = FloatVector.zero(F);
            for (int tl = 0; tl < tn; tl++) {
                for (int c = 0, i = tl * BLOCK; c < k.vectorEnd; c += F.length()) {
                    FloatVector d = ScanBlock.softplus(FloatVector.fromArray(F, w.delta, i + c));
                    d.intoArray(w.delta, i + c);
                    d.mul(FloatVector.fromArray(F, u, i + c)).intoArray(w.deltaU, i + c);
                    max = max.max(d.abs());
                }
            }
            return max.reduceLanes(MAX);
        }

        /** {@link #softplusVector} for the channels past the vector lanes (all of them on the scalar path). */
        private float softplusScalar(int tn) {
            float absMax = 0f;
            for (int tl = 0; tl < tn; tl++) {
                for (int c = k.vectorEnd, i = tl * BLOCK; c < k.count; c++) {
                    float d = FMath.softplus(w.delta[i + c]);
                    w.delta[i + c] = d;
                    w.deltaU[i + c] = d * u[i + c];
                    absMax = Math.max(absMax, Math.abs(d));
                }
            }
            return absMax;
        }

        /**
         * y_k,t = Σ_n C_t[n]·h_t[n] + D·u_t of the segment into the pair's sum (y for directions 0, 2, the
         * column-major blocks for 1, 3): directions 0 and 1 write, 2 and 3 (the reversed ones, which come
         * after) add, so that it holds y_0 + y_2 (y_1 + y_3).
         */
        void store(float[] Ds, int tn, int t0, float[] dst) {
            int first = row(t0), stride = rowStride();
            boolean add = k.g >= 2;
            for (int c = 0; c < k.vectorEnd; c += F.length()) {
                FloatVector d = Ds == null ? FloatVector.zero(F) : FloatVector.fromArray(F, Ds, k.firstChannel + c);
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, out = first + tl * stride + c;
                    FloatVector v = FloatVector.fromArray(F, w.y, i);
                    if (Ds != null) v = d.fma(FloatVector.fromArray(F, u, i), v);
                    if (add) v = FloatVector.fromArray(F, dst, out).add(v);
                    v.intoArray(dst, out);
                }
            }
            for (int c = k.vectorEnd; c < k.count; c++) {
                for (int tl = 0; tl < tn; tl++) {
                    int i = tl * BLOCK + c, out = first + tl * stride + c;
                    float v = Ds == null ? w.y[i] : Math.fma(Ds[k.firstChannel + c], u[i], w.y[i]);
                    dst[out] = add ? dst[out] + v : v;
                }
            }
        }
    }
}
