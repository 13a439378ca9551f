package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes W×W float tiles in registers, W = {@link Simd#F}'s lane count: dst[j][i] = src[i][j].
 *
 * <p>Rounds s = 1, 2, 4, …, W/2 each swap the off-diagonal s×s blocks of every 2s×2s block: rows i and i+s
 * (i with bit s clear) become
 * <pre>
 *   lo[j] = bit s of j clear ? row_i[j]     : row_{i+s}[j − s]
 *   hi[j] = bit s of j clear ? row_i[j + s] : row_{i+s}[j]
 * </pre>
 * each one two-source lane select ({@code selectFrom(a, b)}: index k &lt; W takes a[k], else b[k − W]). A
 * transpose only moves values, so it gives the same bits as the scalar double loop it replaces.
 */
public final class TileTranspose {
    private TileTranspose() {}

    private static final VectorSpecies<Float> F = Simd.F;
    /** W. */
    public static final int W = F.length();
    private static final int ROUNDS = Integer.numberOfTrailingZeros(W);
    /** Lane indexes (as floats) of lo and hi, per round (also {@link BlockSums}' selects). */
    static final FloatVector[] LO = new FloatVector[ROUNDS], HI = new FloatVector[ROUNDS];

    static {
        for (int r = 0; r < ROUNDS; r++) {
            int s = 1 << r;
            float[] lo = new float[W], hi = new float[W];
            for (int j = 0; j < W; j++) {
                boolean first = (j & s) == 0;
                lo[j] = first ? j : W + j - s;
                hi[j] = first ? j + s : W + j;
            }
            LO[r] = FloatVector.fromArray(F, lo, 0);
            HI[r] = FloatVector.fromArray(F, hi, 0);
        }
    }

    /** Whether this JVM's width has a register transpose (4, 8 or 16 lanes, SIMD on); else callers loop in scalar. */
    public static final boolean AVAILABLE = Simd.ENABLED && (W == 4 || W == 8 || W == 16);

    /** dst[d0 + j·ds + i] = src[so + i·ss + j] for i, j &lt; W. Only when {@link #AVAILABLE}. */
    public static void transpose(float[] src, int so, int ss, float[] dst, int d0, int ds) {
        if (W == 16) transpose16(src, so, ss, dst, d0, ds);
        else if (W == 8) transpose8(src, so, ss, dst, d0, ds);
        else transpose4(src, so, ss, dst, d0, ds);
    }

    /**
     * dst[d + j·rows + i] = src[s + i·cols + j]: a rows × cols plane to cols × rows, in W×W tiles in registers where
     * {@link #AVAILABLE} (the rest, and everything otherwise, one float at a time).
     */
    public static void plane(float[] src, int s, int rows, int cols, float[] dst, int d) {
        int rEnd = AVAILABLE ? rows / W * W : 0, cEnd = AVAILABLE ? cols / W * W : 0;
        for (int i = 0; i < rEnd; i += W)
            for (int j = 0; j < cEnd; j += W) transpose(src, s + i * cols + j, cols, dst, d + j * rows + i, rows);
        for (int i = 0; i < rows; i++)
            for (int j = i < rEnd ? cEnd : 0; j < cols; j++) dst[d + j * rows + i] = src[s + i * cols + j];
    }

    /** {@link #transpose} for W = 16: the rows live in locals (an array of vectors would put them on the heap). */
    private static void transpose16(float[] src, int so, int ss, float[] dst, int d0, int ds) {
        FloatVector r0 = FloatVector.fromArray(F, src, so);
        FloatVector r1 = FloatVector.fromArray(F, src, so + 1 * ss);
        FloatVector r2 = FloatVector.fromArray(F, src, so + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(F, src, so + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(F, src, so + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(F, src, so + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(F, src, so + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(F, src, so + 7 * ss);
        FloatVector r8 = FloatVector.fromArray(F, src, so + 8 * ss);
        FloatVector r9 = FloatVector.fromArray(F, src, so + 9 * ss);
        FloatVector r10 = FloatVector.fromArray(F, src, so + 10 * ss);
        FloatVector r11 = FloatVector.fromArray(F, src, so + 11 * ss);
        FloatVector r12 = FloatVector.fromArray(F, src, so + 12 * ss);
        FloatVector r13 = FloatVector.fromArray(F, src, so + 13 * ss);
        FloatVector r14 = FloatVector.fromArray(F, src, so + 14 * ss);
        FloatVector r15 = FloatVector.fromArray(F, src, so + 15 * ss);
        FloatVector t;
        // s = 1
        t = LO[0].selectFrom(r0, r1); r1 = HI[0].selectFrom(r0, r1); r0 = t;
        t = LO[0].selectFrom(r2, r3); r3 = HI[0].selectFrom(r2, r3); r2 = t;
        t = LO[0].selectFrom(r4, r5); r5 = HI[0].selectFrom(r4, r5); r4 = t;
        t = LO[0].selectFrom(r6, r7); r7 = HI[0].selectFrom(r6, r7); r6 = t;
        t = LO[0].selectFrom(r8, r9); r9 = HI[0].selectFrom(r8, r9); r8 = t;
        t = LO[0].selectFrom(r10, r11); r11 = HI[0].selectFrom(r10, r11); r10 = t;
        t = LO[0].selectFrom(r12, r13); r13 = HI[0].selectFrom(r12, r13); r12 = t;
        t = LO[0].selectFrom(r14, r15); r15 = HI[0].selectFrom(r14, r15); r14 = t;
        // s = 2
        t = LO[1].selectFrom(r0, r2); r2 = HI[1].selectFrom(r0, r2); r0 = t;
        t = LO[1].selectFrom(r1, r3); r3 = HI[1].selectFrom(r1, r3); r1 = t;
        t = LO[1].selectFrom(r4, r6); r6 = HI[1].selectFrom(r4, r6); r4 = t;
        t = LO[1].selectFrom(r5, r7); r7 = HI[1].selectFrom(r5, r7); r5 = t;
        t = LO[1].selectFrom(r8, r10); r10 = HI[1].selectFrom(r8, r10); r8 = t;
        t = LO[1].selectFrom(r9, r11); r11 = HI[1].selectFrom(r9, r11); r9 = t;
        t = LO[1].selectFrom(r12, r14); r14 = HI[1].selectFrom(r12, r14); r12 = t;
        t = LO[1].selectFrom(r13, r15); r15 = HI[1].selectFrom(r13, r15); r13 = t;
        // s = 4
        t = LO[2].selectFrom(r0, r4); r4 = HI[2].selectFrom(r0, r4); r0 = t;
        t = LO[2].selectFrom(r1, r5); r5 = HI[2].selectFrom(r1, r5); r1 = t;
        t = LO[2].selectFrom(r2, r6); r6 = HI[2].selectFrom(r2, r6); r2 = t;
        t = LO[2].selectFrom(r3, r7); r7 = HI[2].selectFrom(r3, r7); r3 = t;
        t = LO[2].selectFrom(r8, r12); r12 = HI[2].selectFrom(r8, r12); r8 = t;
        t = LO[2].selectFrom(r9, r13); r13 = HI[2].selectFrom(r9, r13); r9 = t;
        t = LO[2].selectFrom(r10, r14); r14 = HI[2].selectFrom(r10, r14); r10 = t;
        t = LO[2].selectFrom(r11, r15); r15 = HI[2].selectFrom(r11, r15); r11 = t;
        // s = 8
        t = LO[3].selectFrom(r0, r8); r8 = HI[3].selectFrom(r0, r8); r0 = t;
        t = LO[3].selectFrom(r1, r9); r9 = HI[3].selectFrom(r1, r9); r1 = t;
        t = LO[3].selectFrom(r2, r10); r10 = HI[3].selectFrom(r2, r10); r2 = t;
        t = LO[3].selectFrom(r3, r11); r11 = HI[3].selectFrom(r3, r11); r3 = t;
        t = LO[3].selectFrom(r4, r12); r12 = HI[3].selectFrom(r4, r12); r4 = t;
        t = LO[3].selectFrom(r5, r13); r13 = HI[3].selectFrom(r5, r13); r5 = t;
        t = LO[3].selectFrom(r6, r14); r14 = HI[3].selectFrom(r6, r14); r6 = t;
        t = LO[3].selectFrom(r7, r15); r15 = HI[3].selectFrom(r7, r15); r7 = t;
        r0.intoArray(dst, d0);
        r1.intoArray(dst, d0 + 1 * ds);
        r2.intoArray(dst, d0 + 2 * ds);
        r3.intoArray(dst, d0 + 3 * ds);
        r4.intoArray(dst, d0 + 4 * ds);
        r5.intoArray(dst, d0 + 5 * ds);
        r6.intoArray(dst, d0 + 6 * ds);
        r7.intoArray(dst, d0 + 7 * ds);
        r8.intoArray(dst, d0 + 8 * ds);
        r9.intoArray(dst, d0 + 9 * ds);
        r10.intoArray(dst, d0 + 10 * ds);
        r11.intoArray(dst, d0 + 11 * ds);
        r12.intoArray(dst, d0 + 12 * ds);
        r13.intoArray(dst, d0 + 13 * ds);
        r14.intoArray(dst, d0 + 14 * ds);
        r15.intoArray(dst, d0 + 15 * ds);
    }

    /** {@link #transpose} for W = 8: the rows live in locals (an array of vectors would put them on the heap). */
    private static void transpose8(float[] src, int so, int ss, float[] dst, int d0, int ds) {
        FloatVector r0 = FloatVector.fromArray(F, src, so);
        FloatVector r1 = FloatVector.fromArray(F, src, so + 1 * ss);
        FloatVector r2 = FloatVector.fromArray(F, src, so + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(F, src, so + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(F, src, so + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(F, src, so + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(F, src, so + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(F, src, so + 7 * ss);
        FloatVector t;
        // s = 1
        t = LO[0].selectFrom(r0, r1); r1 = HI[0].selectFrom(r0, r1); r0 = t;
        t = LO[0].selectFrom(r2, r3); r3 = HI[0].selectFrom(r2, r3); r2 = t;
        t = LO[0].selectFrom(r4, r5); r5 = HI[0].selectFrom(r4, r5); r4 = t;
        t = LO[0].selectFrom(r6, r7); r7 = HI[0].selectFrom(r6, r7); r6 = t;
        // s = 2
        t = LO[1].selectFrom(r0, r2); r2 = HI[1].selectFrom(r0, r2); r0 = t;
        t = LO[1].selectFrom(r1, r3); r3 = HI[1].selectFrom(r1, r3); r1 = t;
        t = LO[1].selectFrom(r4, r6); r6 = HI[1].selectFrom(r4, r6); r4 = t;
        t = LO[1].selectFrom(r5, r7); r7 = HI[1].selectFrom(r5, r7); r5 = t;
        // s = 4
        t = LO[2].selectFrom(r0, r4); r4 = HI[2].selectFrom(r0, r4); r0 = t;
        t = LO[2].selectFrom(r1, r5); r5 = HI[2].selectFrom(r1, r5); r1 = t;
        t = LO[2].selectFrom(r2, r6); r6 = HI[2].selectFrom(r2, r6); r2 = t;
        t = LO[2].selectFrom(r3, r7); r7 = HI[2].selectFrom(r3, r7); r3 = t;
        r0.intoArray(dst, d0);
        r1.intoArray(dst, d0 + 1 * ds);
        r2.intoArray(dst, d0 + 2 * ds);
        r3.intoArray(dst, d0 + 3 * ds);
        r4.intoArray(dst, d0 + 4 * ds);
        r5.intoArray(dst, d0 + 5 * ds);
        r6.intoArray(dst, d0 + 6 * ds);
        r7.intoArray(dst, d0 + 7 * ds);
    }

    /** {@link #transpose} for W = 4: the rows live in locals (an array of vectors would put them on the heap). */
    private static void transpose4(float[] src, int so, int ss, float[] dst, int d0, int ds) {
        FloatVector r0 = FloatVector.fromArray(F, src, so);
        FloatVector r1 = FloatVector.fromArray(F, src, so + 1 * ss);
        FloatVector r2 = FloatVector.fromArray(F, src, so + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(F, src, so + 3 * ss);
        FloatVector t;
        // s = 1
        t = LO[0].selectFrom(r0, r1); r1 = HI[0].selectFrom(r0, r1); r0 = t;
        t = LO[0].selectFrom(r2, r3); r3 = HI[0].selectFrom(r2, r3); r2 = t;
        // s = 2
        t = LO[1].selectFrom(r0, r2); r2 = HI[1].selectFrom(r0, r2); r0 = t;
        t = LO[1].selectFrom(r1, r3); r3 = HI[1].selectFrom(r1, r3); r1 = t;
        r0.intoArray(dst, d0);
        r1.intoArray(dst, d0 + 1 * ds);
        r2.intoArray(dst, d0 + 2 * ds);
        r3.intoArray(dst, d0 + 3 * ds);
    }
}
