package jcipa.data;

/**
 * The 3×3 homography OpenCV's {@code getPerspectiveTransform} returns for four point pairs, and the
 * inverse {@code warpPerspective} takes of it, computed with OpenCV's arithmetic so the sampling
 * grid rounds the same way: the 8×8 system of the eight unknowns (its entries products of float32
 * coordinates, in float32) solved in float64 by Gaussian elimination with partial pivoting and
 * back substitution dividing by each pivot (as OpenCV 4.6 does; later versions that multiply by
 * the pivot's reciprocal may differ in the last bit of an entry); the inverse is the adjugate
 * times {@code 1/det}. Matrices are row-major {@code double[9]}. {@code OpenCvReferenceTest}
 * checks these against OpenCV itself.
 */
public final class PerspectiveTransform {
    private PerspectiveTransform() {}

    /** The homography taking {@code src[i]} to {@code dst[i]}; points as {x0, y0, x1, y1, …} (4 points). */
    public static double[] between(float[] src, float[] dst) {
        if (src.length != 8 || dst.length != 8)
            throw new IllegalArgumentException("PerspectiveTransform.between: needs 4 points each, got " + src.length / 2 + " and " + dst.length / 2);
        double[][] a = new double[8][8];
        double[] b = new double[8];
        for (int i = 0; i < 4; i++) {
            float x = src[2 * i], y = src[2 * i + 1], u = dst[2 * i], v = dst[2 * i + 1];
            // u = (m0 x + m1 y + m2) / (m6 x + m7 y + 1), v likewise with m3..m5
            a[i][0] = a[i + 4][3] = x;
            a[i][1] = a[i + 4][4] = y;
            a[i][2] = a[i + 4][5] = 1;
            a[i][6] = -x * u; // float32 products, as OpenCV's Point2f arithmetic
            a[i][7] = -y * u;
            a[i + 4][6] = -x * v;
            a[i + 4][7] = -y * v;
            b[i] = u;
            b[i + 4] = v;
        }
        double[] m = new double[9];
        if (!solve(a, b)) return m; // singular: OpenCV returns zeros
        System.arraycopy(b, 0, m, 0, 8);
        m[8] = 1;
        return m;
    }

    /** Solves a·x = b in place (x in b); false when a pivot falls under 100·DBL_EPSILON. */
    static boolean solve(double[][] a, double[] b) {
        int m = b.length;
        double eps = 100 * Math.ulp(1.0);
        for (int i = 0; i < m; i++) {
            int k = i;
            for (int j = i + 1; j < m; j++) if (Math.abs(a[j][i]) > Math.abs(a[k][i])) k = j;
            if (Math.abs(a[k][i]) < eps) return false;
            if (k != i) {
                double[] row = a[i];
                a[i] = a[k];
                a[k] = row;
                double t = b[i];
                b[i] = b[k];
                b[k] = t;
            }
            double d = -1 / a[i][i];
            for (int j = i + 1; j < m; j++) {
                double alpha = a[j][i] * d;
                for (int c = i + 1; c < m; c++) a[j][c] += alpha * a[i][c];
                b[j] += alpha * b[i];
            }
        }
        for (int i = m - 1; i >= 0; i--) {
            double s = b[i];
            for (int c = i + 1; c < m; c++) s -= a[i][c] * b[c];
            b[i] = s / a[i][i];
        }
        return true;
    }

    /** The inverse of a 3×3 matrix (all zeros when singular), as OpenCV's {@code invert} for 3×3. */
    public static double[] invert(double[] s) {
        double det = s[0] * (s[4] * s[8] - s[5] * s[7]) - s[1] * (s[3] * s[8] - s[5] * s[6]) + s[2] * (s[3] * s[7] - s[4] * s[6]);
        double[] t = new double[9];
        if (det == 0) return t;
        double d = 1 / det;
        t[0] = (s[4] * s[8] - s[5] * s[7]) * d;
        t[1] = (s[2] * s[7] - s[1] * s[8]) * d;
        t[2] = (s[1] * s[5] - s[2] * s[4]) * d;
        t[3] = (s[5] * s[6] - s[3] * s[8]) * d;
        t[4] = (s[0] * s[8] - s[2] * s[6]) * d;
        t[5] = (s[2] * s[3] - s[0] * s[5]) * d;
        t[6] = (s[3] * s[7] - s[4] * s[6]) * d;
        t[7] = (s[1] * s[6] - s[0] * s[7]) * d;
        t[8] = (s[0] * s[4] - s[1] * s[3]) * d;
        return t;
    }
}
