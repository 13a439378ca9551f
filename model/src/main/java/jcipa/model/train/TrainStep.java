package jcipa.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import jcipa.model.Cipa;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Losses;

/**
 * One iteration of the official training loop ({@code train_and_eval.train_one_epoch}, fp32):
 * <pre>
 *   model.train()                 BatchNorm: batch statistics, running statistics updated
 *   logits = model(ct, pet)       drop path on (masks from rng) or off (rng null)
 *   loss = diceBce(logits, target)
 *   zero grads; loss.backward(); optimizer.step(); scheduler step
 * </pre>
 * The gradients stay on the parameters after the step (as in PyTorch, until the next zero_grad),
 * so a caller can inspect them; the next step clears them before its backward, or call
 * {@link #releaseGradients()} to free them. Parameters that no optimizer group holds (with the official groups: the
 * selective-scan parameters and the decoder's scales, which the official step never changes) get no gradient:
 * they are marked as needing none for the step, so the backward skips their products (x_proj's and dt_proj's
 * weight gradients among them), and marked again afterwards ({@link #allGradients} keeps them).
 *
 * <p>With a schedule, step x (counting from 0) uses lr = base·f(x), base being the optimizer's
 * learning rate when this object was made.
 */
public final class TrainStep {
    /** What one step produced: the training-mode logits (B, 1, H, W) and the loss (a scalar), detached. */
    public record Result(Tensor logits, Tensor loss) {}

    private final Cipa model;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final double baseLr;
    private long iteration;
    private boolean allGradients;

    /** A constant learning rate (the optimizer's). */
    public TrainStep(Cipa model, AdamW optimizer) { this(model, optimizer, null); }

    public TrainStep(Cipa model, AdamW optimizer, LrSchedule schedule) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.baseLr = optimizer.lr();
    }

    /** The official optimizer (AdamW, official groups and settings) for a model. */
    public static TrainStep official(Cipa model, LrSchedule schedule) {
        return new TrainStep(model, new AdamW(ParamGroups.official(model)), schedule);
    }

    public AdamW optimizer() { return optimizer; }

    /** Iterations taken so far. */
    public long iteration() { return iteration; }

    /**
     * Takes one step on a batch: ct, pet (B, 3, S, S), target (B, 1, S, S) in [0, 1]. {@code rng}
     * draws the drop-path masks; null turns drop path off for this step (the rate-0 step).
     */
    public Result step(Tensor ct, Tensor pet, Tensor target, SplittableRandom rng) {
        if (!Autograd.isEnabled()) throw new IllegalStateException("TrainStep: gradients are switched off on this thread (inside a noGrad scope)");
        model.train(true);
        model.dropPathEnabled(rng != null);
        for (Tensor p : model.namedParameters().values()) p.zeroGrad();
        List<Tensor> untrained = untrainedParameters();
        for (Tensor p : untrained) p.requiresGrad(false);
        Tensor logits, loss;
        try {
            logits = model.forward(ct, pet, rng);
            loss = Losses.diceBce(logits, target);
            loss.backward();
        } finally {
            for (Tensor p : untrained) p.requiresGrad(true);
        }
        if (schedule != null) optimizer.lr(schedule.lr(baseLr, iteration));
        optimizer.step();
        iteration++;
        return new Result(logits.detach(), loss.detach());
    }

    /**
     * With {@code true}, parameters that no optimizer group holds get their gradients too (the official PyTorch step
     * computes them and never reads them); off by default. Returns this.
     */
    public TrainStep allGradients(boolean on) {
        this.allGradients = on;
        return this;
    }

    /** The parameters that need a gradient but that no optimizer group holds (none with {@link #allGradients}). */
    private List<Tensor> untrainedParameters() {
        if (allGradients) return List.of();
        Set<Tensor> held = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : optimizer.groups()) for (var e : g.params()) held.add(e.getValue());
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : model.namedParameters().values()) if (p.requiresGrad() && !held.contains(p)) out.add(p);
        return out;
    }

    /** Clears every parameter's gradient (frees their memory between steps). */
    public void releaseGradients() {
        for (Tensor p : model.namedParameters().values()) p.zeroGrad();
    }
}
