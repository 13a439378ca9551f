package jcipa.tensor.ops;

import java.util.Arrays;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Binary;
import jcipa.tensor.kernels.ScaledSum;
import jcipa.tensor.kernels.Unary;
import jcipa.tensor.parallel.Parallel;

/**
 * Pointwise ops with broadcasting, each with its backward beside it. Gradients of broadcast inputs
 * are summed back to the input's shape ({@link Reductions#sumTo}).
 */
public final class Pointwise {
    private Pointwise() {}

    /** Elements per parallel chunk; fixed, so the split never depends on the thread count. */
    static final int CHUNK = 1 << 15;

    // ------------------------------------------------------------------ binary

    /** a + b. d/da = 1, d/db = 1. */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor y = binary("add", Binary.ADD, a, b);
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("add", y, g -> new Tensor[] {Reductions.sumTo(g, sa), Reductions.sumTo(g, sb)}, a, b);
    }

    /** a − b. d/da = 1, d/db = −1. */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor y = binary("sub", Binary.SUB, a, b);
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("sub", y, g -> new Tensor[] {Reductions.sumTo(g, sa), Reductions.sumTo(neg(g), sb)}, a, b);
    }

    /** a · b. d/da = b, d/db = a. */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor y = binary("mul", Binary.MUL, a, b);
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("mul", y, g -> new Tensor[] {
                a.requiresGrad() ? Reductions.sumTo(mul(g, b), sa) : null,
                b.requiresGrad() ? Reductions.sumTo(mul(g, a), sb) : null}, a, b);
    }

    /** a / b. d/da = 1/b, d/db = −a/b² = −y/b. */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor y = binary("div", Binary.DIV, a, b);
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("div", y, g -> new Tensor[] {
                a.requiresGrad() ? Reductions.sumTo(div(g, b), sa) : null,
                b.requiresGrad() ? Reductions.sumTo(neg(div(mul(g, y), b)), sb) : null}, a, b);
    }

    // ------------------------------------------------------------------ unary

    /** −x. */
    public static Tensor neg(Tensor x) {
        Tensor y = map(Unary.NEG, x);
        return Autograd.record("neg", y, g -> new Tensor[] {neg(g)}, x);
    }

    /** eˣ. d/dx = eˣ = y. */
    public static Tensor exp(Tensor x) {
        Tensor y = map(Unary.EXP, x);
        return Autograd.record("exp", y, g -> new Tensor[] {mul(g, y)}, x);
    }

    /** ln x. d/dx = 1/x. */
    public static Tensor log(Tensor x) {
        Tensor y = map(Unary.LOG, x);
        return Autograd.record("log", y, g -> new Tensor[] {div(g, x)}, x);
    }

    /** ln(1 + x). d/dx = 1/(1 + x). */
    public static Tensor log1p(Tensor x) {
        Tensor y = map(Unary.LOG1P, x);
        return Autograd.record("log1p", y, g -> new Tensor[] {div(g, x.add(1.0))}, x);
    }

    /** tanh x. d/dx = 1 − y². */
    public static Tensor tanh(Tensor x) {
        Tensor y = map(Unary.TANH, x);
        return Autograd.record("tanh", y, g -> new Tensor[] {mul(g, sub(Tensor.scalar(y.dtype(), 1), map(Unary.SQUARE, y)))}, x);
    }

    /** erf x. d/dx = 2/√π·e^{−x²}. */
    public static Tensor erf(Tensor x) { return withDerivative("erf", Unary.ERF, Unary.ERF_GRAD, x); }

    /** σ(x). d/dx = σ(1 − σ). */
    public static Tensor sigmoid(Tensor x) { return withDerivative("sigmoid", Unary.SIGMOID, Unary.SIGMOID_GRAD, x); }

    /** softplus(x) (linear above 20). d/dx = σ(x) (1 above 20). */
    public static Tensor softplus(Tensor x) { return withDerivative("softplus", Unary.SOFTPLUS, Unary.SOFTPLUS_GRAD, x); }

    /** SiLU(x) = x·σ(x). d/dx = σ(1 + x(1 − σ)). */
    public static Tensor silu(Tensor x) { return withDerivative("silu", Unary.SILU, Unary.SILU_GRAD, x); }

    /** GELU(x) = x·Φ(x). d/dx = Φ(x) + x·φ(x). */
    public static Tensor gelu(Tensor x) { return withDerivative("gelu", Unary.GELU, Unary.GELU_GRAD, x); }

    /** ReLU(x) = max(x, 0). d/dx = [x > 0]. */
    public static Tensor relu(Tensor x) { return withDerivative("relu", Unary.RELU, Unary.RELU_GRAD, x); }

    /** √x. d/dx = 1/(2y). */
    public static Tensor sqrt(Tensor x) {
        Tensor y = map(Unary.SQRT, x);
        return Autograd.record("sqrt", y, g -> new Tensor[] {div(g, y.mul(2.0))}, x);
    }

    /** x². d/dx = 2x. */
    public static Tensor square(Tensor x) {
        Tensor y = map(Unary.SQUARE, x);
        return Autograd.record("square", y, g -> new Tensor[] {mul(g, x.mul(2.0))}, x);
    }

    /** y = f(x), dy/dx = f'(x) given as another pointwise function. */
    private static Tensor withDerivative(String op, Unary f, Unary fPrime, Tensor x) {
        Tensor y = map(f, x);
        return Autograd.record(op, y, g -> new Tensor[] {timesMap(g, fPrime, x)}, x);
    }

    /**
     * g·f(x) elementwise, no graph: the bits of {@code mul(g, map(f, x))}. Where g and x are contiguous float32 tensors
     * of one shape (an activation's backward), in one pass, chunk by chunk: f's values are written to the output and
     * multiplied there by g while the chunk is in cache, with no intermediate map to write and read back.
     */
    public static Tensor timesMap(Tensor g, Unary f, Tensor x) {
        if (g.dtype() != DType.F32 || x.dtype() != DType.F32 || !Arrays.equals(g.shape(), x.shape())
                || !g.isContiguous() || !x.isContiguous() || Autograd.willRecord(g, x))
            return mul(g, map(f, x));
        int n = x.numel(), go = g.offset(), xo = x.offset();
        float[] gs = g.storageFloats(), xs = x.storageFloats();
        Tensor y = Tensor.unfilled(x.shape());                            // every element is written
        float[] out = y.storageFloats();
        elementwise(n, CHUNK, n, (s, e) -> {
            f.apply(xs, xo + s, out, s, e - s);
            Binary.MUL.apply(gs, go + s, 1, out, s, 1, out, s, e - s);
        });
        return NanCheck.check(f.name().toLowerCase(java.util.Locale.ROOT) + "·g", y, g, x);
    }

    // ------------------------------------------------------------------ engines (no graph)

    /** f applied to every element; a new contiguous tensor, no graph. */
    public static Tensor map(Unary f, Tensor x) {
        int[] shape = x.shape(), strides = x.strides();
        int rank = shape.length, inner = rank == 0 ? 1 : shape[rank - 1];
        if (!x.isContiguous() && rank > 0 && strides[rank - 1] == 1 && inner >= MIN_MAPPED_ROW) return mapRows(f, x, inner);
        Tensor c = x.contiguous();
        int n = c.numel();
        int o = c.offset();
        Tensor y = Tensor.unfilled(x.dtype(), x.shape());              // every element is written
        if (x.dtype() == DType.F32) {
            float[] src = c.storageFloats(), dst = y.storageFloats();
            elementwise(n, CHUNK, n, (s, e) -> f.apply(src, o + s, dst, s, e - s));
        } else {
            double[] src = c.storageDoubles(), dst = y.storageDoubles();
            elementwise(n, CHUNK, n, (s, e) -> f.applyRef(src, o + s, dst, s, e - s));
        }
        return NanCheck.check(f.name().toLowerCase(java.util.Locale.ROOT), y, x);
    }

    /**
     * f applied to every element of target in place, for inference only (a module's own fresh intermediate,
     * as {@link #addInPlace}): the bits of {@link #map}, without a new array.
     */
    public static Tensor mapInPlace(Unary f, Tensor target) {
        String op = f.name().toLowerCase(java.util.Locale.ROOT) + " (in place)";
        requireInference(op);
        requireWhole(op, target, target.shape());
        int n = target.numel();
        if (target.dtype() == DType.F32) {
            float[] t = target.storageFloats();
            elementwise(n, CHUNK, n, (s, e) -> f.apply(t, s, t, s, e - s));
        } else {
            double[] t = target.storageDoubles();
            elementwise(n, CHUNK, n, (s, e) -> f.applyRef(t, s, t, s, e - s));
        }
        return NanCheck.check(op, target);
    }

    /** Rows at least this long are mapped in place in a strided view (such as a channel half of in_proj's output) instead of copied first. */
    static final int MIN_MAPPED_ROW = 64;

    /** {@link #map} of a view whose last dimension is contiguous: row by row from the view, without a contiguous copy first. */
    private static Tensor mapRows(Unary f, Tensor x, int inner) {
        int[] shape = x.shape(), strides = x.strides();
        int rows = x.numel() / inner;
        Tensor y = Tensor.unfilled(x.dtype(), shape);                  // every row is written
        elementwise(rows, Math.max(1, CHUNK / inner), (long) rows * inner, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int from = rowOffset(row, shape, strides, x.offset());
                if (x.dtype() == DType.F32) f.apply(x.storageFloats(), from, y.storageFloats(), row * inner, inner);
                else f.applyRef(x.storageDoubles(), from, y.storageDoubles(), row * inner, inner);
            }
        });
        return NanCheck.check(f.name().toLowerCase(java.util.Locale.ROOT), y, x);
    }

    /** a ∘ b with broadcasting; a new contiguous tensor, no graph. */
    public static Tensor binary(String op, Binary fn, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + " and " + b.dtype() + " differ (convert one with .to(...))");
        int[] shape = Shape.broadcast(op, a.shape(), b.shape());
        Tensor ea = broadcastView(a, shape), eb = broadcastView(b, shape);
        Tensor y = Tensor.unfilled(a.dtype(), shape);                  // every element is written
        int r = shape.length;
        int n = y.numel();
        if (n > 0) {
            int inner = r == 0 ? 1 : shape[r - 1];
            int rows = n / inner;
            int[] as = ea.strides(), bs = eb.strides();
            int ai = r == 0 ? 0 : as[r - 1], bi = r == 0 ? 0 : bs[r - 1];
            boolean f32 = a.dtype() == DType.F32;
            int rowsPerChunk = Math.max(1, CHUNK / inner);
            elementwise(rows, rowsPerChunk, n, (r0, r1) -> {
                for (int row = r0; row < r1; row++) {
                    int ao = rowOffset(row, shape, as, ea.offset()), bo = rowOffset(row, shape, bs, eb.offset());
                    if (f32) fn.apply(ea.storageFloats(), ao, ai, eb.storageFloats(), bo, bi, y.storageFloats(), row * inner, inner);
                    else fn.applyRef(ea.storageDoubles(), ao, ai, eb.storageDoubles(), bo, bi, y.storageDoubles(), row * inner, inner);
                }
            });
        }
        return NanCheck.check(op, y, a, b);
    }

    /**
     * target += other in place (other broadcast to target's shape), for inference only: the sums
     * {@link #add}(target, other) gives, without a new array. For a module's own fresh intermediate that
     * nothing else holds (views of target would see the change); target, an op's output, holds no NaN
     * before, so a NaN after is other's or the sum's.
     */
    public static Tensor addInPlace(Tensor target, Tensor other) {
        String op = "add (in place)";
        requireInference(op);
        return NanCheck.check(op, addInto(op, target, other), other);
    }

    /**
     * target += a·s in place (a and s broadcast to target's shape), for inference only: the bits of
     * {@code a.mul(s).add(target)} (the product rounded first, then the sum) without the product's array
     * and pass (float32 or float64). The same conditions on target as {@link #addInPlace}.
     */
    public static Tensor addProductInPlace(Tensor target, Tensor a, Tensor s) {
        String op = "add product (in place)";
        requireInference(op);
        int[] shape = target.shape();
        if (a.dtype() != target.dtype() || s.dtype() != target.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + target.dtype() + ", " + a.dtype() + " and " + s.dtype() + " differ");
        requireWhole(op, target, Shape.broadcast(op, Shape.broadcast(op, shape, a.shape()), s.shape()));
        Tensor ea = broadcastView(a, shape), es = broadcastView(s, shape);
        int r = shape.length, n = target.numel(), inner = r == 0 ? 1 : shape[r - 1], rows = inner == 0 ? 0 : n / inner;
        int[] as = ea.strides(), ss = es.strides();
        int ai = r == 0 ? 0 : as[r - 1], si = r == 0 ? 0 : ss[r - 1];
        elementwise(rows, Math.max(1, CHUNK / Math.max(inner, 1)), n, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int ao = rowOffset(row, shape, as, ea.offset()), so = rowOffset(row, shape, ss, es.offset());
                if (target.dtype() == DType.F32)
                    ScaledSum.addProduct(target.storageFloats(), row * inner, ea.storageFloats(), ao, ai, es.storageFloats(), so, si, inner);
                else
                    ScaledSum.addProductRef(target.storageDoubles(), row * inner, ea.storageDoubles(), ao, ai, es.storageDoubles(), so, si, inner);
            }
        });
        return NanCheck.check(op, target, a, s);
    }

    /** target ·= other in place (other broadcast to target's shape), for inference only: the products of {@link #mul}; as {@link #addInPlace}. */
    public static Tensor mulInPlace(Tensor target, Tensor other) {
        String op = "mul (in place)";
        requireInference(op);
        return NanCheck.check(op, into(op, Binary.MUL, target, other), other);
    }

    /** The engine of {@link #addInPlace}, no graph and no NaN check (also for an op's own result, such as a product before its bias). */
    static Tensor addInto(String op, Tensor target, Tensor other) {
        return into(op, Binary.ADD, target, other);
    }

    /** target = target ∘ other elementwise, in place (other broadcast to target's contiguous shape). */
    private static Tensor into(String op, Binary fn, Tensor target, Tensor other) {
        if (target.dtype() != other.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + target.dtype() + " and " + other.dtype() + " differ");
        int[] shape = target.shape();
        requireWhole(op, target, Shape.broadcast(op, shape, other.shape()));
        Tensor eb = broadcastView(other, shape);
        int r = shape.length, n = target.numel(), inner = r == 0 ? 1 : shape[r - 1], rows = inner == 0 ? 0 : n / inner;
        int[] bs = eb.strides();
        int bi = r == 0 ? 0 : bs[r - 1];
        boolean f32 = target.dtype() == DType.F32;
        elementwise(rows, Math.max(1, CHUNK / Math.max(inner, 1)), n, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int bo = rowOffset(row, shape, bs, eb.offset()), at = row * inner;
                if (f32) fn.apply(target.storageFloats(), at, 1, eb.storageFloats(), bo, bi, target.storageFloats(), at, inner);
                else fn.applyRef(target.storageDoubles(), at, 1, eb.storageDoubles(), bo, bi, target.storageDoubles(), at, inner);
            }
        });
        return target;
    }

    /** Fails, naming {@code op}, while gradients are recorded: in-place updates are for inference. */
    private static void requireInference(String op) {
        if (Autograd.isEnabled()) throw new IllegalStateException(op + ": in-place updates are for inference; run under Autograd.noGrad()");
    }

    /** Fails, naming {@code op}, unless target is a whole contiguous tensor of the result's shape (the operands broadcast to it). */
    private static void requireWhole(String op, Tensor target, int[] resultShape) {
        if (!Arrays.equals(resultShape, target.shape()) || !target.isContiguous() || target.offset() != 0)
            throw new IllegalArgumentException(op + ": target " + Shape.str(target.shape()) + " must be contiguous and of the result's shape "
                    + Shape.str(resultShape));
    }

    /** Elementwise work at most this large runs on the calling thread alone: a helper thread's start costs more. */
    static final long SERIAL_ELEMENTS = 1 << 16;

    /**
     * Runs {@code body} over [0, count) in chunks of {@code chunk}, in parallel unless the work ({@code elements}
     * in all) is small, when the calling thread takes the whole range at once; elementwise results do not
     * depend on how the range is split.
     */
    private static void elementwise(int count, int chunk, long elements, Parallel.RangeBody body) {
        if (elements <= SERIAL_ELEMENTS) {
            if (count > 0) body.run(0, count);
        } else {
            Parallel.forChunks(count, chunk, body);
        }
    }

    /** A stride-0 view of x broadcast to {@code shape} (no graph). */
    static Tensor broadcastView(Tensor x, int[] shape) {
        int[] xs = x.shape(), st = x.strides();
        if (Arrays.equals(xs, shape)) return x;
        int r = shape.length, k = r - xs.length;
        int[] nst = new int[r];
        for (int i = 0; i < r; i++) nst[i] = i < k || xs[i - k] == 1 ? 0 : st[i - k];
        return Tensor.strided(x, shape, nst, x.offset());
    }

    /** Storage offset of the first element of row {@code row} (rows = all but the last dimension). */
    static int rowOffset(int row, int[] shape, int[] strides, int offset) {
        int p = offset;
        for (int k = shape.length - 2; k >= 0; k--) {
            int i = row % shape[k];
            row /= shape[k];
            p += i * strides[k];
        }
        return p;
    }
}
