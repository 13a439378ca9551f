package jcipa.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jcipa.tensor.kernels.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Linear layers of sigma_tiny at 512×512 (x (M, K) · Wᵀ, W (N, K)): stage-0 in_proj (16384 tokens,
 * 96 → 384), stage-0 out_proj (192 → 96), stage-2 in_proj (1024 tokens, 384 → 1536), the patch
 * merging 4C → 2C at stage 0 (4096 tokens, 384 → 192).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBench {
    @Param({"16384x96x384", "16384x192x96", "1024x384x1536", "4096x384x192"})
    public String mkn;

    int m, k, n;
    float[] x, w, y;

    @Setup
    public void setup() {
        String[] p = mkn.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        SplittableRandom r = new SplittableRandom(2);
        x = Data.uniform(r, m * k, -1, 1);
        w = Data.uniform(r, n * k, -0.1f, 0.1f);
        y = new float[m * n];
    }

    @Benchmark
    public float[] linear() {
        Gemm.linear(x, w, y, m, k, n);
        return y;
    }
}
