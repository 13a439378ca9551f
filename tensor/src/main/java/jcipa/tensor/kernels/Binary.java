package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Pointwise binary arithmetic z = a ∘ b on strided runs: each operand is read at
 * {@code base + i·stride} with stride 1 (a contiguous run) or 0 (a broadcast scalar).
 */
public enum Binary {
    ADD {
        public double ref(double a, double b) { return a + b; }
        public float f32(float a, float b) { return a + b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.add(b); }
        @Override public void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(as, bs, n); i < end; i += LANES) vec(load(a, ao, as, i), load(b, bo, bs, i)).intoArray(out, oo + i);
            tail(a, ao, as, b, bo, bs, out, oo, i, n);
        }
    },
    SUB {
        public double ref(double a, double b) { return a - b; }
        public float f32(float a, float b) { return a - b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.sub(b); }
        @Override public void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(as, bs, n); i < end; i += LANES) vec(load(a, ao, as, i), load(b, bo, bs, i)).intoArray(out, oo + i);
            tail(a, ao, as, b, bo, bs, out, oo, i, n);
        }
    },
    MUL {
        public double ref(double a, double b) { return a * b; }
        public float f32(float a, float b) { return a * b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.mul(b); }
        @Override public void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(as, bs, n); i < end; i += LANES) vec(load(a, ao, as, i), load(b, bo, bs, i)).intoArray(out, oo + i);
            tail(a, ao, as, b, bo, bs, out, oo, i, n);
        }
    },
    DIV {
        public double ref(double a, double b) { return a / b; }
        public float f32(float a, float b) { return a / b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.div(b); }
        @Override public void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
            int i = 0;
            for (int end = vectorEnd(as, bs, n); i < end; i += LANES) vec(load(a, ao, as, i), load(b, bo, bs, i)).intoArray(out, oo + i);
            tail(a, ao, as, b, bo, bs, out, oo, i, n);
        }
    };

    public abstract double ref(double a, double b);

    public abstract float f32(float a, float b);

    public abstract FloatVector vec(FloatVector a, FloatVector b);

    /**
     * out[oo+i] = a[ao+i·as] ∘ b[bo+i·bs], i in [0,n); as, bs ∈ {0, 1} take the vector path. Each constant writes
     * the loop out itself so that its {@code vec} is inlined (see {@link Unary#apply}).
     */
    public abstract void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n);

    private static final int LANES = Simd.F.length();

    /** End of the vector body: 0 with SIMD off or an operand neither contiguous nor broadcast. */
    private static int vectorEnd(int as, int bs, int n) {
        return Simd.ENABLED && (as == 0 || as == 1) && (bs == 0 || bs == 1) ? Simd.F.loopBound(n) : 0;
    }

    /** Lanes i.. of an operand read with stride 1, or its one element broadcast (stride 0). */
    private static FloatVector load(float[] x, int xo, int stride, int i) {
        return stride == 0 ? FloatVector.broadcast(Simd.F, x[xo]) : FloatVector.fromArray(Simd.F, x, xo + i);
    }

    /** The scalar tail of {@link #apply}: elements [i, n). */
    final void tail(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int i, int n) {
        for (; i < n; i++) out[oo + i] = f32(a[ao + i * as], b[bo + i * bs]);
    }

    /** The float64 reference of {@link #apply}. */
    public void applyRef(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = ref(a[ao + i * as], b[bo + i * bs]);
    }
}
