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
    },
    SUB {
        public double ref(double a, double b) { return a - b; }
        public float f32(float a, float b) { return a - b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.sub(b); }
    },
    MUL {
        public double ref(double a, double b) { return a * b; }
        public float f32(float a, float b) { return a * b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.mul(b); }
    },
    DIV {
        public double ref(double a, double b) { return a / b; }
        public float f32(float a, float b) { return a / b; }
        public FloatVector vec(FloatVector a, FloatVector b) { return a.div(b); }
    };

    public abstract double ref(double a, double b);

    public abstract float f32(float a, float b);

    public abstract FloatVector vec(FloatVector a, FloatVector b);

    /** out[oo+i] = a[ao+i·as] ∘ b[bo+i·bs], i in [0,n); as, bs ∈ {0, 1} take the vector path. */
    public void apply(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        int i = 0;
        if (Simd.ENABLED && (as == 0 || as == 1) && (bs == 0 || bs == 1)) {
            int bound = Simd.F.loopBound(n);
            int step = Simd.F.length();
            if (as == 1 && bs == 1) {
                for (; i < bound; i += step)
                    vec(FloatVector.fromArray(Simd.F, a, ao + i), FloatVector.fromArray(Simd.F, b, bo + i)).intoArray(out, oo + i);
            } else if (as == 1) {
                FloatVector vb = FloatVector.broadcast(Simd.F, b[bo]);
                for (; i < bound; i += step) vec(FloatVector.fromArray(Simd.F, a, ao + i), vb).intoArray(out, oo + i);
            } else if (bs == 1) {
                FloatVector va = FloatVector.broadcast(Simd.F, a[ao]);
                for (; i < bound; i += step) vec(va, FloatVector.fromArray(Simd.F, b, bo + i)).intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) out[oo + i] = f32(a[ao + i * as], b[bo + i * bs]);
    }

    /** The float64 reference of {@link #apply}. */
    public void applyRef(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = ref(a[ao + i * as], b[bo + i * bs]);
    }
}
