package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StoredTensor;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * conv_blk against plain loops written from the definition: Conv3×3 → GELU → Conv3×3 →
 * v·σ(fc(mean v) + fc(max v)), fc = W₂·SiLU(W₁·). The channel counts (C/3, C/30) are odd on
 * purpose (C = 64: 21 and 2).
 */
class ChannelAttentionBlockTest {

    @Test
    void matchesLoopReference() {
        int b = 2, c = 64, h = 5, w = 7, hid = c / 3, sq = c / 30;
        SplittableRandom r = new SplittableRandom(7);
        float[] x = rand(r, b * c * h * w, 1.0), w0 = rand(r, hid * c * 9, 0.1), b0 = rand(r, hid, 0.1),
                w2 = rand(r, c * hid * 9, 0.1), b2 = rand(r, c, 0.1), f0 = rand(r, sq * c, 0.3), f2 = rand(r, c * sq, 0.3);
        Map<String, StoredTensor> state = Map.of(
                "cab.0.weight", StoredTensor.ofFloats(w0, hid, c, 3, 3), "cab.0.bias", StoredTensor.ofFloats(b0, hid),
                "cab.2.weight", StoredTensor.ofFloats(w2, c, hid, 3, 3), "cab.2.bias", StoredTensor.ofFloats(b2, c),
                "cab.3.fc.0.weight", StoredTensor.ofFloats(f0, sq, c, 1, 1), "cab.3.fc.2.weight", StoredTensor.ofFloats(f2, c, sq, 1, 1));

        double[] want = reference(x, b, c, h, w, w0, b0, w2, b2, f0, f2);
        for (DType dt : DType.values()) {
            ChannelAttentionBlock blk = new ChannelAttentionBlock(c, dt);
            StateDictLoader.load(blk, state, true);
            Tensor y = blk.forward(Tensor.of(x, b, c, h, w).to(dt));
            assertArrayEquals(new int[] {b, c, h, w}, y.shape());
            double err = MiniGolden.relativeError(y, Tensor.of(want, b, c, h, w));
            System.out.printf("conv_blk vs loops %s rel err %.3e%n", dt, err);
            assertTrue(err <= (dt == DType.F64 ? 1e-13 : 1e-5), dt + ": " + err);
        }
    }

    private static double[] reference(float[] x, int b, int c, int h, int w, float[] w0, float[] b0, float[] w2, float[] b2, float[] f0, float[] f2) {
        int hid = b0.length, sq = f0.length / c;
        double[] a = conv3x3(toD(x), b, c, hid, h, w, w0, b0);
        for (int i = 0; i < a.length; i++) a[i] = 0.5 * a[i] * (1 + jcipa.tensor.math.DMath.erf(a[i] / Math.sqrt(2)));
        double[] v = conv3x3(a, b, hid, c, h, w, w2, b2);
        double[] out = new double[v.length];
        for (int n = 0; n < b; n++) {
            double[] mean = new double[c], max = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double s = 0, m = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < h * w; p++) {
                    double e = v[(n * c + ch) * h * w + p];
                    s += e;
                    m = Math.max(m, e);
                }
                mean[ch] = s / (h * w);
                max[ch] = m;
            }
            double[] fa = fc(mean, f0, f2, c, sq), fm = fc(max, f0, f2, c, sq);
            for (int ch = 0; ch < c; ch++) {
                double gate = 1 / (1 + Math.exp(-(fa[ch] + fm[ch])));
                for (int p = 0; p < h * w; p++) out[(n * c + ch) * h * w + p] = v[(n * c + ch) * h * w + p] * gate;
            }
        }
        return out;
    }

    private static double[] fc(double[] p, float[] f0, float[] f2, int c, int sq) {
        double[] z = new double[sq], o = new double[c];
        for (int j = 0; j < sq; j++) {
            double s = 0;
            for (int i = 0; i < c; i++) s += f0[j * c + i] * p[i];
            z[j] = s / (1 + Math.exp(-s));
        }
        for (int i = 0; i < c; i++) for (int j = 0; j < sq; j++) o[i] += f2[i * sq + j] * z[j];
        return o;
    }

    private static double[] conv3x3(double[] x, int b, int ci, int co, int h, int w, float[] wt, float[] bias) {
        double[] y = new double[b * co * h * w];
        for (int n = 0; n < b; n++)
            for (int o = 0; o < co; o++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) {
                        double s = bias[o];
                        for (int k = 0; k < ci; k++)
                            for (int di = -1; di <= 1; di++)
                                for (int dj = -1; dj <= 1; dj++) {
                                    int ii = i + di, jj = j + dj;
                                    if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
                                    s += wt[((o * ci + k) * 3 + di + 1) * 3 + dj + 1] * x[((n * ci + k) * h + ii) * w + jj];
                                }
                        y[((n * co + o) * h + i) * w + j] = s;
                    }
        return y;
    }

    private static double[] toD(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static float[] rand(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * (2 * r.nextDouble() - 1));
        return a;
    }
}
