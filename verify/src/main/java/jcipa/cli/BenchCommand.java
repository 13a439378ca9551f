package jcipa.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import jcipa.api.Trainer;
import jcipa.bench.BenchModel;
import jcipa.bench.OpShapes;
import jcipa.bench.PeakMemory;
import jcipa.bench.Timing;
import jcipa.model.CipaConfig;
import jcipa.model.train.TrainStep;
import jcipa.tensor.Autograd;
import jcipa.tensor.OpClock;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.device.TimingBackend;
import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cipa bench forward|train|scan|ops}: warm-up runs, then timed repeats; prints each median,
 * the peak memory, and as the last line {@code median_seconds <x>} for the main figure (forward: the
 * inference forward; train: one AdamW step; scan: the stage-0 selective scan; ops: the linear layer).
 * With {@code --device cuda} the matrix products, convolutions and scans run on the GPU.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the forward pass, a training step, the selective scan or the kernels (seeded weights; times do not depend on them).")
final class BenchCommand implements Callable<Integer> {
    /** The official PyTorch GPU build: sigma_tiny, 512×512, batch 1, on an H200 (issue 8). */
    static final double OFFICIAL_GPU_MS = 57;

    enum What { forward, train, scan, ops }

    @Parameters(index = "0", arity = "0..1", defaultValue = "forward", paramLabel = "WHAT", description = "forward (default), train, scan or ops")
    What what;

    @CommandLine.Mixin DeviceOption device = new DeviceOption();

    @Option(names = {"--config", "--model"}, defaultValue = "tiny", description = "model configuration: tiny, small, base (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--size", defaultValue = "512", description = "image side (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", defaultValue = "1", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = {"--repeat", "--runs"}, defaultValue = "5", description = "timed runs (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", description = "untimed runs first (default: forward 6, train 3, scan and ops 3)")
    Integer warmup;

    /**
     * Untimed runs by default: enough to reach the steady state on a 2-core machine, where C2 is still compiling
     * during the first forward runs on two threads (its compiler threads then compete with the workers; 1-thread
     * runs leave them the second core), and a training step's heap and compiled code settle over about three steps.
     */
    static int defaultWarmup(What what) {
        return what == What.forward ? 6 : 3;
    }

    @Option(names = "--activation-checkpointing", description = "train: recompute each VSS/decoder block's SS2D branch in the backward instead of keeping its activations (same bits, less memory)")
    boolean checkpointing;

    @Option(names = "--profile", description = "forward, train: also print the time spent in matrix products, convolutions and scans (copies included) and the heaviest ops (train: a node's backward as 'backward <op>'), per run")
    boolean profile;

    @Option(names = "--against-one-thread", description = "forward, train, scan: also run on one thread, in turn with the chosen thread count run by run in this JVM (order swapped every round), and print both medians and the speedup")
    boolean againstOneThread;

    @Override
    public Integer call() {
        Integer noDevice = device.apply();
        if (noDevice != null) return noDevice;
        int warmup = this.warmup != null ? this.warmup : defaultWarmup(what);
        if (repeat < 1 || warmup < 0 || batch < 1)
            throw new CommandLine.ParameterException(new CommandLine(this), "bench: --repeat and --batch must be >= 1 and --warmup >= 0");
        if (againstOneThread && (what == What.ops || profile))
            throw new CommandLine.ParameterException(new CommandLine(this), "bench: --against-one-thread times forward, train or scan, without --profile");
        if (what == What.forward || what == What.train) {
            try {
                CipaConfig.named(config, size);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }
        System.out.printf("bench %s: %s, %d thread(s), device %s, java %s%n", what, Simd.describe(), Parallel.threads(),
                Backends.current().device(), System.getProperty("java.version"));
        PeakMemory memory = new PeakMemory();
        List<Timing.Runs> runs = new ArrayList<>();
        switch (what) {
            case forward -> {
                BenchModel m = BenchModel.create(config, size, batch);
                m.model().eval();
                System.out.printf("model: sigma_%s %dx%d batch %d, %,d parameters%n", config, size, size, batch, m.model().parameterCount());
                measure(runs, "forward", warmup, profiled(() -> {
                    try (Autograd.Scope ng = Autograd.noGrad()) {
                        Tensor y = m.model().forward(m.ct(), m.pet());
                        y.contiguous();
                    }
                }));
                if ("tiny".equals(config) && size == 512 && batch == 1)
                    System.out.printf(Locale.ROOT, "official GPU build (PyTorch, H200, batch 1): %.0f ms%n", OFFICIAL_GPU_MS);
            }
            case train -> {
                String tooSmall = Trainer.batchTooSmall(size, batch, "--batch");
                if (tooSmall != null) throw new CommandLine.ParameterException(new CommandLine(this), "bench train: " + tooSmall);
                BenchModel m = BenchModel.create(config, size, batch);
                m.model().activationCheckpointing(checkpointing);
                TrainStep step = TrainStep.official(m.model(), null);
                System.out.printf("model: sigma_%s %dx%d batch %d, %,d parameters%n", config, size, size, batch, m.model().parameterCount());
                measure(runs, "train step", warmup, profiled(() -> step.step(m.ct(), m.pet(), m.target(), null)));
            }
            case scan -> measure(runs, "scan forward D=768 N=16 L=16384", warmup, OpShapes.scanForward());
            case ops -> {
                runs.add(Timing.measure("linear 16384x96->384", warmup, repeat, OpShapes.linear()));
                runs.add(Timing.measure("depthwise 3x3 192@128x128", warmup, repeat, OpShapes.depthwiseConv()));
                runs.add(Timing.measure("dense 3x3 96->24@128x128", warmup, repeat, OpShapes.denseConv()));
                runs.add(Timing.measure("layer norm 16384x96", warmup, repeat, OpShapes.layerNorm()));
                runs.add(Timing.measure("scan forward D=768 L=16384", warmup, repeat, OpShapes.scanForward()));
            }
        }
        for (Timing.Runs r : runs) System.out.println(r.line());
        if (againstOneThread) System.out.println(Timing.speedupLine(runs.get(1), runs.get(0), Parallel.threads()));
        System.out.println(memory.line());
        System.out.printf("median_seconds %s%n", Double.toString(runs.get(0).median()));
        return 0;
    }

    /**
     * Times {@code body} into {@code runs}: at the chosen thread count first (the main figure), then, with
     * --against-one-thread, on one thread (the two taken in turn).
     */
    private void measure(List<Timing.Runs> runs, String name, int warmup, Runnable body) {
        if (!againstOneThread) {
            runs.add(Timing.measure(name, warmup, repeat, body));
            return;
        }
        Timing.Runs[] both = Timing.againstOneThread(name, warmup, repeat, Parallel.threads(), body);
        runs.add(both[1]);
        runs.add(both[0]);
    }

    /** {@code run} itself, or with --profile, {@code run} timed kernel by kernel and op by op, the profile printed after each run. */
    private Runnable profiled(Runnable run) {
        if (!profile) return run;
        TimingBackend timer = new TimingBackend(Backends.current());
        Backends.set(timer);
        return () -> {
            timer.reset();
            OpClock.start();
            long t0 = System.nanoTime();
            run.run();
            printProfile(timer, OpClock.stop(), (System.nanoTime() - t0) / 1e6);
        };
    }

    private static void printProfile(TimingBackend timer, Map<String, long[]> ops, double totalMs) {
        double inKernels = 0;
        for (var e : timer.totals().entrySet()) {
            double t = e.getValue()[0] / 1e6;
            inKernels += t;
            System.out.printf(Locale.ROOT, "    %-22s %8.1f ms in %5d calls%n", e.getKey(), t, e.getValue()[1]);
        }
        System.out.printf(Locale.ROOT, "    %-22s %8.1f ms (every other op, on the CPU)%n", "rest", totalMs - inKernels);
        System.out.println("    heaviest call shapes:");
        timer.totalsByShape().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(PROFILE_SHAPES)
                .forEach(e -> System.out.printf(Locale.ROOT, "      %8.1f ms %5d x  %s%n", e.getValue()[0] / 1e6,
                        e.getValue()[1], e.getKey()));
        System.out.println("    heaviest ops (wall time since the op before, kernels included):");
        ops.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(PROFILE_OPS)
                .forEach(e -> System.out.printf(Locale.ROOT, "      %8.1f ms %5d x  %s%n", e.getValue()[0] / 1e6,
                        e.getValue()[1], e.getKey()));
    }

    /** How many call shapes --profile lists, heaviest first. */
    private static final int PROFILE_SHAPES = 40;
    /** How many ops --profile lists, heaviest first. */
    private static final int PROFILE_OPS = 30;
}
