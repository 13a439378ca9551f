package jcipa.tensor.math;

/**
 * Float64 functions for the reference path that {@link StrictMath} lacks (erf, erfc) and the
 * activations written as the float64 formulas the float32 kernels are checked against.
 *
 * <p>erf and erfc use our own minimax polynomials (fitted by {@code docs/math-fit.py}):
 * <ul>
 *   <li>|x| < 1: erf(x) = x + x·Q(x²);
 *   <li>a = |x| >= 1: erfc(a) = e^{-a²}·g(a), with e^{-a²} taken from the exact square
 *       a² = hi + lo (fma) and g(a) = erfc(a)·e^{a²} = G(a - c) on [1, 2.5), t·P(t) with
 *       t = 1/(1 + 0.3a) on [2.5, 27.5]; erfc(a) underflows to 0 beyond.
 * </ul>
 * Measured against 60-digit mpmath values ({@code DMathTest} and a 60,000-point check): erf
 * within {@value #ERF_MAX_ULPS} ulp, erfc within {@value #ERFC_MAX_ULPS} ulp (relative, also in
 * the far tail); see docs/math.md.
 */
public final class DMath {
    private DMath() {}

    /** Max error of {@link #erf} in float64 ulps, measured against mpmath (DMathTest). */
    public static final double ERF_MAX_ULPS = 1.0;
    /** Max error of {@link #erfc} in float64 ulps, measured against mpmath (DMathTest). */
    public static final double ERFC_MAX_ULPS = 6.0;

    /** erf(x) = x + x·Q(x²) for |x| < 1 (Q highest degree first). */
    private static final double[] ERF_Q = {
        0x1.0579abd219119p-34, -0x1.386ac127e4f63p-30, 0x1.f7a4124c43dcbp-27, -0x1.5f1d36c4dcb99p-23,
        0x1.b9def19e3bc69p-20, -0x1.f4d1df3950987p-17, 0x1.f9a321a11e132p-14, -0x1.c02db3d8ed269p-11,
        0x1.565bcd0db02e5p-8, -0x1.b82ce3128499cp-6, 0x1.ce2f21a042b20p-4, -0x1.812746b0379e6p-2,
        0x1.06eba8214db69p-3,
    };

    /** g(a) = G(a - MID_C) for 1 <= a < 2.5 (a - MID_C is exact by Sterbenz's lemma). */
    private static final double MID_C = 0x1.cabp0;
    private static final double[] ERFC_G = {
        0x1.0d9f1be4d1b6cp-32, -0x1.1dd1e5529c915p-30, 0x1.d5ef25b2f1d7ap-29, -0x1.c9d5846d63f87p-27,
        0x1.bea0ca82969adp-25, -0x1.a297b4282c9a9p-23, 0x1.7ea186344049ep-21, -0x1.554d945e360cfp-19,
        0x1.286026ceb4674p-17, -0x1.f42acc9bab91ep-16, 0x1.99472719a3db8p-14, -0x1.4400afcbb9e4ep-12,
        0x1.eee7914345dddp-11, -0x1.6b6fef4020661p-9, 0x1.ff2ee5f752f94p-8, -0x1.568d50ae90e06p-6,
        0x1.b2ade33db8db7p-5, -0x1.02effb26e5082p-3, 0x1.1e4f6a8fd75a5p-2,
    };

    /** g(a) = t·P(t), t = 1/(1 + 0.3a), for 2.5 <= a <= 27.5. */
    private static final double[] ERFC_P = {
        0x1.bc3ea9aececc3p-8, -0x1.557b301f54f48p-5, 0x1.ad294b1658894p-4, -0x1.20665b0c3e52cp-3,
        0x1.f7b38a35c5679p-4, -0x1.6df84565bcf43p-4, 0x1.3dd9228b90c90p-5, -0x1.4bb6fe2cfa629p-7,
        0x1.af337a5c49ae8p-6, 0x1.5cc4c91ef3201p-5, 0x1.205b406ee72cep-4, 0x1.923f5f72071dcp-4,
        0x1.fe50a0390c75fp-4, 0x1.2bd76c738f7c9p-3, 0x1.4b0a1569cd679p-3, 0x1.5aa3592c33cd6p-3,
        0x1.5aa359385e7b8p-3,
    };

    /** The error function erf(x) = (2/√π)∫₀ˣ e^{-t²} dt, float64, within 1 ulp. */
    public static double erf(double x) {
        if (x != x) return x;
        double a = Math.abs(x);
        if (a < 1) return Math.fma(x, horner(ERF_Q, x * x), x);
        return Math.copySign(1 - erfcOfPositive(a), x);
    }

    /**
     * The complementary error function erfc(x) = 1 - erf(x), float64, accurate relative to
     * erfc itself (no cancellation) in both tails.
     */
    public static double erfc(double x) {
        if (x != x) return x;
        double a = Math.abs(x);
        if (a < 1) return 1 - erf(x);
        double c = erfcOfPositive(a);
        return x > 0 ? c : 2 - c;
    }

    /** erfc(a) for a >= 1. */
    private static double erfcOfPositive(double a) {
        if (a >= 27.5) return 0;                               // below the least subnormal
        double sq = a * a;
        double sqLo = Math.fma(a, a, -sq);                     // a² = sq + sqLo exactly
        double e = StrictMath.exp(-sq);
        e = Math.fma(-sqLo, e, e);                             // e^{-a²} = e^{-sq}·(1 - sqLo)
        double g;
        if (a < 2.5) {
            g = horner(ERFC_G, a - MID_C);
        } else {
            double t = 1 / (1 + 0.3 * a);
            g = t * horner(ERFC_P, t);
        }
        return e * g;
    }

    /** The polynomial with coefficients c (highest degree first) at z, by Horner's rule with fma. */
    private static double horner(double[] c, double z) {
        double p = c[0];
        for (int i = 1; i < c.length; i++) p = Math.fma(p, z, c[i]);
        return p;
    }

    // ---------------------------------------------------------------- reference activations

    /** The logistic function 1/(1 + e^{-x}), as e^x/(1 + e^x) for x < 0 (no overflow, no cancellation). */
    public static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + StrictMath.exp(-x));
        double e = StrictMath.exp(x);
        return e / (1 + e);
    }

    /** softplus as Mamba computes it: log(1 + e^x) for x <= 20, x above. */
    public static double softplus(double x) {
        return x <= 20 ? StrictMath.log1p(StrictMath.exp(x)) : x;
    }

    /** SiLU x·sigmoid(x) (its limit -0 at -Inf). */
    public static double silu(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x * sigmoid(x);
    }

    /**
     * GELU, exact form: ½x·(1 + erf(x/√2)), computed as ½x·erfc(-x/√2) (the same value) so the
     * negative tail keeps its relative accuracy instead of cancelling in 1 + erf (its limit -0 at -Inf).
     */
    public static double gelu(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : 0.5 * x * erfc(-x / Math.sqrt(2));
    }
}
