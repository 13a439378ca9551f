package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.SpatialTestData.*;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ConvGemmTest {

    @Property(tries = 80)
    void vectorEqualsScalarAndBothMeetTheBound(@ForAll long seed) {
        Random r = new Random(seed);
        int m = pick(r, 1, 3, 4, 17), n = pick(r, 1, 3, 17, 257), depth = pick(r, 1, 3, 17, 257);
        boolean transposedA = r.nextBoolean(), accumulate = r.nextBoolean();
        int aRs = transposedA ? 1 : depth, aCs = transposedA ? m : 1;
        int bRs = n + pick(r, 0, 5), cRs = n + pick(r, 0, 3);
        float[] a = gaussian(r, m * depth), b = gaussian(r, depth * bRs), c0 = gaussian(r, m * cRs);
        float[] v = c0.clone(), s = c0.clone();
        ConvGemm.multiply(true, m, n, depth, a, 0, aRs, aCs, b, 0, bRs, v, 0, cRs, accumulate);
        ConvGemm.multiply(false, m, n, depth, a, 0, aRs, aCs, b, 0, bRs, s, 0, cRs, accumulate);
        assertSameBits("m=" + m + " n=" + n + " depth=" + depth, v, s);

        double[] exact = new double[m * cRs], mag = new double[m * cRs];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < cRs; j++) {
                int at = i * cRs + j;
                if (j >= n) { exact[at] = c0[at]; continue; }   // columns past n are untouched
                double sum = 0, abs = 0;
                for (int t = 0; t < depth; t++) {
                    double p = (double) a[i * aRs + t * aCs] * b[t * bRs + j];
                    sum += p; abs += Math.abs(p);
                }
                exact[at] = accumulate ? c0[at] + sum : sum;
                mag[at] = accumulate ? abs + Math.abs(c0[at]) : abs;
            }
        assertWithin("gemm m=" + m + " n=" + n + " depth=" + depth, v, exact, depth + 1, mag);
    }
}
