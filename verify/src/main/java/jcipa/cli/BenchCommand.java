package jcipa.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jcipa.bench.BenchModel;
import jcipa.bench.OpShapes;
import jcipa.bench.PeakMemory;
import jcipa.bench.Timing;
import jcipa.model.train.TrainStep;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cipa bench forward|train|scan|ops}: warm-up runs, then timed repeats; prints each median,
 * the peak memory, and as the last line {@code median_seconds <x>} for the main figure (forward: the
 * inference forward; train: one AdamW step; scan: the stage-0 selective scan; ops: the linear layer).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the forward pass, a training step, the selective scan or the kernels (seeded weights; times do not depend on them).")
final class BenchCommand implements Callable<Integer> {
    enum What { forward, train, scan, ops }

    @Parameters(index = "0", paramLabel = "WHAT", description = "forward, train, scan or ops")
    What what;

    @Option(names = "--config", defaultValue = "tiny", description = "model configuration: tiny, small, base (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--size", defaultValue = "512", description = "image side (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", defaultValue = "1", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--repeat", defaultValue = "5", description = "timed runs (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() {
        if (repeat < 1 || warmup < 0) throw new IllegalArgumentException("bench: --repeat must be >= 1 and --warmup >= 0");
        System.out.printf("bench %s: %s, %d thread(s), java %s%n", what, Simd.describe(), Parallel.threads(), System.getProperty("java.version"));
        PeakMemory memory = new PeakMemory();
        List<Timing.Runs> runs = new ArrayList<>();
        switch (what) {
            case forward -> {
                BenchModel m = BenchModel.create(config, size, batch);
                m.model().eval();
                System.out.printf("model: sigma_%s %dx%d batch %d, %,d parameters%n", config, size, size, batch, m.model().parameterCount());
                runs.add(Timing.measure("forward", warmup, repeat, () -> {
                    try (Autograd.Scope ng = Autograd.noGrad()) {
                        Tensor y = m.model().forward(m.ct(), m.pet());
                        y.contiguous();
                    }
                }));
            }
            case train -> {
                BenchModel m = BenchModel.create(config, size, batch);
                TrainStep step = TrainStep.official(m.model(), null);
                System.out.printf("model: sigma_%s %dx%d batch %d, %,d parameters%n", config, size, size, batch, m.model().parameterCount());
                runs.add(Timing.measure("train step", warmup, repeat, () -> step.step(m.ct(), m.pet(), m.target(), null)));
            }
            case scan -> runs.add(Timing.measure("scan forward D=768 N=16 L=16384", warmup, repeat, OpShapes.scanForward()));
            case ops -> {
                runs.add(Timing.measure("linear 16384x96->384", warmup, repeat, OpShapes.linear()));
                runs.add(Timing.measure("depthwise 3x3 192@128x128", warmup, repeat, OpShapes.depthwiseConv()));
                runs.add(Timing.measure("dense 3x3 96->24@128x128", warmup, repeat, OpShapes.denseConv()));
                runs.add(Timing.measure("layer norm 16384x96", warmup, repeat, OpShapes.layerNorm()));
                runs.add(Timing.measure("scan forward D=768 L=16384", warmup, repeat, OpShapes.scanForward()));
            }
        }
        for (Timing.Runs r : runs) System.out.println(r.line());
        System.out.println(memory.line());
        System.out.printf("median_seconds %s%n", Double.toString(runs.get(0).median()));
        return 0;
    }
}
