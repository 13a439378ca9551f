package jcipa.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.train.AdamW;
import jcipa.model.train.ParamGroups;
import jcipa.model.train.TrainStep;
import jcipa.nn.StateValue;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;

/**
 * Checks the training step of a golden file ({@code meta.train}, {@code train/logits},
 * {@code train/loss}, {@code sample|stats/train/after/<name>}): one official step (train mode,
 * BatchNorm batch statistics, drop path off, AdamW over the official parameter groups, fresh
 * optimizer state) taken on a freshly loaded model, compared with the GPU build's.
 *
 * <p><b>What is compared.</b>
 * <ul>
 * <li>the parameters left out of the optimizer against {@code meta.train.params_not_in_optimizer} (equal lists);</li>
 * <li>{@code train/logits} relative to their largest magnitude ({@link #TOL_LOGITS}), {@code train/loss} relative ({@link #TOL_LOSS});</li>
 * <li>each parameter's update u = after − before, at the sampled positions
 *     ({@code sample/X = flat(X)[::s][:k]}, s = max(1, numel/k)), against the reference update
 *     (the sampled reference after minus our before: both start from the same weights), by the rule below;</li>
 * <li>each parameter's {@code stats} [Σx, Σ|x|, Σx²] of {@code after}, within the sum of the same
 *     per-element allowances over the whole tensor;</li>
 * <li>BatchNorm running statistics after the step (sampled and summed), relative to their largest
 *     magnitude ({@link #TOL_RUNNING}).</li>
 * </ul>
 *
 * <p><b>The update rule (sign flips of gradients that are zero within rounding).</b> On Adam's first
 * step from zero state an element moves by u = −lr·g/(|g| + ε) − lr·wd·p: the first term saturates
 * at ±lr once |g| ≫ ε, so updates are insensitive to gradient errors except where |g| is tiny —
 * there a gradient that is zero within rounding can come out with either sign in either build, and
 * the updates can differ by up to 2·lr. Our gradient g (train mode) is taken to be within
 * δ = ρ·|g| + γ·G of the reference gradient, G being the largest |g| of the tensor — for a bias,
 * of the bias and the weight beside it (a layer's weight and bias share the gradient flowing into
 * the layer, which sets the rounding level of both). Since d/dg [g/(|g| + ε)] = ε/(|g| + ε)², the updates may differ by
 * <pre>
 *   allowed = 2·ulp(max(|before|, |after_ours|, |after_ref|)) + 12·2⁻²⁴·lr
 *           + lr·min(2, δ·ε / (max(|g| − δ, 0) + ε)²)
 * </pre>
 * — float32 rounding of the parameter and of the update value, plus what a gradient error of δ
 * can do through Adam's map (a full sign flip, 2·lr, when |g| ≤ δ). Parameters our optimizer
 * leaves out must not move at all (allowed 0). Each tensor's worst err/allowed is one row (pass
 * ≤ 1); the report line counts the elements in the flip zone (allowance ≥ lr).
 *
 * <p>ρ = {@value #GRAD_REL}, and γ = {@value #GRAD_ABS} is twice the absolute part we measured,
 * with that ρ, for our own float32 train-mode gradient against our float64 train-mode gradient on
 * the mini case (error ≤ 1e-2·|g| + 9.8e-4·G; two float32 builds each carry such an error).
 * BatchNorm on batch statistics over few values per channel amplifies rounding by orders of
 * magnitude: the deepest DCIM regional branch normalises over B·(S/128)² values, 2 for the mini
 * case's two 128×128 images. In eval mode the gradients agree with float64 to 6e-6 of their
 * largest value (see
 * {@link GradientGolden}). Conv biases followed by a training-mode BatchNorm have a gradient that
 * is exactly zero in exact arithmetic, so their updates are pure rounding noise (±lr at random):
 * taking G from the weight beside them covers them. The rounding term is small enough that dropping weight decay —
 * a shift of lr·wd·|p|, 5 to 10 ulps of p — fails. The rule is for the first step of a fresh
 * optimizer, which is what the files hold.
 */
public final class TrainStepGolden {
    private TrainStepGolden() {}

    /** Logits of the training step: relative to the golden's largest magnitude. */
    public static final double TOL_LOGITS = 1e-4;
    /** Loss of the training step: relative. */
    public static final double TOL_LOSS = 1e-5;
    /** Running statistics after the step: relative to the golden's largest magnitude. */
    public static final double TOL_RUNNING = 2e-6;
    /** ρ: our gradient's relative error against the reference gradient, per element. */
    public static final double GRAD_REL = 1e-2;
    /** γ: our gradient's error against the reference gradient relative to the tensor's largest gradient (for a bias, also its weight's). */
    public static final double GRAD_ABS = 2e-3;

    /** 12·2⁻²⁴: the float32 update value −lr·m/d carries a few roundings in each build (m, v, sqrt, divisions, eps). */
    static final double UPDATE_ROUNDING = 12 * 0x1p-24;

    private static final String AFTER_SAMPLE = "sample/train/after/", AFTER_STATS = "stats/train/after/";

    /** The optimizer settings a file states in {@code meta.train.optimizer}. */
    public record Settings(double lr, double beta1, double beta2, double eps, double weightDecay) {
        static final Settings OFFICIAL = new Settings(AdamW.LR, AdamW.BETA1, AdamW.BETA2, AdamW.EPS, AdamW.WEIGHT_DECAY);

        /** Reads "lr=6e-5 betas=(0.9,0.999) eps=1e-8 weight_decay=0.01"; a missing item keeps the official value. */
        static Settings parse(String s) {
            return new Settings(num(s, "lr=([-+0-9.eE]+)", 1, OFFICIAL.lr), num(s, "betas=\\(\\s*([-+0-9.eE]+)\\s*,\\s*([-+0-9.eE]+)\\s*\\)", 1, OFFICIAL.beta1),
                    num(s, "betas=\\(\\s*([-+0-9.eE]+)\\s*,\\s*([-+0-9.eE]+)\\s*\\)", 2, OFFICIAL.beta2), num(s, "eps=([-+0-9.eE]+)", 1, OFFICIAL.eps),
                    num(s, "weight_decay=([-+0-9.eE]+)", 1, OFFICIAL.weightDecay));
        }

        private static double num(String s, String regex, int group, double dflt) {
            Matcher m = Pattern.compile(regex).matcher(s);
            return m.find() ? Double.parseDouble(m.group(group)) : dflt;
        }
    }

    /** Builds the optimizer for the step (the official one by default; tests pass variants). */
    @FunctionalInterface
    public interface OptimizerFactory {
        AdamW create(Cipa model, Settings settings);
    }

    /** The official optimizer: AdamW with the file's settings over {@link ParamGroups#official}. */
    public static AdamW officialOptimizer(Cipa model, Settings s) {
        return new AdamW(ParamGroups.official(model), s.lr(), s.beta1(), s.beta2(), s.eps(), s.weightDecay());
    }

    /**
     * The official step on {@code freshlyLoadedModel} (the file's weights, nothing run in training
     * yet), inputs as {@link jcipa.model.Inputs} makes them from the file; adds one row per compared
     * tensor and a summary line. Files without {@code train/} entries add nothing.
     */
    public static void check(SafeTensors st, Report report, Cipa freshlyLoadedModel, Tensor ct, Tensor pet, Tensor target, String caseName) {
        check(st, report, freshlyLoadedModel, ct, pet, target, caseName, TrainStepGolden::officialOptimizer);
    }

    /**
     * Takes the step with the optimizer {@code factory} builds and adds the rows to {@code report}.
     * The model must hold the file's weights and a fresh state (it is trained by one step here).
     */
    public static void check(SafeTensors st, Report report, Cipa model, Tensor ct, Tensor pet, Tensor target, String caseName,
                             OptimizerFactory factory) {
        if (!st.has("train/loss") && !st.has("train/logits")) return;
        String part = caseName + " train";
        JsonNode train;
        try {
            train = ModelGolden.JSON.readTree(st.metadata().get("meta")).path("train");
        } catch (java.io.IOException e) {
            report.add(new Check(part, "meta.train", "-", null, null, Double.NaN, false, Check.Status.FAIL, "meta is not JSON: " + e.getMessage()));
            return;
        }
        String mode = train.path("mode").asText("");
        Matcher dp = Pattern.compile("drop_path\\s*=?\\s*([0-9.eE+-]+)").matcher(mode);
        if (dp.find() && Double.parseDouble(dp.group(1)) != 0) {
            report.add(Check.notChecked(part, "step", "the file's step used drop path " + dp.group(1) + " (random masks cannot be replayed)"));
            return;
        }
        Settings settings = Settings.parse(train.path("optimizer").asText(""));
        Taken taken = take(model, factory.create(model, settings), settings, ct, pet, target);
        compare(st, report, train, taken, caseName);
    }

    /** A step taken: the model after it, its optimizer, every parameter before it, the step's output. */
    record Taken(Cipa model, AdamW optimizer, Settings settings, Map<String, float[]> before, TrainStep.Result result) {}

    /** Snapshots the parameters and takes one step (drop path off). */
    static Taken take(Cipa model, AdamW optimizer, Settings settings, Tensor ct, Tensor pet, Tensor target) {
        return take(model, optimizer, settings, ct, pet, target, false);
    }

    /** {@link #take}, with every parameter's gradient kept when {@code allGradients} (for steps of other optimizers on them). */
    static Taken take(Cipa model, AdamW optimizer, Settings settings, Tensor ct, Tensor pet, Tensor target, boolean allGradients) {
        Map<String, float[]> before = new HashMap<>();
        model.namedParameters().forEach((n, p) -> before.put(n, p.contiguous().floats().clone()));
        TrainStep.Result result = new TrainStep(model, optimizer).allGradients(allGradients).step(ct, pet, target, null);
        return new Taken(model, optimizer, settings, before, result);
    }

    /** Adds the rows comparing a step taken with the file's. */
    static void compare(SafeTensors st, Report report, JsonNode train, Taken taken, String caseName) {
        String part = caseName + " train";
        Cipa model = taken.model();
        checkLeftOut(train, report, part, ParamGroups.leftOut(model, taken.optimizer().groups()));
        if (st.has("train/logits"))
            report.add(Check.of(part, "logits", "gpu", Comparison.of(taken.result().logits().toDoubleArray(), st.asDoubles("train/logits")), null, TOL_LOGITS, false));
        if (st.has("train/loss"))
            report.add(Check.of(part, "loss", "gpu", Comparison.of(new double[] {taken.result().loss().item()}, new double[] {st.asDoubles("train/loss")[0]}),
                    null, TOL_LOSS, false));

        java.util.Set<Tensor> optimized = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (var g : taken.optimizer().groups()) for (var p : g.params()) optimized.add(p.getValue());
        Map<String, StateValue> state = model.stateDict();
        Map<String, Tensor> params = model.namedParameters();
        Map<String, Double> gradScale = gradientScale(params);
        Tally tally = new Tally();
        for (String n : st.names()) {
            if (!n.startsWith(AFTER_SAMPLE)) continue;
            String name = n.substring(AFTER_SAMPLE.length());
            StateValue v = state.get(name);
            if (!(v instanceof StateValue.Floats f)) {
                report.add(new Check(name, "after step", "gpu", null, null, Double.NaN, false, Check.Status.FAIL, "our model has no float state entry " + name));
                continue;
            }
            double[] sample = st.asDoubles(n);
            double[] stats = st.has(AFTER_STATS + name) ? st.asDoubles(AFTER_STATS + name) : null;
            Tensor p = params.get(name);
            if (p != null)
                checkUpdate(report, name, p, taken.before().get(name), sample, stats, optimized.contains(p), taken.settings().lr(),
                        gradScale.get(name), tally);
            else checkBuffer(report, name, f.tensor(), sample, stats);
        }
        report.line(String.format(java.util.Locale.ROOT,
                "train %s: %d sampled parameter elements compared, %d in the sign-flip zone (allowance >= lr), %d moved unlike the reference by more than lr/2, worst err/allowed %.3f (%s)",
                caseName, tally.elements, tally.flipZone, tally.offByLr, tally.worst, tally.worstName));
    }

    /**
     * The gradient scale G of each parameter: the largest |g| of the parameter itself, and for a
     * {@code bias} also of the {@code weight} beside it (a layer's weight and bias share the
     * gradient flowing into the layer, which sets the rounding level of both).
     */
    static Map<String, Double> gradientScale(Map<String, Tensor> params) {
        Map<String, Double> own = new HashMap<>(), out = new HashMap<>();
        params.forEach((n, p) -> {
            double m = 0;
            if (p.grad() != null) for (float g : p.grad().contiguous().floats()) m = Math.max(m, Math.abs(g));
            own.put(n, m);
        });
        own.forEach((n, m) -> out.put(n, n.endsWith(".bias") ? Math.max(m, own.getOrDefault(n.substring(0, n.length() - 4) + "weight", 0.0)) : m));
        return out;
    }

    private static final class Tally {
        long elements, flipZone, offByLr;
        double worst;
        String worstName = "-";
    }

    static void checkLeftOut(JsonNode train, Report report, String part, List<String> ours) {
        JsonNode listed = train.path("params_not_in_optimizer");
        if (!listed.isArray()) {
            report.add(Check.notChecked(part, "params_not_in_optimizer", "the file does not list them"));
            return;
        }
        List<String> theirs = new ArrayList<>();
        listed.forEach(n -> theirs.add(n.asText()));
        if (theirs.equals(ours)) {
            report.add(Check.of(part, "not in optimizer (" + ours.size() + ")", "gpu", new Comparison(0, 1), null, 0, true));
            return;
        }
        List<String> extra = new ArrayList<>(ours), missing = new ArrayList<>(theirs);
        extra.removeAll(theirs);
        missing.removeAll(ours);
        report.add(new Check(part, "not in optimizer", "gpu", null, null, Double.NaN, false, Check.Status.FAIL,
                "ours leave out " + ours.size() + ", the file " + theirs.size() + (extra.isEmpty() ? "" : "; only ours: " + head(extra))
                        + (missing.isEmpty() ? "" : "; only the file's: " + head(missing)) + (extra.isEmpty() && missing.isEmpty() ? "; order differs" : "")));
    }

    private static String head(List<String> l) {
        return l.size() <= 3 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
    }

    /** The per-element allowance of the class comment; 0 for parameters the optimizer does not hold. */
    static double allowed(double before, double oursAfter, double refAfter, double grad, double gradMax, double lr, boolean optimized) {
        if (!optimized) return 0;
        double rounding = 2 * Math.ulp((float) Math.max(Math.abs(before), Math.max(Math.abs(oursAfter), Math.abs(refAfter)))) + UPDATE_ROUNDING * lr;
        double delta = GRAD_REL * Math.abs(grad) + GRAD_ABS * gradMax;
        double eps = AdamW.EPS;
        double slack = Math.max(Math.abs(grad) - delta, 0) + eps;
        return rounding + lr * Math.min(2, delta * eps / (slack * slack));
    }

    static void checkUpdate(Report report, String name, Tensor p, float[] before, double[] sample, double[] stats, boolean optimized, double lr,
                            double gradMax, Tally tally) {
        float[] after = p.contiguous().floats();
        Tensor gradT = p.grad();
        float[] grad = gradT == null ? new float[after.length] : gradT.contiguous().floats();
        int n = after.length, k = sample.length;
        if (k == 0 || k > n) {
            report.add(new Check(name, "update", "gpu", null, null, Double.NaN, false, Check.Status.FAIL, "sample of " + k + " values for " + n + " elements"));
            return;
        }
        int step = Math.max(1, n / k);
        double worst = 0;
        for (int j = 0; j < k; j++) {
            int i = j * step;
            double uOurs = (double) after[i] - before[i], uRef = sample[j] - before[i];
            double a = allowed(before[i], after[i], sample[j], grad[i], gradMax, lr, optimized);
            double err = Math.abs(uOurs - uRef);
            worst = Math.max(worst, a > 0 ? err / a : (err == 0 ? 0 : Double.POSITIVE_INFINITY));
            tally.elements++;
            if (optimized && a >= lr) tally.flipZone++;
            if (err > lr / 2) tally.offByLr++;
        }
        double statsRatio = 0;
        if (stats != null) {
            double s1 = 0, s2 = 0, s3 = 0, b1 = 0, b2 = 0, b3 = 0;
            for (int i = 0; i < n; i++) {
                double x = after[i];
                double a = optimized ? allowed(before[i], after[i], after[i], grad[i], gradMax, lr, true) + 2 * Math.ulp((float) Math.abs(x)) : 0;
                s1 += x;
                s2 += Math.abs(x);
                s3 += x * x;
                b1 += a;
                b3 += a * (2 * Math.abs(x) + a);
            }
            b2 = b1;
            statsRatio = Math.max(ratio(s1, stats[0], b1, stats[1]), Math.max(ratio(s2, stats[1], b2, stats[1]), ratio(s3, stats[2], b3, stats[2])));
        }
        if (Math.max(worst, statsRatio) > tally.worst) {
            tally.worst = Math.max(worst, statsRatio);
            tally.worstName = name + (statsRatio > worst ? " (stats)" : "");
        }
        report.add(Check.of(name, "update err/allowed", "gpu", new Comparison(Math.max(worst, statsRatio), 1.0), null, 1.0, false));
    }

    /** |ours − ref| over its allowance plus the slack of float64 summation order (1e-12 of the scale). */
    private static double ratio(double ours, double ref, double allowance, double scale) {
        double err = Math.abs(ours - ref);
        double a = allowance + 1e-12 * Math.abs(scale);
        return a > 0 ? err / a : (err == 0 ? 0 : Double.POSITIVE_INFINITY);
    }

    static void checkBuffer(Report report, String name, Tensor t, double[] sample, double[] stats) {
        double[] x = t.toDoubleArray();
        int k = sample.length, step = Math.max(1, x.length / Math.max(k, 1));
        double[] mine = new double[k];
        for (int j = 0; j < k && (long) j * step < x.length; j++) mine[j] = x[j * step];
        Comparison c = Comparison.of(mine, sample);
        if (stats != null) {
            double s1 = 0, s2 = 0, s3 = 0;
            for (double v : x) { s1 += v; s2 += Math.abs(v); s3 += v * v; }
            double scale = Math.max(stats[1], 1e-300);
            double err = Math.max(Math.abs(s1 - stats[0]) / scale, Math.max(Math.abs(s2 - stats[1]) / scale, Math.abs(s3 - stats[2]) / Math.max(stats[2], 1e-300)));
            // stats are relative to themselves; fold them into the same relative measure
            if (err > c.relative()) c = new Comparison(err * c.refScale(), c.refScale());
        }
        report.add(Check.of(name, "running stat after step", "gpu", c, null, TOL_RUNNING, false));
    }
}
