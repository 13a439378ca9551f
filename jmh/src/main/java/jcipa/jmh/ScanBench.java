package jcipa.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jcipa.tensor.kernels.SelectiveScan;
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
 * The selective scan of one SS2D call at stage 0 of sigma_tiny at 512×512: D = 4·192 = 768
 * channels in K = 4 groups, N = 16 states, L = 128·128 = 16384 (and L = 4096 for 256×256).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class ScanBench {
    @Param({"16384", "4096"})
    public int L;

    static final int K = 4, DG = 192, N = 16;
    float[] u, delta, A, B, C, D, bias, y, dy, du, dDelta, dA, dB, dC, dD, dBias;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        int d = K * DG;
        u = Data.uniform(r, d * L, -1, 1);
        delta = Data.uniform(r, d * L, -4, -1);
        A = Data.uniform(r, d * N, -8, -0.5f);
        B = Data.uniform(r, K * N * L, -1, 1);
        C = Data.uniform(r, K * N * L, -1, 1);
        D = Data.uniform(r, d, -1, 1);
        bias = Data.uniform(r, d, -1, 1);
        y = new float[d * L];
        dy = Data.uniform(r, d * L, -1, 1);
        du = new float[d * L];
        dDelta = new float[d * L];
        dA = new float[d * N];
        dB = new float[K * N * L];
        dC = new float[K * N * L];
        dD = new float[d];
        dBias = new float[d];
    }

    @Benchmark
    public float[] forward() {
        SelectiveScan.forward(u, delta, A, B, C, D, bias, 1, K, DG, L, N, y);
        return y;
    }

    @Benchmark
    public float[] backward() {
        SelectiveScan.backward(u, delta, A, B, C, D, bias, 1, K, DG, L, N, dy, du, dDelta, dA, dB, dC, dD, dBias);
        return du;
    }
}
