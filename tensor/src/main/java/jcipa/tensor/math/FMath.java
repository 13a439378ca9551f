package jcipa.tensor.math;

import static jcipa.tensor.math.FConst.*;

/**
 * Deterministic float32 transcendental functions (scalar form).
 *
 * <p>Built only from IEEE add/sub/mul/div/fma, comparisons, min/max and exact bit manipulation,
 * so the result bits are the same on every JVM, CPU and SIMD width (unlike {@code Math.exp},
 * whose JIT intrinsic differs between CPUs). {@link VMath} holds the vector twins: each method
 * here is the very op sequence its twin runs per lane (fma exactly where the twin uses fma,
 * branches only where the twin blends, the same operations in each branch), so lane i of
 * {@code VMath.f(v)} has the bits of {@code FMath.f(v.lane(i))} for every float.
 *
 * <p>A NaN argument is returned as is (same bits). The error bounds ({@code *_MAX_ULPS}) are in
 * ulps of the float result against the float64 function ({@link StrictMath} or {@link DMath}),
 * measured on all 2^32 floats; docs/math.md has the methods and the table.
 */
public final class FMath {
    private FMath() {}

    // ---------------------------------------------------------------- documented error bounds
    // Max error in ulps of the float result against the float64 reference, over every float
    // (docs/math.md lists the measured maxima); FMathAccuracyTest asserts them.

    /** Max error of {@link #exp}, ulps. */
    public static final double EXP_MAX_ULPS = 1.0;
    /** Max error of {@link #log}, ulps. */
    public static final double LOG_MAX_ULPS = 1.0;
    /** Max error of {@link #log1p}, ulps. */
    public static final double LOG1P_MAX_ULPS = 1.0;
    /** Max error of {@link #tanh}, ulps. */
    public static final double TANH_MAX_ULPS = 1.5;
    /** Max error of {@link #erf}, ulps. */
    public static final double ERF_MAX_ULPS = 1.5;
    /** Max error of {@link #sigmoid}, ulps. */
    public static final double SIGMOID_MAX_ULPS = 2.5;
    /** Max error of {@link #softplus}, ulps. */
    public static final double SOFTPLUS_MAX_ULPS = 2.0;
    /** Max error of {@link #silu}, ulps. */
    public static final double SILU_MAX_ULPS = 3.5;
    /** Max error of {@link #gelu}, ulps. */
    public static final double GELU_MAX_ULPS = 4.0;

    // ---------------------------------------------------------------- building blocks

    /** 2^n as a float, for -126 <= n <= 127. */
    static float pow2(int n) {
        return Float.intBitsToFloat((n + EXP_BIAS) << 23);
    }

    /** The float value of a small int (|i| < 2^22), exactly, via the rounding magic. */
    static float toFloat(int i) {
        return Float.intBitsToFloat(ROUND_MAGIC_BITS + i) - ROUND_MAGIC;
    }

    /** y with the sign bit of s (y must be +0 or positive). */
    static float withSignOf(float y, float s) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) | (Float.floatToRawIntBits(s) & SIGN_BIT));
    }

    // ---------------------------------------------------------------- exp, log, log1p

    /**
     * e^x, max error {@value #EXP_MAX_ULPS} ulp. Range reduction x = k·ln2 + r with
     * k = round(x·log2 e) and a two-constant ln2 (fma), e^r by a degree-6 polynomial, then 2^k
     * applied in two exact steps so that subnormal and overflowing results are rounded once.
     */
    public static float exp(float x) {
        if (x != x) return x;
        return expTimesPow2(x, 0);
    }

    /**
     * e^x·2^m for non-NaN x and 0 <= m <= 64 (m = 0 for exp). The result is one rounding of the
     * exact p·2^(k+m), so expTimesPow2(x, m)·2^-m == exp(x) bit for bit.
     */
    static float expTimesPow2(float x, int m) {
        float xc = Math.min(Math.max(x, EXP_MIN_ARG), EXP_MAX_ARG);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);          // ROUND_MAGIC + k
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -EXP_LN2_HI, xc);               // exact
        r = Math.fma(k, -EXP_LN2_LO, r);
        return scaleByPow2(expPoly(r), t, m);
    }

    /**
     * e^{hi + lo} for non-NaN hi and |lo| <= ulp(hi): as exp(hi), with lo added to the reduced
     * argument (so e^{-a²} can be taken from the exact square a² = hi + lo).
     */
    static float expSum(float hi, float lo) {
        float xc = Math.min(Math.max(hi, EXP_MIN_ARG), EXP_MAX_ARG);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -EXP_LN2_HI, xc);
        r = Math.fma(k, -EXP_LN2_LO, r) + lo;
        return scaleByPow2(expPoly(r), t, 0);
    }

    /** e^r for |r| <= ln2/2: 1 + r + r²·Q(r) by Horner with fma. */
    private static float expPoly(float r) {
        float p = Math.fma(EXP_Q4, r, EXP_Q3);
        p = Math.fma(p, r, EXP_Q2);
        p = Math.fma(p, r, EXP_Q1);
        p = Math.fma(p, r, EXP_Q0);
        p = Math.fma(p, r, 1f);
        return Math.fma(p, r, 1f);
    }

    /**
     * p·2^(k+m) where t = ROUND_MAGIC + k, as (p·2^k1)·2^k2 with k1 + k2 = k + m and both factors
     * normal: the first product is exact, so subnormal and overflowing results are rounded once.
     */
    private static float scaleByPow2(float p, float t, int m) {
        int km = Float.floatToRawIntBits(t) - (ROUND_MAGIC_BITS - m);
        int k1 = km >> 1;
        int k2 = km - k1;
        return p * pow2(k1) * pow2(k2);
    }

    /**
     * The natural logarithm, max error {@value #LOG_MAX_ULPS} ulp. x = 2^k·m with m in [√½, √2),
     * f = m - 1, log1p(f) = f - f²/2 + s·(f²/2 + R(s²)) with s = f/(2+f). log(±0) = -Inf,
     * log(x < 0) = NaN.
     */
    public static float log(float x) {
        if (x != x) return x;
        if (x == Float.POSITIVE_INFINITY) return x;
        if (x == 0f) return Float.NEGATIVE_INFINITY;
        if (x < 0f) return Float.NaN;
        boolean subnormal = x < Float.MIN_NORMAL;
        float xs = subnormal ? x * TWO_POW_25 : x;
        float kBias = subnormal ? -25f : 0f;
        int ix = Float.floatToRawIntBits(xs);
        int e = (ix - SQRT_HALF_BITS) >> 23;
        float f = Float.intBitsToFloat(ix - (e << 23)) - 1f;  // exact
        float k = toFloat(e) + kBias;
        return logCore(f, k, k * LOG_LN2_LO);
    }

    /**
     * log(1 + x), max error {@value #LOG1P_MAX_ULPS} ulp. u = 1 + x rounded, c = (1 + x) - u
     * exactly (Fast2Sum), then log(u) as in {@link #log} plus the first-order correction c/u.
     */
    public static float log1p(float x) {
        if (x != x) return x;
        if (x == Float.POSITIVE_INFINITY) return x;
        if (x == -1f) return Float.NEGATIVE_INFINITY;
        if (x < -1f) return Float.NaN;
        if (x == 0f) return x;                                // keeps the sign of zero
        float u = 1f + x;
        float c = x <= 1f ? x - (u - 1f) : 1f - (u - x);      // |x| <= 1 or x > 1: exact either way
        int iu = Float.floatToRawIntBits(u);
        int e = (iu - SQRT_HALF_BITS) >> 23;
        float f = Float.intBitsToFloat(iu - (e << 23)) - 1f;
        float k = toFloat(e);
        return logCore(f, k, Math.fma(k, LOG_LN2_LO, c / u));
    }

    /** k·ln2 + log1p(f) for f in [√½-1, √2-1], with {@code lo} = k·LN2_LO (+ any correction). */
    private static float logCore(float f, float k, float lo) {
        float s = f / (2f + f);
        float z = s * s;
        float hfsq = 0.5f * f * f;
        float r = z * Math.fma(Math.fma(LOG_P2, z, LOG_P1), z, LOG_P0);
        float tail = Math.fma(s, hfsq + r, lo);
        return Math.fma(k, LOG_LN2_HI, f - (hfsq - tail));
    }

    // ---------------------------------------------------------------- tanh, erf

    /**
     * Hyperbolic tangent, max error {@value #TANH_MAX_ULPS} ulp. On a = |x|: the odd polynomial
     * a + a·z·P(z), z = a², below 0.625, and 1 - 2/(e^{2a} + 1) above; then the sign of x (which
     * also keeps tanh(-0) = -0).
     */
    public static float tanh(float x) {
        if (x != x) return x;
        float a = Math.abs(x);
        float y;
        if (a < TANH_SMALL) {
            float z = a * a;
            float p = Math.fma(TANH_P4, z, TANH_P3);
            p = Math.fma(p, z, TANH_P2);
            p = Math.fma(p, z, TANH_P1);
            p = Math.fma(p, z, TANH_P0);
            y = Math.fma(a * z, p, a);
        } else {
            float t = exp(2f * a);
            y = 1f - 2f / (t + 1f);
        }
        return withSignOf(y, x);
    }

    /**
     * The error function, max error {@value #ERF_MAX_ULPS} ulp. x + x·Q(x²) below 0.75;
     * 1 - erfc(|x|) above, erfc(a) = e^{-a²}·g(a) with g a polynomial in a (below 2) or in 1/a.
     */
    public static float erf(float x) {
        if (x != x) return x;
        float a = Math.abs(x);
        if (a < ERF_SMALL) return erfSmall(x);
        float ac = a > ERF_CLAMP ? ERF_CLAMP : a;
        float sq = ac * ac;
        float e = expSum(-sq, -Math.fma(ac, ac, -sq));        // e^{-a²} from the exact square
        float g;                                              // erfc(a)·e^{a²}
        if (ac < ERFC_MID_END) {
            g = erfcxMid(ac - ERFC_MID_C);
        } else {
            float u = 1f / ac;
            g = u * erfcxTail(u);
        }
        return withSignOf(1f - e * g, x);
    }

    /** erf(x) for |x| < 0.75. */
    private static float erfSmall(float x) {
        return Math.fma(x, horner(ERF_Q, x * x), x);
    }

    /** erfc(a)·e^{a²} for 0.75 <= a < 2, as G(s) with s = a - c (a float a - c is exact). */
    private static float erfcxMid(float s) {
        return horner(ERFC_G, s);
    }

    /** a·erfc(a)·e^{a²} for 2 <= a <= 10.5, as P(u) with u = 1/a. */
    private static float erfcxTail(float u) {
        return horner(ERFC_P, u);
    }

    /** The polynomial with coefficients c (highest degree first) at z, by Horner's rule with fma. */
    static float horner(float[] c, float z) {
        float p = c[0];
        for (int i = 1; i < c.length; i++) p = Math.fma(p, z, c[i]);
        return p;
    }

    // ---------------------------------------------------------------- activations

    /**
     * The logistic function 1/(1 + e^{-x}), max error {@value #SIGMOID_MAX_ULPS} ulp, written as
     * e/(1+e) for x < 0 with e = e^{-|x|}: it never overflows and stays accurate (subnormal) far
     * into the negative tail.
     */
    public static float sigmoid(float x) {
        if (x != x) return x;
        float e = exp(-Math.abs(x));
        float num = x < 0f ? e : 1f;
        return num / (1f + e);
    }

    /** log(1 + e^x) as Mamba computes it (x itself above 20), max error {@value #SOFTPLUS_MAX_ULPS} ulp. */
    public static float softplus(float x) {
        return x <= SOFTPLUS_THRESHOLD ? log1p(exp(x)) : x;
    }

    /**
     * SiLU (swish) x·sigmoid(x), max error {@value #SILU_MAX_ULPS} ulp, as x/(1 + e) for x >= 0
     * and x·e/(1 + e) for x < 0 with e = e^{-|x|}; the latter is formed 2^64 times larger and
     * scaled back at the end, so results in the subnormal range are rounded once. Below -110
     * (where the result rounds to -0) x is clamped like exp's argument, so -Inf gives -0.
     */
    public static float silu(float x) {
        if (x != x) return x;
        float big = expTimesPow2(-Math.abs(x), 64);          // e·2^64, normal
        float d = 1f + big * 0x1p-64f;                        // 1 + e
        if (x >= 0f) return x / d;
        float xc = x < EXP_MIN_ARG ? EXP_MIN_ARG : x;
        return xc * big / d * 0x1p-64f;
    }

    /**
     * GELU, the exact (erf) form x·Φ(x) = ½x·(1 + erf(x/√2)), max error {@value #GELU_MAX_ULPS}
     * ulp. x/√2 is taken as a float pair y + yLo, whose low part enters through erf'(y)·yLo
     * (small |y|) or the argument of the erfc fit; the negative tail is computed as ½x·erfc(|y|)
     * with e^{-x²/2} from the exact square of x, so it keeps full relative accuracy where
     * 1 + erf(y) would cancel; for x > 0 it is x - ½x·erfc(|y|). -Inf gives -0.
     */
    public static float gelu(float x) {
        if (x != x) return x;
        float xa = Math.abs(x);
        xa = xa > GELU_CLAMP ? GELU_CLAMP : xa;
        float sq = xa * xa;
        float e = expSum(-0.5f * sq, -0.5f * Math.fma(xa, xa, -sq));   // e^{-x²/2}, exact square
        float half = 0.5f * x;
        float y = x * SQRT_HALF;
        float yLo = Math.fma(x, SQRT_HALF, -y) + x * SQRT_HALF_LO;     // x/√2 = y + yLo
        float a = Math.abs(y);
        if (a < ERF_SMALL) {                                  // 1 + erf(y + yLo), erf'(y) = (2/√π)e^{-y²}
            return half * Math.fma(yLo * TWO_OVER_SQRT_PI, e, 1f + erfSmall(y));
        }
        float ac = a > ERFC_CLAMP ? ERFC_CLAMP : a;
        if (ac < ERFC_MID_END) {                              // ½x·erfc(a) = ½x·g·e, or x minus that
            float aLo = x < 0f ? -yLo : yLo;                  // |x|/√2 = ac + aLo
            float hg = half * erfcxMid((ac - ERFC_MID_C) + aLo);
            return x < 0f ? hg * e : Math.fma(-hg, e, x);
        }
        float q = erfcxTail(1f / ac) * -SQRT_HALF;           // ½x·erfc(a)/e = ½x·(1/a)·P = ∓P/√2
        return x < 0f ? q * e : Math.fma(q, e, x);            // (-Inf: q·0 = -0)
    }
}
