package jcipa.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import jcipa.data.Batch;
import jcipa.data.Loader;
import jcipa.data.Pclt20k;
import jcipa.data.Problem;
import jcipa.model.Cipa;
import jcipa.model.train.AdamW;
import jcipa.model.train.LrSchedule;
import jcipa.model.train.ParamGroups;
import jcipa.model.train.TrainStep;
import jcipa.nn.GeneratedWeights;
import jcipa.nn.StateDictLoader;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * The official training loop ({@code train_and_eval.train_one_epoch}, the call train.py leaves
 * commented out — AUDIT.md entry 15) with checkpoints that make it resumable bit for bit.
 *
 * <p>Step s (counting from 0) is batch {@code s mod S} of epoch {@code s div S} (S batches per
 * epoch, the last partial batch dropped, as train.py's loader does): the slices of that batch and
 * their augmentations are a pure function of (seed, epoch, position) ({@link Loader}), the
 * drop-path draws come from a generator seeded by (seed, s), and the learning rate is the cosine
 * schedule's base·f(s) ({@link LrSchedule#official}). Model, optimizer moments and BatchNorm
 * statistics are saved exactly, so a run stopped after any step and resumed from its checkpoint
 * takes the same steps as one never stopped.
 */
public final class Trainer {
    private final TrainOptions options;
    private final Path out;
    private final Pclt20k data;
    private final List<String> trainNames;
    private final Cipa model;
    private final AdamW optimizer;
    private final TrainStep stepper;
    private final LrSchedule schedule;
    private final int stepsPerEpoch;
    private final TrainHistory history;
    private final String trainSplitSha256;
    private long step;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Trainer(TrainOptions o, Path out, long step, TrainHistory history, Checkpoint.Saved saved) throws IOException {
        checkBatch(o);
        this.options = o;
        this.out = out;
        this.data = Pclt20k.open(o.data());
        this.trainNames = data.split("train");
        List<Problem> problems = data.check(trainNames);
        if (!problems.isEmpty())
            throw new IOException("the training split has " + problems.size() + " bad slice(s), e.g. " + problems.getFirst()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.trainSplitSha256 = sha256(String.join("\n", trainNames));
        if (saved != null && !saved.trainSplitSha256().equals(trainSplitSha256))
            throw new IOException(data.splitFile("train") + " is not the list the checkpoint was trained on (its SHA-256 differs);"
                    + " resuming would not continue the same run");
        this.stepsPerEpoch = Loader.batchesPerEpoch(trainNames.size(), o.batchSize(), true);
        if (stepsPerEpoch == 0)
            throw new IOException("the training split lists " + trainNames.size() + " slices, fewer than one batch of " + o.batchSize());
        this.model = new Cipa(o.config(), DType.F32);
        if (saved == null) {
            Initialization.apply(model, o.seed());
            if (o.init() != null) {
                Weights w = Weights.load(o.init());
                StateDictLoader.load(model, w.stateDict(), true);
            }
        }
        this.optimizer = new AdamW(o.paramGroups().equals("official") ? ParamGroups.official(model) : ParamGroups.all(model),
                o.lr(), AdamW.BETA1, AdamW.BETA2, AdamW.EPS, AdamW.WEIGHT_DECAY);
        if (saved != null) Checkpoint.restore(saved, model, optimizer);
        this.stepper = new TrainStep(model, optimizer);         // the rate is set per step below
        this.schedule = LrSchedule.official(stepsPerEpoch, o.epochs());
        this.step = step;
        this.history = history;
    }

    /** The smallest batch training can normalise: BatchNorm needs two values per channel at the deepest region stem (1×1 per image at 128×128). */
    static void checkBatch(TrainOptions o) {
        String problem = batchTooSmall(o.config().imageSize(), o.batchSize(), "--batch-size");
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /**
     * Why a training step cannot run on {@code batch} images of side {@code imageSize} (the deepest region stem's
     * BatchNorm would see one value per channel), naming the option {@code flag} that sets the batch; null if it can.
     */
    public static String batchTooSmall(int imageSize, int batch, String flag) {
        int regionCells = (imageSize / 128) * (imageSize / 128);
        if (batch * regionCells >= 2) return null;
        return "batch size " + batch + " at " + imageSize + "x" + imageSize
                + " leaves the deepest region stem's BatchNorm one value per channel, which training cannot normalise (PyTorch refuses it too);"
                + " use " + flag + " 2 or more";
    }

    /** A new run writing into {@code out}; refuses a folder that already holds a run (resume it instead). */
    public static Trainer start(TrainOptions o, Path out) throws IOException {
        checkBatch(o);
        if (Files.exists(out.resolve(Checkpoint.JSON)))
            throw new IOException(out + " already holds a training run (" + Checkpoint.JSON + "); pass --resume to continue it, or choose another --out");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + " exists and is not a folder");
        Trainer t = new Trainer(o, out, 0, new TrainHistory(), null);     // checks the data before anything is written
        Files.createDirectories(out);
        return t;
    }

    /** The run saved in {@code out}, continuing where its checkpoint stopped; {@code data} (or null) overrides the recorded data folder. */
    public static Trainer resume(Path out, Path data) throws IOException {
        Checkpoint.Saved s = Checkpoint.read(out, data);
        return new Trainer(s.options(), out, s.step(), s.history(), s);
    }

    public TrainOptions options() { return options; }

    public Cipa model() { return model; }

    public AdamW optimizer() { return optimizer; }

    public TrainHistory history() { return history; }

    /** Steps taken so far. */
    public long step() { return step; }

    public int stepsPerEpoch() { return stepsPerEpoch; }

    public long totalSteps() { return schedule.totalSteps(); }

    /** Background threads preparing batches (results do not depend on it). */
    public Trainer loaderThreads(int n) {
        this.threads = n;
        return this;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The drop-path generator of step s: a pure function of (seed, s). */
    static SplittableRandom dropPathRng(long seed, long step) {
        return new SplittableRandom(GeneratedWeights.splitmix64(seed) ^ step);
    }

    /**
     * Trains until the schedule ends or {@code stopAfter} steps in all (0: no limit), writing a
     * checkpoint at the end of every epoch, every {@code checkpointEvery} steps, and where it stops.
     */
    public void run(long stopAfter, Progress progress) throws IOException {
        long end = stopAfter > 0 ? Math.min(stopAfter, totalSteps()) : totalSteps();
        boolean saved = true;
        while (step < end) {
            int epoch = (int) (step / stepsPerEpoch);
            try (Loader loader = new Loader(data, trainNames, options.batchSize(), true, options.augment(), true, options.seed(), epoch,
                    (int) (step % stepsPerEpoch), threads)) {
                while (loader.hasNext() && step < end) {
                    takeStep(loader.next());
                    saved = false;
                    progress.update(step, totalSteps(), String.format(Locale.ROOT, "epoch %d  loss %.4f  lr %.2e", epoch + 1,
                            history.stepLoss.getLast(), history.stepLr.getLast()));
                    if (step % stepsPerEpoch == 0) {
                        endEpoch(epoch);
                        saved = true;
                    } else if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0) {
                        save();
                        saved = true;
                    }
                }
            }
        }
        if (!saved) save();
        stepper.releaseGradients();
        progress.finish();
    }

    private void takeStep(Batch b) {
        int n = b.count(), s = b.size();
        Tensor ct = Tensor.of(b.ct(), n, 3, s, s), pet = Tensor.of(b.pet(), n, 3, s, s), mask = Tensor.of(b.mask(), n, 1, s, s);
        double lr = schedule.lr(options.lr(), step);
        optimizer.lr(lr);
        TrainStep.Result r = stepper.step(ct, pet, mask, dropPathRng(options.seed(), step));
        history.stepLoss.add(r.loss().item());
        history.stepLr.add(lr);
        step++;
    }

    /** Scores the evaluation split (if any), records the epoch, writes the checkpoint and the curves. */
    private void endEpoch(int epoch) throws IOException {
        stepper.releaseGradients();
        double iou = Double.NaN, f1 = Double.NaN, acc = Double.NaN, hd = Double.NaN;
        if (options.evalSplit() != null && Files.exists(data.splitFile(options.evalSplit()))) {
            List<String> names = data.split(options.evalSplit());
            if (options.evalLimit() > 0 && names.size() > options.evalLimit()) names = names.subList(0, options.evalLimit());
            Evaluation ev = Evaluation.run(Segmenter.of(model), data, names, true, Progress.NONE);
            iou = ev.set().iou();
            f1 = ev.set().f1();
            acc = ev.set().acc();
            hd = ev.meanHd95();
        }
        history.epochs.add(new TrainHistory.Epoch(epoch, step, history.meanLoss(step - stepsPerEpoch, step), iou, f1, acc, hd));
        save();
        Curves.write(out.resolve("curves.png"), history, stepsPerEpoch, options.epochs());
    }

    private void save() throws IOException {
        Checkpoint.write(out, options, step, stepsPerEpoch, model, optimizer, history, trainSplitSha256);
    }
}
