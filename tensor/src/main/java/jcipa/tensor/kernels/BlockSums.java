package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of 16 floats (a scan block's per-channel terms, {@link ScanBlock#BLOCK} of them) by one fixed pairwise tree:
 * <pre>
 *   y_c = x_c + x_{c+8}  (c &lt; 8),   z_c = y_c + y_{c+4}  (c &lt; 4),   w_c = z_c + z_{c+2}  (c &lt; 2),   sum = w_0 + w_1
 * </pre>
 * The scalar {@link #tree} computes it; {@link #rows} computes it for W rows at once (W = the vector width, 4, 8 or
 * 16 lanes) with the same additions per row, so both give the same bits. The vector form is a "transpose-and-add":
 * each round adds two row vectors' halves (two-source lane selects, as in {@link TileTranspose}) so that a vector
 * holds partial sums of several rows, until one vector holds W rows' sums; 15 adds and 30 selects per 16 rows,
 * against the 64 selects of a transpose followed by 16 adds.
 */
final class BlockSums {
    private BlockSums() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int W = F.length();
    /** Floats per row. */
    static final int ROW = 16;
    /** Whether {@link #rows} runs at this width (4, 8 or 16 lanes, SIMD on). */
    static final boolean AVAILABLE = Simd.ENABLED && (W == 4 || W == 8 || W == 16);

    /** A round's two selects, per round r (s = 2^r): {@link TileTranspose}'s, see {@link #halves}. */
    private static final FloatVector[] LO = TileTranspose.LO, HI = TileTranspose.HI;
    /** Which row the vector loaded k-th holds, so that the last round leaves row j's sum in lane j. */
    private static final int[] ROW_OF_SLOT = new int[W];

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
    }

    /** The tree sum of x[at], …, x[at + 15]. */
    static float tree(float[] x, int at) {
        float y0 = x[at] + x[at + 8], y1 = x[at + 1] + x[at + 9], y2 = x[at + 2] + x[at + 10], y3 = x[at + 3] + x[at + 11];
        float y4 = x[at + 4] + x[at + 12], y5 = x[at + 5] + x[at + 13], y6 = x[at + 6] + x[at + 14], y7 = x[at + 7] + x[at + 15];
        float z0 = y0 + y4, z1 = y1 + y5, z2 = y2 + y6, z3 = y3 + y7;
        return (z0 + z2) + (z1 + z3);
    }

    /**
     * out[o + j] = tree(x, first + j·stride) for j &lt; W: the tree sums of W rows of 16 floats. Only when
     * {@link #AVAILABLE}.
     */
    static void rows(float[] x, int first, int stride, float[] out, int o) {
        if (W == 16) rows16(x, first, stride, out, o);
        else if (W == 8) rows8(x, first, stride, out, o);
        else rows4(x, first, stride, out, o);
    }

    /**
     * One round on vectors p, q whose aligned 2s-lane groups each hold a row's partial sums (s = 2^r): lane j of the
     * result is p[j] + p[j+s] where bit s of j is clear, q[j−s] + q[j] where it is set. So each group's first half
     * holds p's row summed pairwise one level further, its second half q's.
     */
    private static FloatVector halves(FloatVector p, FloatVector q, int r) {
        return LO[r].selectFrom(p, q).add(HI[r].selectFrom(p, q));
    }

    private static FloatVector row16(float[] x, int first, int stride, int slot) {
        return FloatVector.fromArray(F, x, first + ROW_OF_SLOT[slot] * stride);
    }

    /** W = 16: one vector per row; rounds s = 8, 4, 2, 1. */
    private static void rows16(float[] x, int first, int stride, float[] out, int o) {
        FloatVector a0 = halves(row16(x, first, stride, 0), row16(x, first, stride, 1), 3);
        FloatVector a1 = halves(row16(x, first, stride, 2), row16(x, first, stride, 3), 3);
        FloatVector a2 = halves(row16(x, first, stride, 4), row16(x, first, stride, 5), 3);
        FloatVector a3 = halves(row16(x, first, stride, 6), row16(x, first, stride, 7), 3);
        FloatVector a4 = halves(row16(x, first, stride, 8), row16(x, first, stride, 9), 3);
        FloatVector a5 = halves(row16(x, first, stride, 10), row16(x, first, stride, 11), 3);
        FloatVector a6 = halves(row16(x, first, stride, 12), row16(x, first, stride, 13), 3);
        FloatVector a7 = halves(row16(x, first, stride, 14), row16(x, first, stride, 15), 3);
        FloatVector b0 = halves(a0, a1, 2), b1 = halves(a2, a3, 2), b2 = halves(a4, a5, 2), b3 = halves(a6, a7, 2);
        halves(halves(b0, b1, 1), halves(b2, b3, 1), 0).intoArray(out, o);
    }

    /** A row's y_c = x_c + x_{c+8} when a vector holds 8 lanes: the row's two halves, lane by lane. */
    private static FloatVector firstRound8(float[] x, int first, int stride, int slot) {
        int at = first + ROW_OF_SLOT[slot] * stride;
        return FloatVector.fromArray(F, x, at).add(FloatVector.fromArray(F, x, at + 8));
    }

    /** W = 8: round s = 8 within each row (two vectors), then s = 4, 2, 1 across rows. */
    private static void rows8(float[] x, int first, int stride, float[] out, int o) {
        FloatVector a0 = halves(firstRound8(x, first, stride, 0), firstRound8(x, first, stride, 1), 2);
        FloatVector a1 = halves(firstRound8(x, first, stride, 2), firstRound8(x, first, stride, 3), 2);
        FloatVector a2 = halves(firstRound8(x, first, stride, 4), firstRound8(x, first, stride, 5), 2);
        FloatVector a3 = halves(firstRound8(x, first, stride, 6), firstRound8(x, first, stride, 7), 2);
        halves(halves(a0, a1, 1), halves(a2, a3, 1), 0).intoArray(out, o);
    }

    /** A row's z_c = (x_c + x_{c+8}) + (x_{c+4} + x_{c+12}) when a vector holds 4 lanes. */
    private static FloatVector firstRounds4(float[] x, int first, int stride, int slot) {
        int at = first + ROW_OF_SLOT[slot] * stride;
        FloatVector y0 = FloatVector.fromArray(F, x, at).add(FloatVector.fromArray(F, x, at + 8));
        FloatVector y4 = FloatVector.fromArray(F, x, at + 4).add(FloatVector.fromArray(F, x, at + 12));
        return y0.add(y4);
    }

    /** W = 4: rounds s = 8, 4 within each row (four vectors), then s = 2, 1 across rows. */
    private static void rows4(float[] x, int first, int stride, float[] out, int o) {
        halves(halves(firstRounds4(x, first, stride, 0), firstRounds4(x, first, stride, 1), 1),
                halves(firstRounds4(x, first, stride, 2), firstRounds4(x, first, stride, 3), 1), 0).intoArray(out, o);
    }
}
