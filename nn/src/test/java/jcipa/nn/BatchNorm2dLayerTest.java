package jcipa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The running-statistics rules of training: PyTorch's (unbiased variance), the biased variance, none. */
class BatchNorm2dLayerTest {
    static final int N = 2, C = 3, H = 2, W = 3, M = N * H * W;
    static final double MOMENTUM = 0.1;

    static Tensor input(DType dt) {
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[N * C * H * W];
        for (int i = 0; i < x.length; i++) x[i] = 3 * r.nextDouble() - 1;
        return Tensor.of(x, N, C, H, W).to(dt);
    }

    /** Per channel: mean, biased variance, of the input in double. */
    static double[][] batchStats(Tensor x) {
        double[] v = x.toDoubleArray();
        double[][] out = new double[2][C];
        for (int c = 0; c < C; c++) {
            double s = 0, q = 0;
            for (int n = 0; n < N; n++) for (int i = 0; i < H * W; i++) s += v[(n * C + c) * H * W + i];
            double mu = s / M;
            for (int n = 0; n < N; n++) for (int i = 0; i < H * W; i++) { double d = v[(n * C + c) * H * W + i] - mu; q += d * d; }
            out[0][c] = mu;
            out[1][c] = q / M;
        }
        return out;
    }

    static double[] running(BatchNorm2dLayer bn, String name) {
        return ((StateValue.Floats) bn.stateDict().get(name)).tensor().toDoubleArray();
    }

    static long tracked(BatchNorm2dLayer bn) { return ((StateValue.Int64) bn.stateDict().get("num_batches_tracked")).values()[0]; }

    @Test
    void eachRuleUpdatesAsItSaysAndNormalisesAlike() {
        for (DType dt : new DType[] {DType.F64, DType.F32}) {
            double tol = dt == DType.F64 ? 1e-14 : 1e-6;
            Tensor x = input(dt);
            double[][] st = batchStats(x);
            double[] y0 = null;
            for (BatchNorm2dLayer.RunningStats rule : BatchNorm2dLayer.RunningStats.values()) {
                BatchNorm2dLayer bn = new BatchNorm2dLayer(C, 1e-5, MOMENTUM, dt).runningStats(rule);
                assertEquals(rule, bn.runningStats());
                double[] y = bn.forward(x).toDoubleArray();
                if (y0 == null) y0 = y;
                else assertArrayEquals(y0, y, 0, "the output does not depend on the running-statistics rule");
                double[] rm = running(bn, "running_mean"), rv = running(bn, "running_var");
                for (int c = 0; c < C; c++) {
                    switch (rule) {
                        case PYTORCH -> {
                            assertEquals(MOMENTUM * st[0][c], rm[c], tol);
                            assertEquals((1 - MOMENTUM) + MOMENTUM * st[1][c] * M / (M - 1), rv[c], tol);
                        }
                        case BIASED_VARIANCE -> {
                            assertEquals(MOMENTUM * st[0][c], rm[c], tol);
                            assertEquals((1 - MOMENTUM) + MOMENTUM * st[1][c], rv[c], tol);
                        }
                        case FROZEN -> {
                            assertEquals(0, rm[c]);
                            assertEquals(1, rv[c]);
                        }
                    }
                }
                assertEquals(rule == BatchNorm2dLayer.RunningStats.FROZEN ? 0 : 1, tracked(bn), rule.toString());
                bn.eval();
                bn.forward(x);
                assertEquals(rule == BatchNorm2dLayer.RunningStats.FROZEN ? 0 : 1, tracked(bn), "evaluation counts no batch");
            }
        }
    }
}
