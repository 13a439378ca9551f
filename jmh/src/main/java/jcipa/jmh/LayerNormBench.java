package jcipa.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jcipa.tensor.kernels.LayerNorm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The stage-0 LayerNorm of sigma_tiny at 512×512: (1, 128, 128, 96), normalised over 96 channels. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class LayerNormBench {
    static final int ROWS = 128 * 128, COLS = 96;
    float[] x, w, b, y, mean, rstd, dy, dx, dw, db;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(4);
        x = Data.uniform(r, ROWS * COLS, -2, 2);
        w = Data.uniform(r, COLS, 0.5f, 1.5f);
        b = Data.uniform(r, COLS, -0.5f, 0.5f);
        y = new float[ROWS * COLS];
        mean = new float[ROWS];
        rstd = new float[ROWS];
        dy = Data.uniform(r, ROWS * COLS, -1, 1);
        dx = new float[ROWS * COLS];
        dw = new float[COLS];
        db = new float[COLS];
        LayerNorm.forward(x, w, b, y, mean, rstd, ROWS, COLS, 1e-5f);
    }

    @Benchmark
    public float[] forward() {
        LayerNorm.forward(x, w, b, y, mean, rstd, ROWS, COLS, 1e-5f);
        return y;
    }

    @Benchmark
    public float[] backward() {
        LayerNorm.backward(x, w, mean, rstd, dy, dx, dw, db, ROWS, COLS);
        return dx;
    }
}
