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

    /**
     * W = 16: one vector per row; rounds s = 8, 4, 2, 1. The loads are written out here: in a helper returning the
     * vector, C2 declined to inline it ("callee uses too much stack") and every vector of the method went to the heap
     * (tens of GB a training step, the backward's dB, dC sums at the speed of the boxed fallback).
     */
    private static void rows16(float[] x, int first, int stride, float[] out, int o) {
        int[] r = ROW_OF_SLOT;
        FloatVector a0 = halves(FloatVector.fromArray(F, x, first + r[0] * stride), FloatVector.fromArray(F, x, first + r[1] * stride), 3);
        FloatVector a1 = halves(FloatVector.fromArray(F, x, first + r[2] * stride), FloatVector.fromArray(F, x, first + r[3] * stride), 3);
        FloatVector a2 = halves(FloatVector.fromArray(F, x, first + r[4] * stride), FloatVector.fromArray(F, x, first + r[5] * stride), 3);
        FloatVector a3 = halves(FloatVector.fromArray(F, x, first + r[6] * stride), FloatVector.fromArray(F, x, first + r[7] * stride), 3);
        FloatVector a4 = halves(FloatVector.fromArray(F, x, first + r[8] * stride), FloatVector.fromArray(F, x, first + r[9] * stride), 3);
        FloatVector a5 = halves(FloatVector.fromArray(F, x, first + r[10] * stride), FloatVector.fromArray(F, x, first + r[11] * stride), 3);
        FloatVector a6 = halves(FloatVector.fromArray(F, x, first + r[12] * stride), FloatVector.fromArray(F, x, first + r[13] * stride), 3);
        FloatVector a7 = halves(FloatVector.fromArray(F, x, first + r[14] * stride), FloatVector.fromArray(F, x, first + r[15] * stride), 3);
        FloatVector b0 = halves(a0, a1, 2), b1 = halves(a2, a3, 2), b2 = halves(a4, a5, 2), b3 = halves(a6, a7, 2);
        halves(halves(b0, b1, 1), halves(b2, b3, 1), 0).intoArray(out, o);
    }

    /**
     * W = 8: round s = 8 within each row (its two vectors, y_c = x_c + x_{c+8}), then s = 4, 2, 1 across rows; loads
     * written out as in {@link #rows16}.
     */
    private static void rows8(float[] x, int first, int stride, float[] out, int o) {
        int[] r = ROW_OF_SLOT;
        int at0 = first + r[0] * stride;
        int at1 = first + r[1] * stride;
        int at2 = first + r[2] * stride;
        int at3 = first + r[3] * stride;
        int at4 = first + r[4] * stride;
        int at5 = first + r[5] * stride;
        int at6 = first + r[6] * stride;
        int at7 = first + r[7] * stride;
        FloatVector y0 = FloatVector.fromArray(F, x, at0).add(FloatVector.fromArray(F, x, at0 + 8));
        FloatVector y1 = FloatVector.fromArray(F, x, at1).add(FloatVector.fromArray(F, x, at1 + 8));
        FloatVector y2 = FloatVector.fromArray(F, x, at2).add(FloatVector.fromArray(F, x, at2 + 8));
        FloatVector y3 = FloatVector.fromArray(F, x, at3).add(FloatVector.fromArray(F, x, at3 + 8));
        FloatVector y4 = FloatVector.fromArray(F, x, at4).add(FloatVector.fromArray(F, x, at4 + 8));
        FloatVector y5 = FloatVector.fromArray(F, x, at5).add(FloatVector.fromArray(F, x, at5 + 8));
        FloatVector y6 = FloatVector.fromArray(F, x, at6).add(FloatVector.fromArray(F, x, at6 + 8));
        FloatVector y7 = FloatVector.fromArray(F, x, at7).add(FloatVector.fromArray(F, x, at7 + 8));
        FloatVector a0 = halves(y0, y1, 2), a1 = halves(y2, y3, 2), a2 = halves(y4, y5, 2), a3 = halves(y6, y7, 2);
        halves(halves(a0, a1, 1), halves(a2, a3, 1), 0).intoArray(out, o);
    }

    /**
     * W = 4: rounds s = 8, 4 within each row (four vectors: z_c = (x_c + x_{c+8}) + (x_{c+4} + x_{c+12})), then s = 2, 1
     * across rows; loads written out as in {@link #rows16}.
     */
    private static void rows4(float[] x, int first, int stride, float[] out, int o) {
        int[] r = ROW_OF_SLOT;
        int at0 = first + r[0] * stride;
        int at1 = first + r[1] * stride;
        int at2 = first + r[2] * stride;
        int at3 = first + r[3] * stride;
        FloatVector z0 = FloatVector.fromArray(F, x, at0).add(FloatVector.fromArray(F, x, at0 + 8))
                .add(FloatVector.fromArray(F, x, at0 + 4).add(FloatVector.fromArray(F, x, at0 + 12)));
        FloatVector z1 = FloatVector.fromArray(F, x, at1).add(FloatVector.fromArray(F, x, at1 + 8))
                .add(FloatVector.fromArray(F, x, at1 + 4).add(FloatVector.fromArray(F, x, at1 + 12)));
        FloatVector z2 = FloatVector.fromArray(F, x, at2).add(FloatVector.fromArray(F, x, at2 + 8))
                .add(FloatVector.fromArray(F, x, at2 + 4).add(FloatVector.fromArray(F, x, at2 + 12)));
        FloatVector z3 = FloatVector.fromArray(F, x, at3).add(FloatVector.fromArray(F, x, at3 + 8))
                .add(FloatVector.fromArray(F, x, at3 + 4).add(FloatVector.fromArray(F, x, at3 + 12)));
        halves(halves(z0, z1, 1), halves(z2, z3, 1), 0).intoArray(out, o);
    }
}
