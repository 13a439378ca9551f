package jcipa.tensor.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import jcipa.tensor.Tensor;

/**
 * Every differentiable op, as a function of float64 inputs of random small shapes, for the
 * finite-difference property. Add each new op here.
 */
final class OpCatalog {
    private OpCatalog() {}

    /** One case: a name, a maker of inputs for a random source, and the function to differentiate. */
    record Case(String name, Function<SplittableRandom, Tensor[]> inputs, Function<Tensor[], Tensor> f) {
        @Override public String toString() { return name; }
    }

    static Tensor rand(SplittableRandom r, double lo, double hi, int... shape) {
        double[] d = new double[jcipa.tensor.Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble(lo, hi);
        return Tensor.of(d, shape);
    }

    /** {@link #rand} as float32. */
    static Tensor randF32(SplittableRandom r, double lo, double hi, int... shape) {
        return rand(r, lo, hi, shape).to(jcipa.tensor.DType.F32);
    }

    static int dim(SplittableRandom r) {
        int[] sizes = {1, 2, 3, 5};
        return sizes[r.nextInt(sizes.length)];
    }

    static final List<Case> ALL = new ArrayList<>();

    static void add(String name, Function<SplittableRandom, Tensor[]> in, Function<Tensor[], Tensor> f) { ALL.add(new Case(name, in, f)); }

    static {
        add("add broadcast", r -> { int a = dim(r), b = dim(r); return new Tensor[] {rand(r, -2, 2, a, b), rand(r, -2, 2, b)}; }, x -> x[0].add(x[1]));
        add("sub broadcast", r -> { int a = dim(r), b = dim(r); return new Tensor[] {rand(r, -2, 2, a, 1), rand(r, -2, 2, a, b)}; }, x -> x[0].sub(x[1]));
        add("mul broadcast", r -> { int a = dim(r), b = dim(r); return new Tensor[] {rand(r, -2, 2, a, b), rand(r, -2, 2, 1, b)}; }, x -> x[0].mul(x[1]));
        add("div", r -> { int a = dim(r); return new Tensor[] {rand(r, -2, 2, a, 3), rand(r, 0.5, 2, a, 3)}; }, x -> x[0].div(x[1]));
        add("neg", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r))}, x -> x[0].neg());
        add("exp", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r))}, x -> Pointwise.exp(x[0]));
        add("log", r -> new Tensor[] {rand(r, 0.2, 3, dim(r), dim(r))}, x -> Pointwise.log(x[0]));
        add("log1p", r -> new Tensor[] {rand(r, -0.5, 3, dim(r), dim(r))}, x -> Pointwise.log1p(x[0]));
        add("tanh", r -> new Tensor[] {rand(r, -3, 3, dim(r), dim(r))}, x -> Pointwise.tanh(x[0]));
        add("erf", r -> new Tensor[] {rand(r, -3, 3, dim(r), dim(r))}, x -> Pointwise.erf(x[0]));
        add("sigmoid", r -> new Tensor[] {rand(r, -5, 5, dim(r), dim(r))}, x -> Pointwise.sigmoid(x[0]));
        add("softplus", r -> new Tensor[] {rand(r, -5, 25, dim(r), dim(r))}, x -> Pointwise.softplus(x[0]));
        add("silu", r -> new Tensor[] {rand(r, -5, 5, dim(r), dim(r))}, x -> Pointwise.silu(x[0]));
        add("gelu", r -> new Tensor[] {rand(r, -4, 4, dim(r), dim(r))}, x -> Pointwise.gelu(x[0]));
        add("relu", r -> new Tensor[] {rand(r, 0.1, 1, dim(r), dim(r)).mul(rand(r, -1, 1, 1).storageDoubles()[0] > 0 ? 1.0 : -1.0)}, x -> Pointwise.relu(x[0]));
        add("sqrt", r -> new Tensor[] {rand(r, 0.3, 3, dim(r), dim(r))}, x -> Pointwise.sqrt(x[0]));
        add("square", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r))}, x -> Pointwise.square(x[0]));
        add("sum dim", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r), dim(r))}, x -> x[0].sum(1, false));
        add("mean keepdim", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r), dim(r))}, x -> x[0].mean(-1, true));
        add("sum all", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r))}, x -> x[0].sum());
        add("permute", r -> new Tensor[] {rand(r, -2, 2, dim(r), dim(r), dim(r))}, x -> x[0].permute(2, 0, 1).mul(x[0].permute(2, 0, 1)));
        add("slice", r -> new Tensor[] {rand(r, -2, 2, 4, dim(r))}, x -> x[0].slice(0, 1, 3).square());
        add("flip", r -> new Tensor[] {rand(r, -2, 2, dim(r), 3)}, x -> x[0].flip(1).mul(x[0]));
        add("expand", r -> new Tensor[] {rand(r, -2, 2, dim(r), 1)}, x -> x[0].expand(-1, 4).square());
        add("reshape", r -> new Tensor[] {rand(r, -2, 2, 2, 3)}, x -> x[0].transpose(0, 1).reshape(6).square());
        add("concat", r -> new Tensor[] {rand(r, -2, 2, 2, dim(r)), rand(r, -2, 2, 2, dim(r))}, x -> Joins.concat(1, x[0], x[1]).square());
        add("split", r -> new Tensor[] {rand(r, -2, 2, 5, 2)}, x -> Joins.split(x[0], 0, 2, 3).get(1).square());
        add("selectiveScan", r -> {
            int b = 1 + r.nextInt(2), k = 1 + r.nextInt(2), dg = dim(r), l = 1 + r.nextInt(6), n = 1 + r.nextInt(3);
            return new Tensor[] {rand(r, -1, 1, b, k * dg, l), rand(r, -2, 1, b, k * dg, l), rand(r, -2, -0.1, k * dg, n),
                    rand(r, -1, 1, b, k, n, l), rand(r, -1, 1, b, k, n, l), rand(r, -1, 1, k * dg), rand(r, -1, 1, k * dg)};
        }, x -> SelectiveScanOp.apply(x[0], x[1], x[2], x[3], x[4], x[5], x[6]));
        add("crossScan", r -> new Tensor[] {rand(r, -1, 1, dim(r), dim(r), dim(r), dim(r))}, x -> CrossScanOp.crossScan(x[0]).square());
        add("crossMerge", r -> new Tensor[] {rand(r, -1, 1, 1, 4, dim(r), 2 * dim(r))},   // H = 2, W = L/2
                x -> CrossScanOp.crossMerge(x[0], 2, x[0].size(3) / 2).square());
        add("bceWithLogits", r -> { int a = dim(r), b = dim(r); return new Tensor[] {rand(r, -4, 4, a, b), rand(r, 0, 1, a, b)}; },
                x -> Losses.bceWithLogits(x[0], x[1]));
        add("diceBce", r -> { int a = dim(r), b = dim(r); return new Tensor[] {rand(r, -4, 4, 2, 1, a, b), rand(r, 0, 1, 2, 1, a, b)}; },
                x -> Losses.diceBce(x[0], x[1]));
        add("dropPath", r -> new Tensor[] {rand(r, -2, 2, 4, dim(r), dim(r))}, x -> DropPath.apply(x[0], 0.5, true, new java.util.SplittableRandom(7)));
        add("conv2d dense", r -> { int ci = dim(r), co = dim(r); return new Tensor[] {rand(r, -1, 1, 2, ci, 5, 4), rand(r, -1, 1, co, ci, 3, 3), rand(r, -1, 1, co)}; },
                x -> Conv2dOp.apply(x[0], x[1], x[2], 1, 1, 1, 1, 1));
        add("conv2d stride 2 no bias", r -> new Tensor[] {rand(r, -1, 1, 1, 2, 7, 6), rand(r, -1, 1, 3, 2, 3, 3)},
                x -> Conv2dOp.apply(x[0], x[1], null, 2, 2, 1, 1, 1));
        add("conv2d depthwise", r -> { int c = dim(r); return new Tensor[] {rand(r, -1, 1, 2, c, 4, 5), rand(r, -1, 1, c, 1, 3, 3), rand(r, -1, 1, c)}; },
                x -> Conv2dOp.apply(x[0], x[1], x[2], 1, 1, 1, 1, x[0].size(1)));
        add("conv2d groups 2, 4x4 stride 4", r -> new Tensor[] {rand(r, -1, 1, 1, 4, 8, 8), rand(r, -1, 1, 6, 2, 4, 4), rand(r, -1, 1, 6)},
                x -> Conv2dOp.apply(x[0], x[1], x[2], 4, 4, 0, 0, 2));
        add("adaptiveAvgPool1x1", r -> new Tensor[] {rand(r, -1, 1, 2, dim(r), dim(r), dim(r))}, x -> Pooling.adaptiveAvgPool1x1(x[0]).square());
        add("adaptiveMaxPool1x1", r -> new Tensor[] {rand(r, -1, 1, 2, dim(r), dim(r), dim(r))}, x -> Pooling.adaptiveMaxPool1x1(x[0]).square());
        add("avgPool2d", r -> new Tensor[] {rand(r, -1, 1, 1, 2, 7, 6)}, x -> Pooling.avgPool2d(x[0], 3, 2, 2, 2).square());
        add("bilinear size", r -> new Tensor[] {rand(r, -1, 1, 1, 2, dim(r), dim(r))}, x -> Interpolate.bilinear(x[0], 7, 4).square());
        add("bilinear scale 2", r -> new Tensor[] {rand(r, -1, 1, 1, 2, dim(r), dim(r))}, x -> Interpolate.bilinearScale(x[0], 2, 2).square());
        add("linear", r -> { int k = dim(r), n = dim(r); return new Tensor[] {rand(r, -1, 1, 2, dim(r), k), rand(r, -1, 1, n, k), rand(r, -1, 1, n)}; },
                x -> Linear.linear(x[0], x[1], x[2]));
        add("linear no bias", r -> { int k = dim(r); return new Tensor[] {rand(r, -1, 1, dim(r), k), rand(r, -1, 1, 3, k)}; },
                x -> Linear.linear(x[0], x[1], null));
        add("matmul batched", r -> { int m = dim(r), k = dim(r), n = dim(r); return new Tensor[] {rand(r, -1, 1, 2, m, k), rand(r, -1, 1, 2, k, n)}; },
                x -> Linear.matmul(x[0], x[1]));
        add("matmul shared", r -> { int m = dim(r), k = dim(r), n = dim(r); return new Tensor[] {rand(r, -1, 1, 3, m, k), rand(r, -1, 1, k, n)}; },
                x -> Linear.matmul(x[0], x[1]));
        add("layerNorm", r -> { int c = 1 + dim(r); return new Tensor[] {rand(r, -2, 2, dim(r), 2, c), rand(r, 0.5, 1.5, c), rand(r, -1, 1, c)}; },
                x -> Norms.layerNorm(x[0], new int[] {x[0].size(-1)}, x[1], x[2], 1e-5));
        add("layerNorm 2 dims no affine", r -> new Tensor[] {rand(r, -2, 2, dim(r), 4, 3)},
                x -> Norms.layerNorm(x[0], new int[] {4, 3}, null, null, 1e-3));
        add("batchNorm2d train", r -> { int c = dim(r); return new Tensor[] {rand(r, -2, 2, 2, c, dim(r), 3), rand(r, 0.5, 1.5, c), rand(r, -1, 1, c)}; },
                x -> Norms.batchNorm2d(x[0], x[1], x[2], null, null, true, 0.1, 1e-5));
        add("batchNorm2d eval", r -> { int c = dim(r); return new Tensor[] {rand(r, -2, 2, 2, c, dim(r), 3), rand(r, 0.5, 1.5, c), rand(r, -1, 1, c)}; },
                x -> {   // running statistics are buffers (constants), not inputs
                    SplittableRandom fixed = new SplittableRandom(99);
                    int c = x[0].size(1);
                    return Norms.batchNorm2d(x[0], x[1], x[2], rand(fixed, -1, 1, c), rand(fixed, 0.5, 2, c), false, 0.1, 1e-5);
                });
        add("repeat", r -> new Tensor[] {rand(r, -2, 2, 2, dim(r))}, x -> Joins.repeat(x[0], 2, 1, 3).square());
    }
}
