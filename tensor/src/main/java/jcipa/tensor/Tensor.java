package jcipa.tensor;

import java.util.Arrays;
import java.util.Objects;

import jcipa.tensor.kernels.Scratch;
import jcipa.tensor.ops.Pointwise;
import jcipa.tensor.ops.Reductions;
import jcipa.tensor.ops.Views;

/**
 * An n-dimensional array of float32 or float64 values with reverse-mode autograd.
 *
 * <p>A tensor is a view: a shape, strides (in elements, possibly 0 for broadcast or negative for
 * flips) and an offset into a shared storage array. Views (reshape, permute, slice, flip, expand)
 * share storage; ops produce new contiguous tensors. Tensors are immutable as far as autograd can
 * see: only {@link #grad()} of leaves changes, by accumulation.
 *
 * <p>Autograd: a tensor produced by an op from inputs that require gradients records a
 * {@link Node} (the op's name, its inputs and its backward). {@link #backward()} walks that graph
 * in reverse topological order. See {@link Autograd}.
 */
public final class Tensor {
    final int[] shape;
    final int[] strides;
    final int offset;
    final float[] f;   // storage when dtype is F32
    final double[] d;  // storage when dtype is F64

    boolean requiresGrad;
    boolean recycled;  // storage given back by recycle(): no longer this tensor's
    Node node;         // how this tensor was computed; null for leaves and constants
    Tensor grad;       // accumulated gradient of a leaf that requires grad
    private String name;

    Tensor(int[] shape, int[] strides, int offset, float[] f, double[] d) {
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.f = f;
        this.d = d;
    }

    // ---------------------------------------------------------------- factories

    /** Wraps (does not copy) a row-major float array as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int n = Shape.numel(shape);
        if (data.length != n)
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values cannot have shape " + Shape.str(shape) + " (" + n + " elements)");
        return new Tensor(shape.clone(), Shape.contiguousStrides(shape), 0, data, null);
    }

    /** Wraps (does not copy) a row-major double array as a float64 tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int n = Shape.numel(shape);
        if (data.length != n)
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values cannot have shape " + Shape.str(shape) + " (" + n + " elements)");
        return new Tensor(shape.clone(), Shape.contiguousStrides(shape), 0, null, data);
    }

    /**
     * A new contiguous float32 tensor whose elements are unspecified, for an op whose kernel writes every
     * element. Large ones take storage that {@link #recycle} gave back, when some of that size is kept
     * (with {@code -Djcipa.scratch.poison=true}, as the tests run, it is filled with NaN first, so an element
     * left unwritten shows); otherwise new storage.
     */
    public static Tensor unfilled(int... shape) {
        int n = Shape.numel(shape);
        if (recycling && n >= RECYCLE_MIN) return of(Scratch.takeAny(recycleKey(n), n), shape);
        float[] data = new float[n];
        if (Scratch.POISON) Arrays.fill(data, Float.NaN);
        return of(data, shape);
    }

    /** {@link #unfilled(int...)} for float32, zeros for float64 (whose ops are references, not kept fast). */
    public static Tensor unfilled(DType dtype, int... shape) {
        return dtype == DType.F32 ? unfilled(shape) : zeros(dtype, shape);
    }

    /** Storage of at least this many floats is recycled: smaller arrays cost little to allocate. */
    static final int RECYCLE_MIN = 1 << 16;

    private static String recycleKey(int n) { return "tensor " + n; }

    /** Whether {@link #recycle} keeps storage for {@link #unfilled} (on unless {@code -Djcipa.recycle=false}). */
    private static volatile boolean recycling = !"false".equals(System.getProperty("jcipa.recycle"));

    /** Turns storage recycling on or off for the process (benchmarks compare both; results are the same bits). */
    public static void recycling(boolean on) { recycling = on; }

    /** Whether storage recycling is on. */
    public static boolean recycling() { return recycling; }

    /**
     * Gives the storage of {@code t}, an intermediate of an inference pass that only the caller holds (no view
     * of it is used again), to a later {@link #unfilled} of its size, so that the pass does not allocate (and
     * the JVM clear) a new array for every intermediate. Does nothing while autograd records (the graph may
     * hold t) or when t is not a contiguous float32 tensor owning its storage from offset 0, or is too small.
     * After it, t's data cannot be read ({@link #floats} and {@link #storageFloats} fail); with
     * {@code -Djcipa.scratch.poison=true} the storage is filled with NaN at once, so that a view still read
     * afterwards shows in the results.
     */
    public static void recycle(Tensor t) {
        if (!recycling || t == null || t.recycled || Autograd.isEnabled() || t.f == null || t.requiresGrad || t.node != null || t.offset != 0
                || t.f.length != t.numel() || t.f.length < RECYCLE_MIN || !t.isContiguous()) return;
        t.recycled = true;
        if (Scratch.POISON) Arrays.fill(t.f, Float.NaN);
        Scratch.give(recycleKey(t.f.length), t.f);
        RECYCLED.incrementAndGet();
    }

    private static final java.util.concurrent.atomic.AtomicLong RECYCLED = new java.util.concurrent.atomic.AtomicLong();

    /** How many storage arrays {@link #recycle} has taken since the process started (for tests and benchmarks). */
    public static long recycledCount() { return RECYCLED.get(); }

    /** A new zero-filled contiguous tensor. */
    public static Tensor zeros(DType dtype, int... shape) {
        int n = Shape.numel(shape);
        return dtype == DType.F32 ? of(new float[n], shape) : of(new double[n], shape);
    }

    /** A new contiguous tensor filled with {@code value} (rounded to float for F32). */
    public static Tensor full(DType dtype, double value, int... shape) {
        int n = Shape.numel(shape);
        if (dtype == DType.F32) {
            float[] a = new float[n];
            Arrays.fill(a, (float) value);
            return of(a, shape);
        }
        double[] a = new double[n];
        Arrays.fill(a, value);
        return of(a, shape);
    }

    public static Tensor ones(DType dtype, int... shape) { return full(dtype, 1.0, shape); }

    /** A rank-0 tensor. */
    public static Tensor scalar(DType dtype, double value) { return full(dtype, value); }

    /** A new tensor with zeros and this tensor's dtype. */
    public static Tensor zerosLike(Tensor t) { return zeros(t.dtype(), t.shape); }

    /**
     * A view of {@code base}'s storage with the given geometry, without autograd history. For op
     * implementations (views record their own backward in {@link jcipa.tensor.ops.Views}).
     */
    public static Tensor strided(Tensor base, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) throw new IllegalArgumentException("strided: shape and strides differ in rank");
        return new Tensor(shape.clone(), strides.clone(), offset, base.f, base.d);
    }

    /** The float storage array behind this view (shared; null for F64). For kernels and op implementations. */
    public float[] storageFloats() {
        if (recycled) throw recycledError("storageFloats");
        return f;
    }

    /** Whether this tensor and {@code other} are views of one storage array (also after {@link #recycle}). */
    public boolean sharesStorageWith(Tensor other) {
        return (f != null && f == other.f) || (d != null && d == other.d);
    }

    private IllegalStateException recycledError(String what) {
        return new IllegalStateException(what + ": this tensor's storage was recycled (Tensor.recycle) and belongs to another tensor now");
    }

    /** The double storage array behind this view (shared; null for F32). For kernels and op implementations. */
    public double[] storageDoubles() { return d; }

    // ---------------------------------------------------------------- metadata

    public DType dtype() { return f != null ? DType.F32 : DType.F64; }

    public int rank() { return shape.length; }

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int size(int i) { return shape[Shape.dim("size", i, shape.length)]; }

    /** A copy of the strides (in elements). */
    public int[] strides() { return strides.clone(); }

    public int offset() { return offset; }

    public int numel() { return Shape.numel(shape); }

    /** True when the elements are laid out row-major with no gaps (the offset may be non-zero). */
    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    /** An optional name used in error messages and by modules for parameters. */
    public String name() { return name; }

    public Tensor named(String n) { this.name = n; return this; }

    // ---------------------------------------------------------------- data access

    /**
     * The elements as a row-major float array: the storage itself when this tensor is contiguous,
     * starts at offset 0 and spans it exactly, otherwise a copy. Callers must not write to it.
     */
    public float[] floats() {
        requireDType("floats", DType.F32);
        if (recycled) throw recycledError("floats");
        if (isContiguous() && offset == 0 && f.length == numel()) return f;
        return Views.copyContiguous(this).f;
    }

    /** Like {@link #floats()} for float64 tensors. */
    public double[] doubles() {
        requireDType("doubles", DType.F64);
        if (isContiguous() && offset == 0 && d.length == numel()) return d;
        return Views.copyContiguous(this).d;
    }

    /** The elements as a new row-major double array, whatever the dtype (float values widen exactly). */
    public double[] toDoubleArray() {
        int n = numel();
        double[] out = new double[n];
        Tensor c = contiguous();
        if (c.f != null) for (int i = 0; i < n; i++) out[i] = c.f[c.offset + i];
        else System.arraycopy(c.d, c.offset, out, 0, n);
        return out;
    }

    /** The element at a multi-index, as a double. */
    public double get(int... index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " for shape " + Shape.str(shape));
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            p += index[i] * strides[i];
        }
        return f != null ? f[p] : d[p];
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalArgumentException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
        return f != null ? f[offset] : d[offset];
    }

    /** A contiguous tensor with the same values (this one if already contiguous). Differentiable. */
    public Tensor contiguous() { return isContiguous() ? this : Views.contiguous(this); }

    /** This tensor's values converted to another dtype (differentiable; a no-op when equal). */
    public Tensor to(DType dtype) { return dtype() == dtype ? this : Views.convert(this, dtype); }

    void requireDType(String op, DType want) {
        if (dtype() != want) throw new IllegalArgumentException(op + ": tensor is " + dtype() + ", expected " + want);
    }

    // ---------------------------------------------------------------- autograd

    /** Marks a leaf tensor as a parameter whose gradient is accumulated by {@link #backward()}. */
    public Tensor requiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("requiresGrad: only leaf tensors can be marked (this one was computed by " + node.op() + ")");
        this.requiresGrad = on;
        return this;
    }

    public boolean requiresGrad() { return requiresGrad; }

    /** The accumulated gradient of this leaf, or null. */
    public Tensor grad() { return grad; }

    /** Clears the accumulated gradient. */
    public void zeroGrad() { grad = null; }

    /** The op that computed this tensor, or null for a leaf. */
    public Node node() { return node; }

    /** Backpropagates from this one-element tensor (seed 1). */
    public void backward() {
        if (numel() != 1) throw new IllegalArgumentException("backward: needs a one-element tensor (shape " + Shape.str(shape) + "); pass a seed gradient");
        Autograd.backward(this, Tensor.full(dtype(), 1.0, shape));
    }

    /** Backpropagates from this tensor with the given seed gradient (same shape). */
    public void backward(Tensor seed) { Autograd.backward(this, seed); }

    /** The same values with no autograd history (shares storage). */
    public Tensor detach() { return new Tensor(shape, strides, offset, f, d); }

    // ---------------------------------------------------------------- fluent op shortcuts

    public Tensor add(Tensor o) { return Pointwise.add(this, o); }
    public Tensor sub(Tensor o) { return Pointwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Pointwise.mul(this, o); }
    public Tensor div(Tensor o) { return Pointwise.div(this, o); }
    public Tensor add(double c) { return Pointwise.add(this, scalar(dtype(), c)); }
    public Tensor mul(double c) { return Pointwise.mul(this, scalar(dtype(), c)); }
    public Tensor neg() { return Pointwise.neg(this); }
    public Tensor square() { return Pointwise.square(this); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor silu() { return Pointwise.silu(this); }
    public Tensor gelu() { return Pointwise.gelu(this); }
    public Tensor relu() { return Pointwise.relu(this); }

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor view(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor transpose(int a, int b) { return Views.transpose(this, a, b); }
    public Tensor slice(int dim, int start, int end) { return Views.slice(this, dim, start, end); }
    public Tensor flip(int... dims) { return Views.flip(this, dims); }
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    public Tensor sum() { return Reductions.sum(this, allDims(), false); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, new int[] {dim}, keepDim); }
    public Tensor mean() { return Reductions.mean(this, allDims(), false); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, new int[] {dim}, keepDim); }

    private int[] allDims() {
        int[] a = new int[shape.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype()).append(' ').append(Shape.str(shape));
        if (name != null) sb.append(" '").append(name).append('\'');
        if (node != null) sb.append(" <- ").append(node.op());
        int n = Math.min(numel(), 6);
        if (n > 0) {
            Tensor c = contiguous();
            sb.append(" [");
            for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(c.f != null ? c.f[c.offset + i] : c.d[c.offset + i]);
            if (numel() > n) sb.append(", ...");
            sb.append(']');
        }
        return sb.append(')').toString();
    }
}
