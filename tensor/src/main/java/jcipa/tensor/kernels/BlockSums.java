package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of 16 floats (a scan block's per-channel terms, {@link ScanBlock#BLOCK} of them) by one fixed pairwise tree:
 * <pre>
 *   y_c = x_c + x_{c+8}  (c &lt; 8),   z_c = y_c + y_{c+4}  (c &lt; 4),   w_c = z_c + z_{c+2}  (c &lt; 2),   sum = w_0 + w_1
 * </pre>
 * The scalar {@link #tree} computes it; {@link #rows} computes it for W rows at once (W = the vector width, 4, 8 or
 * 16 lanes) with the same additions per row, so both give the same bits. The vector form is a "transpose-and-add":
 * each round adds two row vectors' halves (two-source lane selects, as in {@link TileTranspose}) so that a vector
 * holds partial sums of several rows, until one vector holds W rows' sums; at 16 lanes 15 adds, 14 selects, 8 blends
 * and a final lane shuffle per 16 rows (the first round from overlapping loads, see {@link #half}), against the
 * 64 selects of a transpose followed by 16 adds.
 */
final class BlockSums {
    private BlockSums() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int W = F.length();
    /** Floats per row. */
    static final int ROW = 16;
    /** Whether {@link #rows} runs at this width (4, 8 or 16 lanes, SIMD on). */
    static final boolean AVAILABLE = Simd.ENABLED && (W == 4 || W == 8 || W == 16);

    /** A round's two selects, per round r (s = 2^r): {@link TileTranspose}'s, see {@link #rows}. */
    private static final FloatVector[] LO = TileTranspose.LO, HI = TileTranspose.HI;
    /** Which row the vector loaded k-th holds, so that the last round leaves row j's sum in lane j. */
    private static final int[] ROW_OF_SLOT = new int[W];
    /**
     * W = 16 loads row k into slot k instead (pairs of adjacent rows, see {@link #half}), so row k's sum ends in
     * lane ROW_OF_SLOT[k]; this shuffle puts it back in lane k.
     */
    private static final VectorShuffle<Float> ROWS_IN_ORDER;

    static {
        // Follow the slots through the rounds: after round s each aligned 2s-lane group holds p's s sums, then q's.
        int[][] slotOfLane = new int[W][];
        for (int k = 0; k < W; k++) {
            slotOfLane[k] = new int[W];
            java.util.Arrays.fill(slotOfLane[k], k);
        }
        int vectors = W;
        for (int s = W / 2; s >= 1; s /= 2) {
            int[][] next = new int[vectors / 2][];
            for (int v = 0; v < vectors / 2; v++) {
                int[] p = slotOfLane[2 * v], q = slotOfLane[2 * v + 1], out = new int[W];
                for (int j = 0; j < W; j++) out[j] = (j & s) == 0 ? p[j] : q[j - s];
                next[v] = out;
            }
            slotOfLane = next;
            vectors /= 2;
        }
        for (int j = 0; j < W; j++) ROW_OF_SLOT[slotOfLane[0][j]] = j;
        ROWS_IN_ORDER = VectorShuffle.fromArray(F, ROW_OF_SLOT, 0);
    }

    /** Lanes 8 … 15 of a 16-lane vector (W = 16 only). */
    static final VectorMask<Float> UPPER_HALF = W == 16 ? VectorMask.fromLong(F, 0xFF00L) : null;

    /** The tree sum of x[at], …, x[at + 15]. */
    static float tree(float[] x, int at) {
        float y0 = x[at] + x[at + 8], y1 = x[at + 1] + x[at + 9], y2 = x[at + 2] + x[at + 10], y3 = x[at + 3] + x[at + 11];
        float y4 = x[at + 4] + x[at + 12], y5 = x[at + 5] + x[at + 13], y6 = x[at + 6] + x[at + 14], y7 = x[at + 7] + x[at + 15];
        return afterFirstRound(y0, y1, y2, y3, y4, y5, y6, y7);
    }

    /** The tree's rounds after the first, from y_0 … y_7. */
    private static float afterFirstRound(float y0, float y1, float y2, float y3, float y4, float y5, float y6, float y7) {
        float z0 = y0 + y4, z1 = y1 + y5, z2 = y2 + y6, z3 = y3 + y7;
        return (z0 + z2) + (z1 + z3);
    }

    /**
     * Whether the scan may hand its terms over folded ({@link #foldedRows}): 16 lanes, where a row is one vector. A
     * folded pair of rows t, t+1 is one vector holding the tree's first round of each, row t's y_0 … y_7 in lanes 0–7
     * and row t+1's in lanes 8–15, made where the rows are computed by {@code even.blend(odd, upper half) +
     * even.slice(8, odd)} (lane c &lt; 8: x_c + x_{c+8} of row t; lane 8 + c: x_{c+8} + x_c of row t+1, the same
     * sums): half the vectors to store and load, and no first round here.
     */
    static final boolean FOLDS = AVAILABLE && W == 16;

    /** The tree sum of a row from its first round y_0 … y_7 at x[at] … x[at + 7] (a half of a folded pair). */
    static float foldedTree(float[] x, int at) {
        return afterFirstRound(x[at], x[at + 1], x[at + 2], x[at + 3], x[at + 4], x[at + 5], x[at + 6], x[at + 7]);
    }

    /**
     * {@link #rows} of 16 consecutive rows given folded ({@link #FOLDS}): the pairs (0, 1), (2, 3), … as 8 vectors
     * from x[first]. Only when {@link #FOLDS}.
     */
    static void foldedRows(float[] x, int first, float[] out, int o, float[] scratch) {
        half(x, first, 0, scratch, out, o, false, true);
        half(x, first, W / 2, scratch, out, o, true, true);
    }

    /** Floats of the working array {@link #rows} needs (one vector). */
    static final int SCRATCH = W;

    /**
     * out[o + j] = tree(x, first + 16·j) for j &lt; W: the tree sums of W consecutive rows of 16 floats, with {@code scratch}
     * ({@link #SCRATCH} floats, contents irrelevant) between its two halves ({@link #half}). Only when {@link #AVAILABLE}.
     *
     * <p>Each row first folds to W lanes by its own rounds (none at W = 16; y_c = x_c + x_{c+8} at 8;
     * z_c = (x_c + x_{c+8}) + (x_{c+4} + x_{c+12}) at 4); then rounds r = log2(W)−1 … 0 each take the vectors in pairs
     * p, q whose aligned 2s-lane groups hold a row's partial sums (s = 2^r) and leave
     * <pre>
     *   LO[r].selectFrom(p, q) + HI[r].selectFrom(p, q):  lane j = p[j] + p[j+s] where bit s of j is clear, q[j−s] + q[j] where set,
     * </pre>
     * each group's first half p's row summed one level further, its second half q's. The first W/2 rows and the last
     * W/2 rows go through all rounds but the last in a call each, the second also through the last: no helper takes or
     * returns a vector, and no compiled method holds more than ~35 vector operations. All of rows in one unrolled method
     * reached C2's inlining node budget before its last rounds in some JVM runs, which then ran them as boxed
     * fallbacks (tens of GB of vector objects per training step in those runs, none in the others); see
     * docs/DESIGN.md, item 10.
     */
    static void rows(float[] x, int first, float[] out, int o, float[] scratch) {
        half(x, first, 0, scratch, out, o, false, false);
        half(x, first, W / 2, scratch, out, o, true, false);
    }

    /**
     * Rows s … s+W/2−1 through all rounds but the last; the first half's vector goes to scratch, and the call for the
     * second half ({@code last}) takes it back for the last round of both into out[o …]. One method for every width
     * (the branches on the constant W fold away): its bytecode is longer than C2's FreqInlineSize (325 bytes), so it is
     * compiled on its own, about 30 vector operations, and never inlined into the scan's larger loops, where the
     * halves of a split inlined back together reached the inlining node budget as the single method had.
     *
     * <p>At W = 16 row k sits in slot k and the first round of two adjacent rows t, t+1 (32 consecutive floats from
     * x[a]) needs no lane select: with u = x[a …], v = x[a+16 …] (the rows) and m = x[a+8 …] (row t's upper half, then
     * row t+1's lower half), m + (u in lanes 0–7, v in 8–15) is row t's x_c + x_{c+8} in lanes 0–7 and row t+1's in
     * lanes 8–15, what the round's selects make of them; the sums then come out in ROW_OF_SLOT's lanes and one
     * shuffle orders them. At W = 8 and 4 row ROW_OF_SLOT[k] sits in slot k and folds to W lanes first.
     */
    private static void half(float[] x, int first, int s, float[] scratch, float[] out, int o, boolean last, boolean folded) {
        FloatVector mine;
        if (W == 16) {
            FloatVector y0, y1, y2, y3;
            if (folded) {                                   // the pairs' first rounds, made by the caller
                int f = first + s / 2 * ROW;
                y0 = FloatVector.fromArray(F, x, f);
                y1 = FloatVector.fromArray(F, x, f + ROW);
                y2 = FloatVector.fromArray(F, x, f + 2 * ROW);
                y3 = FloatVector.fromArray(F, x, f + 3 * ROW);
            } else {
                VectorMask<Float> upper = UPPER_HALF;
                int a0 = first + s * ROW, a1 = a0 + 2 * ROW, a2 = a1 + 2 * ROW, a3 = a2 + 2 * ROW;
                y0 = FloatVector.fromArray(F, x, a0 + 8).add(FloatVector.fromArray(F, x, a0).blend(FloatVector.fromArray(F, x, a0 + ROW), upper));
                y1 = FloatVector.fromArray(F, x, a1 + 8).add(FloatVector.fromArray(F, x, a1).blend(FloatVector.fromArray(F, x, a1 + ROW), upper));
                y2 = FloatVector.fromArray(F, x, a2 + 8).add(FloatVector.fromArray(F, x, a2).blend(FloatVector.fromArray(F, x, a2 + ROW), upper));
                y3 = FloatVector.fromArray(F, x, a3 + 8).add(FloatVector.fromArray(F, x, a3).blend(FloatVector.fromArray(F, x, a3 + ROW), upper));
            }
            FloatVector b0 = LO[2].selectFrom(y0, y1).add(HI[2].selectFrom(y0, y1));
            FloatVector b1 = LO[2].selectFrom(y2, y3).add(HI[2].selectFrom(y2, y3));
            mine = LO[1].selectFrom(b0, b1).add(HI[1].selectFrom(b0, b1));
        } else if (W == 8) {
            int[] r = ROW_OF_SLOT;
            int at0 = first + r[s] * ROW, at1 = first + r[s + 1] * ROW, at2 = first + r[s + 2] * ROW, at3 = first + r[s + 3] * ROW;
            FloatVector y0 = FloatVector.fromArray(F, x, at0).add(FloatVector.fromArray(F, x, at0 + 8));
            FloatVector y1 = FloatVector.fromArray(F, x, at1).add(FloatVector.fromArray(F, x, at1 + 8));
            FloatVector y2 = FloatVector.fromArray(F, x, at2).add(FloatVector.fromArray(F, x, at2 + 8));
            FloatVector y3 = FloatVector.fromArray(F, x, at3).add(FloatVector.fromArray(F, x, at3 + 8));
            FloatVector a0 = LO[2].selectFrom(y0, y1).add(HI[2].selectFrom(y0, y1));
            FloatVector a1 = LO[2].selectFrom(y2, y3).add(HI[2].selectFrom(y2, y3));
            mine = LO[1].selectFrom(a0, a1).add(HI[1].selectFrom(a0, a1));
        } else {
            int[] r = ROW_OF_SLOT;
            int at0 = first + r[s] * ROW, at1 = first + r[s + 1] * ROW;
            FloatVector z0 = FloatVector.fromArray(F, x, at0).add(FloatVector.fromArray(F, x, at0 + 8))
                    .add(FloatVector.fromArray(F, x, at0 + 4).add(FloatVector.fromArray(F, x, at0 + 12)));
            FloatVector z1 = FloatVector.fromArray(F, x, at1).add(FloatVector.fromArray(F, x, at1 + 8))
                    .add(FloatVector.fromArray(F, x, at1 + 4).add(FloatVector.fromArray(F, x, at1 + 12)));
            mine = LO[1].selectFrom(z0, z1).add(HI[1].selectFrom(z0, z1));
        }
        if (!last) {
            mine.intoArray(scratch, 0);
            return;
        }
        FloatVector p = FloatVector.fromArray(F, scratch, 0);
        FloatVector sums = LO[0].selectFrom(p, mine).add(HI[0].selectFrom(p, mine));
        (W == 16 ? sums.rearrange(ROWS_IN_ORDER) : sums).intoArray(out, o);
    }
}
