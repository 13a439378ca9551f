package jcipa.tensor.kernels;

import jcipa.tensor.math.DMath;
import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Pointwise functions y = f(x). Each constant states its float64 reference ({@link #ref}), its
 * float32 scalar form ({@link #f32}) and the vector twin ({@link #vec}) that gives the same bits
 * lane for lane. The {@code *_GRAD} entries are the derivatives f'(x) used by backward passes.
 */
public enum Unary {
    NEG {
        public double ref(double x) { return -x; }
        public float f32(float x) { return -x; }
        public FloatVector vec(FloatVector x) { return x.neg(); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    ABS {
        public double ref(double x) { return Math.abs(x); }
        public float f32(float x) { return Math.abs(x); }
        public FloatVector vec(FloatVector x) { return x.abs(); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    SQUARE {
        public double ref(double x) { return x * x; }
        public float f32(float x) { return x * x; }
        public FloatVector vec(FloatVector x) { return x.mul(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    SQRT {
        public double ref(double x) { return Math.sqrt(x); }
        public float f32(float x) { return (float) Math.sqrt(x); }   // IEEE sqrt: correctly rounded in both forms
        public FloatVector vec(FloatVector x) { return x.sqrt(); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    RECIPROCAL {
        public double ref(double x) { return 1.0 / x; }
        public float f32(float x) { return 1f / x; }
        public FloatVector vec(FloatVector x) { return x.broadcast(1f).div(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    EXP {
        public double ref(double x) { return StrictMath.exp(x); }
        public float f32(float x) { return FMath.exp(x); }
        public FloatVector vec(FloatVector x) { return VMath.exp(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    LOG {
        public double ref(double x) { return StrictMath.log(x); }
        public float f32(float x) { return FMath.log(x); }
        public FloatVector vec(FloatVector x) { return VMath.log(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    LOG1P {
        public double ref(double x) { return StrictMath.log1p(x); }
        public float f32(float x) { return FMath.log1p(x); }
        public FloatVector vec(FloatVector x) { return VMath.log1p(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    TANH {
        public double ref(double x) { return StrictMath.tanh(x); }
        public float f32(float x) { return FMath.tanh(x); }
        public FloatVector vec(FloatVector x) { return VMath.tanh(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    ERF {
        public double ref(double x) { return DMath.erf(x); }
        public float f32(float x) { return FMath.erf(x); }
        public FloatVector vec(FloatVector x) { return VMath.erf(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** σ(x) = 1/(1+e^{−x}). */
    SIGMOID {
        public double ref(double x) { return 1.0 / (1.0 + StrictMath.exp(-x)); }
        public float f32(float x) { return FMath.sigmoid(x); }
        public FloatVector vec(FloatVector x) { return VMath.sigmoid(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** softplus(x) = log(1+e^x), and x itself above 20 (Mamba's threshold). */
    SOFTPLUS {
        public double ref(double x) { return x <= 20.0 ? StrictMath.log1p(StrictMath.exp(x)) : x; }
        public float f32(float x) { return FMath.softplus(x); }
        public FloatVector vec(FloatVector x) { return VMath.softplus(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** SiLU(x) = x·σ(x). */
    SILU {
        public double ref(double x) { return x / (1.0 + StrictMath.exp(-x)); }
        public float f32(float x) { return FMath.silu(x); }
        public FloatVector vec(FloatVector x) { return VMath.silu(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)) (the exact form). */
    GELU {
        public double ref(double x) { return 0.5 * x * (1.0 + DMath.erf(x / Math.sqrt(2.0))); }
        public float f32(float x) { return FMath.gelu(x); }
        public FloatVector vec(FloatVector x) { return VMath.gelu(x); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** ReLU(x) = max(x, 0) (and 0 for −0 and NaN stays NaN). */
    RELU {
        public double ref(double x) { return x > 0 ? x : (x != x ? x : 0.0); }
        public float f32(float x) { return x > 0 ? x : (x != x ? x : 0f); }
        public FloatVector vec(FloatVector x) {
            return x.broadcast(0f).blend(x, x.compare(VectorOperators.GT, 0f).or(x.compare(VectorOperators.NE, x)));
        }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** ReLU'(x) = 1 for x > 0, else 0. */
    RELU_GRAD {
        public double ref(double x) { return x > 0 ? 1.0 : 0.0; }
        public float f32(float x) { return x > 0 ? 1f : 0f; }
        public FloatVector vec(FloatVector x) { return x.broadcast(0f).blend(x.broadcast(1f), x.compare(VectorOperators.GT, 0f)); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** σ'(x) = σ(x)(1 − σ(x)). */
    SIGMOID_GRAD {
        public double ref(double x) { double s = SIGMOID.ref(x); return s * (1.0 - s); }
        public float f32(float x) { float s = FMath.sigmoid(x); return s * (1f - s); }
        public FloatVector vec(FloatVector x) { FloatVector s = VMath.sigmoid(x); return s.mul(s.broadcast(1f).sub(s)); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** softplus'(x) = σ(x) for x ≤ 20, 1 above (the derivative of the thresholded form). */
    SOFTPLUS_GRAD {
        public double ref(double x) { return x <= 20.0 ? SIGMOID.ref(x) : 1.0; }
        public float f32(float x) { return x <= 20f ? FMath.sigmoid(x) : 1f; }
        public FloatVector vec(FloatVector x) { return x.broadcast(1f).blend(VMath.sigmoid(x), x.compare(VectorOperators.LE, 20f)); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** SiLU'(x) = σ(x)(1 + x(1 − σ(x))). */
    SILU_GRAD {
        public double ref(double x) { double s = SIGMOID.ref(x); return s * (1.0 + x * (1.0 - s)); }
        public float f32(float x) { float s = FMath.sigmoid(x); return s * Math.fma(x, 1f - s, 1f); }
        public FloatVector vec(FloatVector x) {
            FloatVector s = VMath.sigmoid(x);
            return s.mul(x.fma(s.broadcast(1f).sub(s), s.broadcast(1f)));
        }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** GELU'(x) = Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π). */
    GELU_GRAD {
        public double ref(double x) {
            return 0.5 * (1.0 + DMath.erf(x / Math.sqrt(2.0))) + x * StrictMath.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
        }
        public float f32(float x) {
            float cdf = 0.5f * (1f + FMath.erf(x * INV_SQRT2));
            return Math.fma(x * INV_SQRT_2PI, FMath.exp(-0.5f * x * x), cdf);
        }
        public FloatVector vec(FloatVector x) {
            FloatVector cdf = VMath.erf(x.mul(INV_SQRT2)).add(1f).mul(0.5f);
            FloatVector pdf = VMath.exp(x.mul(x).mul(-0.5f));
            return x.mul(INV_SQRT_2PI).fma(pdf, cdf);
        }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    },
    /** erf'(x) = 2/√π·e^{−x²}. */
    ERF_GRAD {
        public double ref(double x) { return 2.0 / Math.sqrt(Math.PI) * StrictMath.exp(-x * x); }
        public float f32(float x) { return TWO_OVER_SQRT_PI * FMath.exp(-(x * x)); }
        public FloatVector vec(FloatVector x) { return VMath.exp(x.mul(x).neg()).mul(TWO_OVER_SQRT_PI); }
        @Override public void apply(float[] x, int xo, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(n); i < end; i += LANES) vec(FloatVector.fromArray(Simd.F, x, xo + i)).intoArray(out, oo + i);
            tail(x, xo, out, oo, i, n);
        }
    };

    static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    static final float TWO_OVER_SQRT_PI = (float) (2.0 / Math.sqrt(Math.PI));

    /** Float64 reference value. */
    public abstract double ref(double x);

    /** Float32 scalar value. */
    public abstract float f32(float x);

    /** Float32 vector value; lane i equals {@code f32(x.lane(i))} bit for bit. */
    public abstract FloatVector vec(FloatVector x);

    /**
     * out[o+i] = f(x[xo+i]) for i in [0,n): a vector body (lane i of {@link #vec} = {@link #f32}) and a scalar tail.
     *
     * <p>Every constant writes this loop out itself, calling its own {@code vec}. The JIT compiles a loop
     * once per method: one loop shared by all constants would call {@code vec} through ~20 receiver classes,
     * the call would stay virtual, and every vector crossing it would be boxed on the heap (5–20 times
     * slower, measured). In a constant's own method {@code vec} has one target and is inlined.
     */
    public abstract void apply(float[] x, int xo, float[] out, int oo, int n);

    private static final int LANES = Simd.F.length();

    /** End of the vector body for n elements (0 with SIMD off). */
    private static int vectorEnd(int n) {
        return Simd.ENABLED ? Simd.F.loopBound(n) : 0;
    }

    /** The scalar tail of {@link #apply}: elements [i, n). */
    final void tail(float[] x, int xo, float[] out, int oo, int i, int n) {
        for (; i < n; i++) out[oo + i] = f32(x[xo + i]);
    }

    /** out[o+i] = f(x[xo+i]) in float64. */
    public void applyRef(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = ref(x[xo + i]);
    }
}
