package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** GemmRef's layouts and batching against products written out by hand. */
class GemmRefTest {

    @Example
    void aSmallProductWorkedByHand() {
        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]; with C += the old C is added.
        double[] c = {1, 1, 1, 1};
        GemmRef.gemm(false, false, 2, 2, 2, new double[] {1, 2, 3, 4}, 0, new double[] {5, 6, 7, 8}, 0, c, 0, true);
        assertArrayEquals(new double[] {20, 23, 44, 51}, c);
        // The same product with A stored transposed ([1 3; 2 4]) and B stored transposed ([5 7; 6 8]).
        double[] d = new double[4];
        GemmRef.gemm(true, true, 2, 2, 2, new double[] {1, 3, 2, 4}, 0, new double[] {5, 7, 6, 8}, 0, d, 0, false);
        assertArrayEquals(new double[] {19, 22, 43, 50}, d);
    }

    @Property(tries = 50)
    void transposedLayoutsAndBatchItemsAreTheirExplicitForms(@ForAll @IntRange(min = 1, max = 7) int m, @ForAll @IntRange(min = 1, max = 7) int n,
                                                            @ForAll @IntRange(min = 1, max = 7) int k, @ForAll long seed) {
        Random r = new Random(seed);
        double[] a = new double[2 * m * k + 1], b = new double[2 * k * n + 1];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(9) - 4;
        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(9) - 4;
        double[] c = new double[2 * m * n + 1];
        GemmRef.gemmBatched(2, false, false, m, n, k, a, 1, m * k, b, 1, k * n, c, 1, m * n, false);
        for (int t = 0; t < 2; t++) {
            double[] want = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    for (int kk = 0; kk < k; kk++) want[i * n + j] += a[1 + t * m * k + i * k + kk] * b[1 + t * k * n + kk * n + j];
            double[] got = java.util.Arrays.copyOfRange(c, 1 + t * m * n, 1 + (t + 1) * m * n);
            assertArrayEquals(want, got);
        }
        // A stored (K,M) and B stored (N,K): transpose them explicitly and compare.
        double[] at = new double[m * k], bt = new double[k * n];
        for (int i = 0; i < m; i++) for (int kk = 0; kk < k; kk++) at[kk * m + i] = a[1 + i * k + kk];
        for (int kk = 0; kk < k; kk++) for (int j = 0; j < n; j++) bt[j * k + kk] = b[1 + kk * n + j];
        double[] c2 = new double[m * n];
        GemmRef.gemm(true, true, m, n, k, at, 0, bt, 0, c2, 0, false);
        assertArrayEquals(java.util.Arrays.copyOfRange(c, 1, 1 + m * n), c2);
    }
}
