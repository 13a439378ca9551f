package jcipa.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jcipa.tensor.kernels.Conv2d;
import jcipa.tensor.kernels.ConvShape;
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

/** SS2D's depthwise 3×3 convolution at stage 0 of sigma_tiny, 512×512: (1, 192, 128, 128). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {
    ConvShape s, dense;
    float[] x, w, b, y, dy, dx, dw;
    float[] denseX, denseW, denseB, denseY;

    @Setup
    public void setup() {
        s = ConvShape.of(1, 192, 128, 128, 192, 3, 1, 1, 192);
        SplittableRandom r = new SplittableRandom(3);
        x = Data.uniform(r, s.inputSize(), -1, 1);
        w = Data.uniform(r, s.weightSize(), -0.3f, 0.3f);
        b = Data.uniform(r, 192, -0.1f, 0.1f);
        y = new float[s.outputSize()];
        dy = Data.uniform(r, s.outputSize(), -1, 1);
        dx = new float[s.inputSize()];
        dw = new float[s.weightSize()];
        dense = ConvShape.of(1, 96, 128, 128, 32, 3, 1, 1, 1);      // the decoder CAB's compress conv at stage 0
        denseX = Data.uniform(r, dense.inputSize(), -1, 1);
        denseW = Data.uniform(r, dense.weightSize(), -0.1f, 0.1f);
        denseB = Data.uniform(r, 32, -0.1f, 0.1f);
        denseY = new float[dense.outputSize()];
    }

    @Benchmark
    public float[] dense3x3Forward() {
        Conv2d.forward(dense, denseX, denseW, denseB, denseY);
        return denseY;
    }

    @Benchmark
    public float[] depthwiseForward() {
        Conv2d.forward(s, x, w, b, y);
        return y;
    }

    @Benchmark
    public float[] depthwiseBackwardInput() {
        Conv2d.backwardInput(s, dy, w, dx);
        return dx;
    }

    @Benchmark
    public float[] depthwiseBackwardWeight() {
        Conv2d.backwardWeight(s, x, dy, dw);
        return dw;
    }
}
