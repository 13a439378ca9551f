package jcipa.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import jcipa.tensor.Tensor;
import jcipa.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

class AdamWTest {
    static final double LR = AdamW.LR, WD = AdamW.WEIGHT_DECAY, EPS = AdamW.EPS;

    static Tensor param(float[] v) { return Tensor.of(v.clone(), v.length).requiresGrad(true); }

    static ParamGroup group(boolean decay, Tensor... ps) {
        List<Map.Entry<String, Tensor>> l = new java.util.ArrayList<>();
        for (int i = 0; i < ps.length; i++) l.add(Map.entry((decay ? "d" : "n") + i, ps[i]));
        return new ParamGroup(decay ? "decay" : "no_decay", decay, l);
    }

    static void setGrad(Tensor p, float[] g) {
        p.zeroGrad();
        p.mul(Tensor.of(g.clone(), g.length)).sum().backward();   // d/dp Σ p·g = g
    }

    static float[] random(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double m = lo * Math.pow(hi / lo, r.nextDouble());          // log-uniform magnitude
            v[i] = (float) (r.nextBoolean() ? m : -m);
        }
        return v;
    }

    /** First step from zero state: p·(1 − lr·wd) − lr·g/(|g| + ε), to float32 rounding. */
    @Test
    void firstStepMovesByLrTowardsMinusTheGradientPlusDecay() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[] {1, 3, 17, 257}) {
            float[] p0 = random(r, n, 1e-3, 2), g = random(r, n, 1e-9, 1);
            Tensor pd = param(p0), pn = param(p0);
            setGrad(pd, g);
            setGrad(pn, g);
            new AdamW(List.of(group(true, pd), group(false, pn))).step();
            float[] d = pd.floats(), nd = pn.floats();
            for (int i = 0; i < n; i++) {
                double move = -LR * g[i] / (Math.abs(g[i]) + EPS);
                double tol = 2 * Math.ulp(Math.max(Math.abs(p0[i]), Math.abs(d[i]))) + 1e-6 * LR;
                assertEquals(p0[i] * (1 - LR * WD) + move, d[i], tol, "decayed element " + i);
                assertEquals(p0[i] + move, nd[i], tol, "undecayed element " + i);
            }
        }
    }

    /** Textbook AdamW (Loshchilov & Hutter, with PyTorch's placement of ε) in double, over several steps and a learning-rate change. */
    static double[] textbook(double[] p, double[][] grads, double[] lrs, double b1, double b2, double wd) {
        double[] x = p.clone(), m = new double[p.length], v = new double[p.length];
        for (int t = 1; t <= grads.length; t++) {
            double lr = lrs[t - 1];
            for (int i = 0; i < x.length; i++) {
                double g = grads[t - 1][i];
                x[i] -= lr * wd * x[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                x[i] -= lr * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
        return x;
    }

    @Test
    void followsTheAdamWRecurrenceOverSteps() {
        for (double b1 : new double[] {0.9, 0.3}) {                    // 0.3: lerp's large-weight branch
            SplittableRandom r = new SplittableRandom(7);
            int n = 257, steps = 6;
            double[] p0 = new double[n];
            float[] p0f = random(r, n, 1e-2, 1);
            for (int i = 0; i < n; i++) p0[i] = p0f[i];
            double[][] grads = new double[steps][n];
            float[][] gradsF = new float[steps][];
            for (int t = 0; t < steps; t++) {
                gradsF[t] = random(r, n, 1e-6, 1);
                for (int i = 0; i < n; i++) grads[t][i] = gradsF[t][i];
            }
            double[] lrs = {6e-5, 6e-5, 3e-5, 3e-5, 1e-4, 1e-4};
            double[] want = textbook(p0, grads, lrs, b1, 0.999, WD);

            Tensor p64 = Tensor.of(p0.clone(), n).requiresGrad(true), p32 = param(p0f);
            AdamW o64 = new AdamW(List.of(group(true, p64)), lrs[0], b1, 0.999, EPS, WD);
            AdamW o32 = new AdamW(List.of(group(true, p32)), lrs[0], b1, 0.999, EPS, WD);
            for (int t = 0; t < steps; t++) {
                p64.zeroGrad();
                p64.mul(Tensor.of(grads[t].clone(), n)).sum().backward();
                setGrad(p32, gradsF[t]);
                o64.lr(lrs[t]).step();
                o32.lr(lrs[t]).step();
            }
            assertEquals(steps, o32.state(p32).step());
            double[] got64 = p64.toDoubleArray(), got32 = p32.toDoubleArray();
            for (int i = 0; i < n; i++) {
                assertEquals(want[i], got64[i], 1e-15 * Math.abs(want[i]) + 1e-12 * 3e-4, "float64 element " + i);
                // float32: a few roundings of p per step, and update values of relative error ~1e-6 each
                assertEquals(want[i], got32[i], steps * 2 * Math.ulp((float) Math.abs(want[i])) + steps * 1e-5 * 1e-4, "float32 element " + i);
            }
        }
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        float[] v = {1f, -2f, 3f};
        Tensor p = param(v), q = param(v);
        setGrad(q, new float[] {1, 1, 1});
        AdamW o = new AdamW(List.of(group(true, p, q)));
        o.step();
        assertArrayEquals(v, p.floats());
        assertNull(o.state(p));
        assertEquals(1, o.state(q).step());
        assertEquals(List.of("d1"), o.withGradient());
        o.zeroGrad();
        assertNull(q.grad());
    }

    @Test
    void bitsDoNotDependOnTheThreadCount() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 3 * AdamW.CHUNK + 17;
        float[] p0 = random(r, n, 1e-3, 1), g = random(r, n, 1e-8, 1);
        int keep = Parallel.threads();
        try {
            float[][] out = new float[2][];
            int[] threads = {1, 3};
            for (int k = 0; k < 2; k++) {
                Parallel.setThreads(threads[k]);
                Tensor p = param(p0);
                setGrad(p, g);
                AdamW o = new AdamW(List.of(group(true, p)));
                o.step();
                o.step();
                out[k] = p.floats();
            }
            assertArrayEquals(out[0], out[1]);
        } finally {
            Parallel.setThreads(keep);
        }
    }

    @Test
    void rejectsBadSettingsAndSharedParameters() {
        Tensor p = param(new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(group(true, p)), -1, 0.9, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(group(true, p)), 1e-3, 1.0, 0.999, 1e-8, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(group(true, p), group(false, p))));
        assertTrue(e.getMessage().contains("more than one group"), e.getMessage());
        Tensor view = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).transpose(0, 1);
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(new ParamGroup("x", true, List.of(Map.entry("v", view))))));
    }
}
