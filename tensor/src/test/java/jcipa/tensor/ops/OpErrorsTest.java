package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong shapes, mismatched dtypes and NaN-producing inputs fail with messages naming the op and the shapes. */
class OpErrorsTest {
    static Tensor f32(int... shape) { return Tensor.zeros(DType.F32, shape); }
    static Tensor f64(int... shape) { return Tensor.zeros(DType.F64, shape); }

    static void fails(Class<? extends Throwable> type, Executable e, String... fragments) {
        Throwable t = assertThrows(type, e);
        for (String f : fragments) assertTrue(t.getMessage().contains(f), "message '" + t.getMessage() + "' lacks '" + f + "'");
    }

    @Test
    void shapeErrors() {
        fails(IllegalArgumentException.class, () -> Linear.linear(f32(2, 5), f32(3, 4), null), "linear", "[2, 5]", "[3, 4]");
        fails(IllegalArgumentException.class, () -> Linear.matmul(f32(2, 3, 4), f32(2, 5, 6)), "matmul", "[2, 3, 4]", "[2, 5, 6]");
        fails(IllegalArgumentException.class, () -> Linear.matmul(f32(2, 3, 4), f32(3, 4, 6)), "matmul", "batch");
        fails(IllegalArgumentException.class, () -> Conv2dOp.apply(f32(1, 3, 8, 8), f32(4, 2, 3, 3), null, 1, 1, 1), "conv2d", "[1, 3, 8, 8]", "[4, 2, 3, 3]");
        fails(IllegalArgumentException.class, () -> Conv2dOp.apply(f32(1, 4, 2, 2), f32(4, 4, 5, 5), null, 1, 0, 1), "conv2d", "kernel");
        fails(IllegalArgumentException.class, () -> Norms.layerNorm(f32(2, 7), new int[] {6}, null, null, 1e-5), "layerNorm", "[2, 7]", "[6]");
        fails(IllegalArgumentException.class, () -> Norms.batchNorm2d(f32(2, 3, 4), null, null, null, null, true, 0.1, 1e-5), "batchNorm2d", "[2, 3, 4]");
        fails(IllegalArgumentException.class, () -> Norms.batchNorm2d(f32(1, 3, 1, 1), null, null, null, null, true, 0.1, 1e-5), "batchNorm2d", "more than 1 value");
        fails(IllegalArgumentException.class, () -> Pooling.avgPool2d(f32(1, 1, 2, 2), 3, 3, 1, 1), "avgPool2d", "[1, 1, 2, 2]");
        fails(IllegalArgumentException.class, () -> Interpolate.bilinear(f32(1, 2, 3), 4, 4), "bilinear", "[1, 2, 3]");
        fails(IllegalArgumentException.class, () -> SelectiveScanOp.apply(f32(1, 8, 5), f32(1, 8, 5), f32(8, 4), f32(1, 3, 4, 5), f32(1, 3, 4, 5), null, null),
                "selectiveScan", "K=3");
        fails(IllegalArgumentException.class, () -> SelectiveScanOp.apply(f32(1, 8, 5), f32(1, 8, 6), f32(8, 4), f32(1, 2, 4, 5), f32(1, 2, 4, 5), null, null),
                "selectiveScan", "delta", "[1, 8, 6]");
        fails(IllegalArgumentException.class, () -> CrossScanOp.crossMerge(f32(1, 4, 2, 10), 3, 3), "crossMerge", "[1, 4, 2, 10]");
        fails(IllegalArgumentException.class, () -> Losses.bceWithLogits(f32(2, 3), f32(3, 2)), "bceWithLogits", "[2, 3]", "[3, 2]");
        fails(IllegalArgumentException.class, () -> Joins.split(f32(5), 0, 2, 2), "split", "[5]");
    }

    @Test
    void dtypeErrors() {
        fails(IllegalArgumentException.class, () -> Linear.linear(f32(2, 4), f64(3, 4), null), "linear", "F32", "F64");
        fails(IllegalArgumentException.class, () -> Conv2dOp.apply(f64(1, 3, 8, 8), f32(4, 3, 3, 3), null, 1, 1, 1), "conv2d", "F64", "F32");
        fails(IllegalArgumentException.class, () -> Norms.layerNorm(f32(2, 4), new int[] {4}, f64(4), null, 1e-5), "layerNorm", "F32", "F64");
        fails(IllegalArgumentException.class, () -> Joins.concat(0, f32(2), f64(2)), "concat", "F32", "F64");
    }

    @Test
    void nanProducingInputs() {
        Tensor neg = Tensor.of(new float[] {1, -4, 9}, 3);
        fails(ArithmeticException.class, () -> Pointwise.sqrt(neg), "sqrt", "[3]", "produced NaN");
        Tensor inf = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1}, 2);
        fails(ArithmeticException.class, () -> inf.sub(inf), "sub", "[2]");
        Tensor x = Tensor.of(new float[] {0, Float.NaN, 1, 2}, 1, 1, 2, 2);
        fails(ArithmeticException.class, () -> Conv2dOp.apply(x, Tensor.ones(DType.F32, 1, 1, 1, 1), null, 1, 0, 1), "conv2d", "already contains NaN");
        // a dense 3×3 convolution, whose kernel looks for NaN as it writes (the op then does not scan y again)
        float[] dense = new float[8 * 6 * 6];
        dense[100] = Float.NaN;
        fails(ArithmeticException.class, () -> Conv2dOp.apply(Tensor.of(dense, 1, 8, 6, 6), Tensor.ones(DType.F32, 4, 8, 3, 3), null, 1, 1, 1),
                "conv2d", "already contains NaN", "[1, 8, 6, 6]");
        fails(ArithmeticException.class, () -> Conv2dOp.apply(Tensor.of(dense, 1, 8, 6, 6), Tensor.ones(DType.F32, 8, 1, 3, 3), null, 1, 1, 8),
                "conv2d", "already contains NaN", "[8, 1, 3, 3]");
        fails(ArithmeticException.class, () -> Conv2dOp.depthwise3x3ChannelsLast(Tensor.of(dense, 1, 6, 6, 8), Tensor.ones(DType.F32, 8, 1, 3, 3), null, true),
                "conv2d+silu", "already contains NaN", "[1, 6, 6, 8]");
        Tensor bigInf = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 0, 0, 0}, 1, 1, 2, 2);
        fails(ArithmeticException.class, () -> Norms.layerNorm(bigInf, new int[] {2}, null, null, 1e-5), "layerNorm", "[1, 1, 2, 2]");
    }
}
