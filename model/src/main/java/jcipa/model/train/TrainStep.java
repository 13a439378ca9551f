package jcipa.model.train;

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
 * {@link #releaseGradients()} to free them.
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
        Tensor logits = model.forward(ct, pet, rng);
        Tensor loss = Losses.diceBce(logits, target);
        for (Tensor p : model.namedParameters().values()) p.zeroGrad();
        loss.backward();
        if (schedule != null) optimizer.lr(schedule.lr(baseLr, iteration));
        optimizer.step();
        iteration++;
        return new Result(logits.detach(), loss.detach());
    }

    /** Clears every parameter's gradient (frees their memory between steps). */
    public void releaseGradients() {
        for (Tensor p : model.namedParameters().values()) p.zeroGrad();
    }
}
