package jcipa.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.device.TimingBackend;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cipa bench}: wall-clock time of one CIPA forward pass (no gradients, eval mode) on random
 * PET-CT input, CPU or CUDA, beside the official GPU build's published figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the CIPA forward pass (inference, no gradients) on random input: median and best of several runs.")
final class BenchCommand implements Callable<Integer> {
    /** The official PyTorch GPU build: sigma_tiny, 512×512, batch 1, on an H200 (issue 8). */
    static final double OFFICIAL_GPU_MS = 57;

    @CommandLine.Mixin DeviceOption device = new DeviceOption();

    @Option(names = "--model", defaultValue = "tiny", description = "tiny (sigma_tiny, default), small or base")
    String model;

    @Option(names = "--size", defaultValue = "512", description = "square input side in pixels (default 512)")
    int size;

    @Option(names = "--batch", defaultValue = "1", description = "images per forward pass (default 1)")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (default 2)")
    int warmup;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (default 5)")
    int runs;

    @Option(names = "--profile", description = "also print the time spent in matrix products, convolutions and scans (copies included) per run")
    boolean profile;

    @Override
    public Integer call() {
        Integer noDevice = device.apply();
        if (noDevice != null) return noDevice;
        if (batch < 1 || runs < 1 || warmup < 0) throw new CommandLine.ParameterException(new CommandLine(this), "--batch and --runs must be >= 1, --warmup >= 0");
        CipaConfig cfg;
        try {
            cfg = CipaConfig.named(model, size);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        Cipa net = new Cipa(cfg, DType.F32);
        net.eval();
        SplittableRandom rng = new SplittableRandom(8);
        byte[] ct = new byte[batch * size * size], pet = new byte[batch * size * size];
        for (int i = 0; i < ct.length; i++) { ct[i] = (byte) rng.nextInt(256); pet[i] = (byte) rng.nextInt(256); }
        Tensor ctT = Inputs.fromU8(ct, batch, size, size), petT = Inputs.fromU8(pet, batch, size, size);
        String where = Backends.current().device() + " (" + Parallel.threads() + " CPU threads for the other ops)";
        System.out.println("bench " + cfg.name() + " " + size + "x" + size + " batch " + batch + " forward on " + where);
        double[] ms = new double[runs];
        TimingBackend timer = profile ? new TimingBackend(Backends.current()) : null;
        if (timer != null) Backends.set(timer);
        try (Autograd.Scope ng = Autograd.noGrad()) {
            for (int i = 0; i < warmup; i++) {
                long t0 = System.nanoTime();
                net.forward(ctT, petT);
                System.out.printf(Locale.ROOT, "  warm-up %d: %.1f ms%n", i + 1, (System.nanoTime() - t0) / 1e6);
            }
            for (int i = 0; i < runs; i++) {
                if (timer != null) timer.reset();
                long t0 = System.nanoTime();
                net.forward(ctT, petT);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                System.out.printf(Locale.ROOT, "  run %d: %.1f ms%n", i + 1, ms[i]);
                if (timer != null) printProfile(timer, ms[i]);
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "forward %s %dx%d batch %d on %s: median %.1f ms, best %.1f ms (%d runs)%n",
                cfg.name(), size, size, batch, Backends.current().device(), median, sorted[0], runs);
        if ("sigma_tiny".equals(cfg.name()) && size == 512 && batch == 1)
            System.out.printf(Locale.ROOT, "official GPU build (PyTorch, H200, batch 1): %.0f ms%n", OFFICIAL_GPU_MS);
        return 0;
    }

    private static void printProfile(TimingBackend timer, double totalMs) {
        double inKernels = 0;
        for (var e : timer.totals().entrySet()) {
            double t = e.getValue()[0] / 1e6;
            inKernels += t;
            System.out.printf(Locale.ROOT, "    %-22s %8.1f ms in %5d calls%n", e.getKey(), t, e.getValue()[1]);
        }
        System.out.printf(Locale.ROOT, "    %-22s %8.1f ms (every other op, on the CPU)%n", "rest", totalMs - inKernels);
    }
}
