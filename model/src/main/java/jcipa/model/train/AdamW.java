package jcipa.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.parallel.Parallel;

/**
 * torch.optim.AdamW, element for element as PyTorch's single-tensor implementation computes it.
 * For each parameter p of the groups with a gradient g (parameters without one are skipped, as
 * PyTorch skips a {@code None} grad), t = step + 1:
 * <pre>
 *   p ← p·(1 − lr·wd)                          only in groups with decay and wd ≠ 0
 *   m ← m + (1 − β1)·(g − m)                   exp_avg.lerp_(g, 1 − β1), one fma (see {@link #lerp})
 *   v ← v·β2;  v ← v + ((1 − β2)·g)·g          exp_avg_sq.mul_(β2).addcmul_(g, g, 1 − β2)
 *   c1 = 1 − β1^t,  c2 = 1 − β2^t              in double, as Python computes them
 *   d  = sqrt(v)/sqrt(c2) + eps
 *   p ← p + ((−lr/c1)·m)/d                     addcdiv_(m, d, value = −lr/c1)
 * </pre>
 * Float32 parameters: every step above is one float32 operation, rounded, in that order, with
 * each double scalar (1 − lr·wd, 1 − β1, β2, 1 − β2, sqrt(c2), eps, −lr/c1) rounded to float32
 * first, as PyTorch's CPU kernels take a Python scalar into a float32 op. (PyTorch's CUDA
 * default, the foreach implementation, computes the last step as p + s·(m/d); the difference is
 * one rounding of an update of size ≈ lr.) Float64 parameters: the same in double.
 *
 * <p>State per parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq} (zeros at first).
 * The learning rate may change between steps ({@link #lr(double)}, e.g. from {@link LrSchedule}).
 */
public final class AdamW {
    /** The official training settings (train.py): lr 6e-5, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static final double LR = 6e-5, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8, WEIGHT_DECAY = 0.01;

    /** Per-parameter state, as PyTorch's {@code optimizer.state[p]}. */
    public static final class State {
        long step;
        final Tensor expAvg, expAvgSq;

        State(Tensor p) {
            expAvg = Tensor.zeros(p.dtype(), p.shape());
            expAvgSq = Tensor.zeros(p.dtype(), p.shape());
        }

        public long step() { return step; }

        public Tensor expAvg() { return expAvg; }

        public Tensor expAvgSq() { return expAvgSq; }
    }

    private final List<ParamGroup> groups;
    private final double beta1, beta2, eps, weightDecay;
    private double lr;
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    /** The official settings over the given groups. */
    public AdamW(List<ParamGroup> groups) { this(groups, LR, BETA1, BETA2, EPS, WEIGHT_DECAY); }

    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (!(lr >= 0) || !(eps >= 0) || !(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("AdamW: invalid settings lr " + lr + ", betas (" + beta1 + ", " + beta2 + "), eps " + eps + ", weight decay " + weightDecay);
        this.groups = List.copyOf(groups);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        java.util.Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : this.groups)
            for (var e : g.params()) {
                Tensor p = e.getValue();
                if (!seen.add(p)) throw new IllegalArgumentException("AdamW: parameter " + e.getKey() + " appears in more than one group");
                if (!p.isContiguous() || p.offset() != 0 || (p.dtype() == DType.F32 ? p.storageFloats().length : p.storageDoubles().length) != p.numel())
                    throw new IllegalArgumentException("AdamW: parameter " + e.getKey() + " must own its contiguous storage (it is updated in place)");
            }
    }

    public double lr() { return lr; }

    /** Sets the learning rate of every group (what a scheduler does before the next step). */
    public AdamW lr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("AdamW: learning rate must be >= 0, got " + lr);
        this.lr = lr;
        return this;
    }

    public double weightDecay() { return weightDecay; }

    public List<ParamGroup> groups() { return groups; }

    /** The state of a parameter, or null before its first update. */
    public State state(Tensor param) { return state.get(param); }

    /**
     * Sets the state of a parameter of these groups, as a checkpoint saved it (step count, first
     * and second moments, copied); what {@code optimizer.load_state_dict} does for one entry.
     */
    public void restoreState(Tensor param, long step, float[] expAvg, float[] expAvgSq) {
        boolean held = false;
        for (ParamGroup g : groups) for (var e : g.params()) held |= e.getValue() == param;
        if (!held) throw new IllegalArgumentException("AdamW: the parameter to restore is in none of the groups");
        if (step < 1 || expAvg.length != param.numel() || expAvgSq.length != param.numel() || param.dtype() != DType.F32)
            throw new IllegalArgumentException("AdamW: cannot restore step " + step + " with moments of " + expAvg.length + " and " + expAvgSq.length
                    + " values into a float32 parameter of " + param.numel());
        State s = new State(param);
        s.step = step;
        System.arraycopy(expAvg, 0, s.expAvg.storageFloats(), 0, expAvg.length);
        System.arraycopy(expAvgSq, 0, s.expAvgSq.storageFloats(), 0, expAvgSq.length);
        state.put(param, s);
    }

    /** One update of every parameter that has a gradient. */
    public void step() {
        for (ParamGroup g : groups) {
            double wd = g.decay() ? weightDecay : 0;
            for (var e : g.params()) {
                Tensor p = e.getValue(), grad = p.grad();
                if (grad == null) continue;
                State s = state.computeIfAbsent(p, State::new);
                s.step++;
                double c1 = 1 - StrictMath.pow(beta1, s.step), c2 = 1 - StrictMath.pow(beta2, s.step);
                double stepSize = lr / c1, c2Sqrt = Math.sqrt(c2);
                if (p.dtype() == DType.F32)
                    update(p.storageFloats(), grad.contiguous().floats(), s.expAvg.storageFloats(), s.expAvgSq.storageFloats(),
                            wd == 0 ? 1f : (float) (1 - lr * wd), wd != 0, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                            (float) c2Sqrt, (float) eps, (float) -stepSize);
                else
                    update(p.storageDoubles(), grad.contiguous().doubles(), s.expAvg.storageDoubles(), s.expAvgSq.storageDoubles(),
                            1 - lr * wd, wd != 0, 1 - beta1, beta2, 1 - beta2, c2Sqrt, eps, -stepSize);
            }
        }
    }

    /** Clears the gradients of every parameter in the groups. */
    public void zeroGrad() {
        for (ParamGroup g : groups) for (var e : g.params()) e.getValue().zeroGrad();
    }

    /** Parameters that have a gradient now, by name (for reports). */
    public List<String> withGradient() {
        List<String> out = new ArrayList<>();
        for (ParamGroup g : groups) for (var e : g.params()) if (e.getValue().grad() != null) out.add(e.getKey());
        return out;
    }

    /** Elements per parallel chunk: the update is element-wise, so chunking never changes bits. */
    static final int CHUNK = 1 << 16;

    /**
     * lerp as PyTorch computes it: weight w &lt; 0.5: fma(w, end − start, start);
     * otherwise fma(w − 1, end − start, end).
     */
    static float lerp(float start, float end, float w) {
        return Math.abs(w) < 0.5f ? Math.fma(w, end - start, start) : Math.fma(w - 1f, end - start, end);
    }

    static double lerp(double start, double end, double w) {
        return Math.abs(w) < 0.5 ? Math.fma(w, end - start, start) : Math.fma(w - 1.0, end - start, end);
    }

    static void update(float[] p, float[] g, float[] m, float[] v, float decay, boolean decays, float w1, float b2, float w2,
                       float c2Sqrt, float eps, float negStepSize) {
        Parallel.forChunks(p.length, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                float pi = decays ? p[i] * decay : p[i];
                float gi = g[i];
                float mi = lerp(m[i], gi, w1);
                float vi = v[i] * b2;
                vi = vi + w2 * gi * gi;
                float denom = (float) Math.sqrt(vi) / c2Sqrt + eps;
                m[i] = mi;
                v[i] = vi;
                p[i] = pi + negStepSize * mi / denom;
            }
        });
    }

    static void update(double[] p, double[] g, double[] m, double[] v, double decay, boolean decays, double w1, double b2, double w2,
                       double c2Sqrt, double eps, double negStepSize) {
        Parallel.forChunks(p.length, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                double pi = decays ? p[i] * decay : p[i];
                double gi = g[i];
                double mi = lerp(m[i], gi, w1);
                double vi = v[i] * b2;
                vi = vi + w2 * gi * gi;
                double denom = Math.sqrt(vi) / c2Sqrt + eps;
                m[i] = mi;
                v[i] = vi;
                p[i] = pi + negStepSize * mi / denom;
            }
        });
    }
}
