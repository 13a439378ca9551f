package jcipa.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.model.train.TrainStep;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One official training step of sigma_tiny (forward in train mode, dice+BCE loss, backward, AdamW
 * over the official groups), drop path off: {@code tiny512b1} = batch 1 at 512×512,
 * {@code tiny128b2} = batch 2 at 128×128. Weights are seeded uniform values scaled by 1/√fan-in
 * (the time does not depend on them). Each iteration also prints its heap use (see {@link Memory}).
 *
 * <p>Run: {@code ./cipa jmh TrainStepBench} (or {@code -p size=tiny128b2} for the small case only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx16g"})
public class TrainStepBench {
    @Param({"tiny512b1", "tiny128b2"})
    public String size;

    TrainStep step;
    Tensor ct, pet, target;

    @Setup
    public void setup() {
        int side = size.startsWith("tiny512") ? 512 : 128, batch = size.endsWith("b1") ? 1 : 2;
        Cipa model = new Cipa(CipaConfig.tiny(side), DType.F32);
        SplittableRandom r = new SplittableRandom(42);
        model.stateDict().forEach((name, v) -> {
            if (!(v instanceof StateValue.Floats f) || f.tensor().rank() < 2 || name.endsWith("A_logs")) return;   // norms, biases, A, D keep their defaults
            int[] s = f.tensor().shape();
            double bound = 1 / Math.sqrt((double) f.tensor().numel() / s[0]);
            double[] d = new double[f.tensor().numel()];
            for (int i = 0; i < d.length; i++) d[i] = bound * (2 * r.nextDouble() - 1);
            f.set(d);
        });
        step = TrainStep.official(model, null);
        byte[] a = new byte[batch * side * side], b = new byte[a.length], m = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) r.nextInt(256);
            b[i] = (byte) r.nextInt(256);
            m[i] = (byte) (r.nextInt(8) == 0 ? 255 : 0);
        }
        ct = Inputs.fromU8(a, batch, side, side);
        pet = Inputs.fromU8(b, batch, side, side);
        target = Inputs.maskFromU8(m, batch, side, side);
    }

    /**
     * Heap use of each iteration, printed with the iteration's result: the sum of the heap pools'
     * peak usage (an upper bound: uncollected garbage counts, and pools peak at different moments)
     * and the largest heap occupancy right after a collection during the iteration (live data plus
     * what survived, sampled at collections; near the peak live heap since collections are
     * frequent here). Printed rather than reported as JMH counters, which JMH would sum over
     * iterations.
     */
    @State(Scope.Thread)
    public static class Memory {
        double heapPoolPeakMiB, heapAfterGcMaxMiB;
        private volatile double afterGc;
        private final javax.management.NotificationListener listener = (n, h) -> {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
            long used = 0;
            for (var u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
            afterGc = Math.max(afterGc, used / MIB);
        };

        @Setup(Level.Trial)
        public void listen() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans())
                if (gc instanceof javax.management.NotificationEmitter e) e.addNotificationListener(listener, null, null);
        }

        @Setup(Level.Iteration)
        public void reset() {
            heapPoolPeakMiB = 0;
            heapAfterGcMaxMiB = 0;
            afterGc = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }

        void record() {
            long sum = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
            heapPoolPeakMiB = sum / MIB;
            heapAfterGcMaxMiB = afterGc;
            System.out.printf("  heap: pool peaks %.0f MiB, max after a collection %.0f MiB%n", heapPoolPeakMiB, heapAfterGcMaxMiB);
        }
    }

    static final double MIB = 1024.0 * 1024.0;

    @Benchmark
    public double step(Memory memory) {
        double loss = step.step(ct, pet, target, null).loss().item();
        memory.record();
        return loss;
    }
}
