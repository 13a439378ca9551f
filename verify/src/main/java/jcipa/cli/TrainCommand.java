package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import jcipa.api.Checkpoint;
import jcipa.api.ProgressBar;
import jcipa.api.TrainHistory;
import jcipa.api.TrainOptions;
import jcipa.api.Trainer;
import jcipa.model.CipaConfig;
import jcipa.model.train.AdamW;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cipa train}: the official training loop on a PCLT20K-layout folder, resumable bit for bit ({@link Trainer}). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train CIPA on <data>/train.txt with the official loop (train_one_epoch): dice+BCE, AdamW, cosine schedule",
                "without warm-up, the official augmentations. Defaults are train.py's: batch 4, 50 epochs, lr 6e-5, official parameter groups.",
                "Writes <out>/checkpoint.json + checkpoint/ (weights, optimizer moments) atomically at the end of each epoch, every",
                "--checkpoint-every steps and where it stops; <out>/weights.safetensors (the latest weights, for segment/eval);",
                "<out>/curves.png (loss per step, IoU/F1 on --eval-split per epoch). --resume continues a stopped run bit-identically."})
final class TrainCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "PCLT20K-layout folder with train.txt (and test.txt for the curves)")
    Path data;

    @CommandLine.Mixin ModelConfigOptions model = new ModelConfigOptions();

    @Option(names = "--size", defaultValue = "512", description = "training image side, a multiple of 128 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch-size", defaultValue = "" + TrainOptions.OFFICIAL_BATCH, description = "slices per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "" + TrainOptions.OFFICIAL_EPOCHS, description = "epochs of the cosine schedule (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "" + AdamW.LR, description = "AdamW base learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "seed of every random draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--activation-checkpointing", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "recompute each VSS/decoder block's SS2D branch in the backward instead of keeping its activations "
            + "(on by default; --no-activation-checkpointing keeps them): the same bits, about a third of the memory and, "
            + "with less to collect, faster here (sigma_tiny 512x512 batch 1: 14.5 s in a 7 GB heap instead of 17 s with "
            + "15-18 GB of live activations)")
    boolean checkpointing;

    @Option(names = "--param-groups", defaultValue = "official", paramLabel = "official|all",
            description = "official: init_func.group_weight (the SSM parameters stay at their start values, AUDIT.md 11); all: every parameter (default: ${DEFAULT-VALUE})")
    String paramGroups;

    @Option(names = "--init", paramLabel = "W", description = "starting weights (.pth or safetensors; default: seeded initialisation)")
    Path init;

    @Option(names = "--no-augment", description = "train without the official augmentations")
    boolean noAugment;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N", description = "also checkpoint every N steps (default: only each epoch)")
    int checkpointEvery;

    @Option(names = "--eval-split", defaultValue = "test", description = "split scored after each epoch for the curves, 'none' for none (default: ${DEFAULT-VALUE})")
    String evalSplit;

    @Option(names = "--eval-limit", defaultValue = "0", paramLabel = "N", description = "score at most N slices of it (default: all)")
    int evalLimit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder (checkpoints, weights, curves)")
    Path out;

    @Option(names = "--resume", description = "continue the run saved in --out (its recorded settings are used; --data may point at a moved copy)")
    boolean resume;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N", description = "stop (with a checkpoint) once N steps in all are done")
    long maxSteps;

    @Override
    public Integer call() {
        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Trainer trainer;
        try {
            if (resume) {
                trainer = Trainer.resume(out, data);
            } else {
                if (data == null) throw usage("--data is required (unless --resume)");
                CipaConfig cfg = model.resolve(size, null);
                trainer = Trainer.start(new TrainOptions(data, cfg, batchSize, epochs, lr, seed, paramGroups, init, !noAugment, checkpointEvery,
                        evalSplit.equals("none") ? null : evalSplit, evalLimit), out);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        trainer.model().activationCheckpointing(checkpointing);
        TrainOptions o = trainer.options();
        log.printf(Locale.ROOT, "%s, %d steps/epoch x %d epochs, batch %d, lr %.3g, %s groups, seed %d%s%n", o.config(), trainer.stepsPerEpoch(), o.epochs(),
                o.batchSize(), o.lr(), o.paramGroups(), o.seed(), trainer.step() > 0 ? ", resuming after step " + trainer.step() : "");
        try {
            trainer.run(maxSteps, new ProgressBar(System.err, "train"));
        } catch (IOException | RuntimeException e) {
            throw usage(e.getMessage());
        }
        for (TrainHistory.Epoch e : trainer.history().epochs())
            log.printf(Locale.ROOT, "epoch %3d  step %7d  loss %.4f  IoU %.4f  F1 %.4f%n", e.epoch() + 1, e.step(), e.meanLoss(), e.iou(), e.f1());
        log.println("weights: " + out.resolve(Checkpoint.WEIGHTS) + " (step " + trainer.step() + " of " + trainer.totalSteps() + ")");
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
