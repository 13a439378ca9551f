package jcipa.model.train;

/**
 * The official learning-rate schedule ({@code train_utils/train_and_eval.create_lr_scheduler}, a
 * LambdaLR stepped once per iteration): lr(x) = base·f(x), x = iterations done so far (0 for the
 * first step), with S = steps per epoch, E = epochs, W = warm-up epochs (0 without warm-up):
 * <pre>
 *   warm-up, x ≤ W·S:  α = x/(W·S),  f = factor·(1 − α) + α
 *   otherwise:          f = ((1 + cos((x − W·S)·π / ((E − W)·S))) / 2)·(1 − end) + end
 * </pre>
 * train.py passes {@code warmup=args.warm_up} (default False) and {@code warmup_epochs=args.warm_up_epoch}
 * (default 5); the function's own defaults are warm-up on, 1 epoch, factor 1e-3, end factor 1e-6.
 * Without warm-up f(0) = 1, so the first step uses the base rate.
 */
public final class LrSchedule {
    private final int stepsPerEpoch, epochs, warmupEpochs;
    private final boolean warmup;
    private final double warmupFactor, endFactor;

    public LrSchedule(int stepsPerEpoch, int epochs, boolean warmup, int warmupEpochs, double warmupFactor, double endFactor) {
        if (stepsPerEpoch <= 0 || epochs <= 0)
            throw new IllegalArgumentException("LrSchedule: steps per epoch and epochs must be positive, got " + stepsPerEpoch + " and " + epochs);
        if (warmup && (warmupEpochs <= 0 || warmupEpochs > epochs))
            throw new IllegalArgumentException("LrSchedule: warm-up epochs must be in [1, epochs], got " + warmupEpochs + " of " + epochs);
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.warmup = warmup;
        this.warmupEpochs = warmup ? warmupEpochs : 0;
        this.warmupFactor = warmupFactor;
        this.endFactor = endFactor;
    }

    /** train.py's call with its defaults: no warm-up, cosine over all epochs·steps, end factor 1e-6. */
    public static LrSchedule official(int stepsPerEpoch, int epochs) {
        return new LrSchedule(stepsPerEpoch, epochs, false, 0, 1e-3, 1e-6);
    }

    /** train.py with {@code --warm_up}: warm-up over {@code warmupEpochs} epochs from 1e-3 of the base rate. */
    public static LrSchedule officialWithWarmup(int stepsPerEpoch, int epochs, int warmupEpochs) {
        return new LrSchedule(stepsPerEpoch, epochs, true, warmupEpochs, 1e-3, 1e-6);
    }

    /** The multiplier f(x) of the base rate after x iterations. */
    public double factor(long x) {
        if (x < 0) throw new IllegalArgumentException("LrSchedule: iteration must be >= 0, got " + x);
        long warmSteps = (long) warmupEpochs * stepsPerEpoch;
        if (warmup && x <= warmSteps) {
            double alpha = (double) x / warmSteps;
            return warmupFactor * (1 - alpha) + alpha;
        }
        double current = x - warmSteps;
        double cosineSteps = (double) (epochs - warmupEpochs) * stepsPerEpoch;
        return ((1 + StrictMath.cos(current * Math.PI / cosineSteps)) / 2) * (1 - endFactor) + endFactor;
    }

    /** base·f(x). */
    public double lr(double base, long x) { return base * factor(x); }

    /** Total iterations of the run (epochs·steps per epoch). */
    public long totalSteps() { return (long) epochs * stepsPerEpoch; }
}
