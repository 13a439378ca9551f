package jcipa.tensor.math;

/**
 * The constants shared by {@link FMath} and {@link VMath}, so that both evaluate the very same
 * formulas. Polynomial coefficients are our own minimax fits, printed by {@code docs/math-fit.py}
 * (Remez exchange in 60-digit arithmetic, coefficients rounded to float one at a time).
 */
final class FConst {
    private FConst() {}

    // ---- rounding and exponent tricks
    /** 1.5·2^23: adding it to |y| < 2^22 rounds y to an integer (ties to even) in the low bits. */
    static final float ROUND_MAGIC = 0x1.8p23f;
    static final int ROUND_MAGIC_BITS = 0x4b400000;
    static final int EXP_BIAS = 127;
    static final int SIGN_BIT = 0x80000000;
    /** Bits of √½: log reduces x = 2^k·m with m in [√½, √2). */
    static final int SQRT_HALF_BITS = 0x3f3504f3;
    /** √½ = SQRT_HALF + SQRT_HALF_LO; gelu takes x/√2 as a float pair y + yLo. */
    static final float SQRT_HALF = 0x1.6a09e6p-1f;
    static final float SQRT_HALF_LO = 0x1.9fcef4p-27f;
    static final float TWO_OVER_SQRT_PI = 0x1.20dd76p0f;
    /** 2^25, to lift subnormal arguments of log into the normal range. */
    static final float TWO_POW_25 = 0x1p25f;

    // ---- exp: x = k·ln2 + r, |r| <= ln2/2, e^r = 1 + r + r^2·Q(r)
    static final float LOG2E = 0x1.715476p0f;
    /** ln2 = LN2_HI + LN2_LO (float(ln2) and the float nearest the rest); fma takes k·LN2_HI exactly. */
    static final float EXP_LN2_HI = 0x1.62e43p-1f;
    static final float EXP_LN2_LO = -0x1.05c61p-29f;
    /** e^x rounds to 0 below -103.98 (half the least subnormal) and to +Inf above 88.73. */
    static final float EXP_MIN_ARG = -110f;
    static final float EXP_MAX_ARG = 89f;
    static final float EXP_Q0 = 0x1.fffffcp-2f;
    static final float EXP_Q1 = 0x1.55548ap-3f;
    static final float EXP_Q2 = 0x1.55584ep-5f;
    static final float EXP_Q3 = 0x1.123f3p-7f;
    static final float EXP_Q4 = 0x1.6ad158p-10f;

    // ---- log: log(2^k·(1+f)) = k·ln2 + f - f²/2 + s·(f²/2 + z·P(z)), s = f/(2+f), z = s²
    /** ln2 = LN2_HI + LN2_LO with 15 significant bits in LN2_HI, so k·LN2_HI is exact for |k| < 256. */
    static final float LOG_LN2_HI = 0x1.62e4p-1f;
    static final float LOG_LN2_LO = 0x1.7f7d1cp-20f;
    static final float LOG_P0 = 0x1.55557cp-1f;
    static final float LOG_P1 = 0x1.995c9cp-2f;
    static final float LOG_P2 = 0x1.32229ep-2f;

    // ---- tanh: |x| < TANH_SMALL: x + x·z·P(z), z = x²; else sign(x)·(1 - 2/(e^{2|x|} + 1))
    static final float TANH_SMALL = 0.625f;
    static final float TANH_P0 = -0x1.555532p-2f;
    static final float TANH_P1 = 0x1.1106f6p-3f;
    static final float TANH_P2 = -0x1.b835a4p-5f;
    static final float TANH_P3 = 0x1.51f8cep-6f;
    static final float TANH_P4 = -0x1.750ce4p-8f;

    // ---- erf: |x| < ERF_SMALL: x + x·Q(x²); else 1 - erfc(|x|) with erfc(a) = e^{-a²}·g(a),
    //      g(a) = G(a - ERFC_MID_C) for a < ERFC_MID_END, (1/a)·P(1/a) above
    static final float ERF_SMALL = 0.75f;
    /** erf(a) rounds to 1 for a >= 3.92; erf evaluates the tail at min(a, ERF_CLAMP). */
    static final float ERF_CLAMP = 4f;
    /**
     * gelu(x) = ½x·erfc(|x|/√2) rounds to -0 for x <= -14.4, so gelu's tail evaluates erfc at
     * min(|x|/√2, ERFC_CLAMP) and takes e^{-x²/2} from min(|x|, GELU_CLAMP) = ERFC_CLAMP·√2.
     */
    static final float ERFC_CLAMP = 10.5f;
    static final float GELU_CLAMP = 14.849242f;
    static final float ERFC_MID_END = 2f;
    /** The centre of the mid piece: a float where g is within 2^-34.6 of a float (G's constant term). */
    static final float ERFC_MID_C = 0x1.54dp0f;
    /** erf(x) = x + x·Q(x²) for |x| < 0.75; coefficients highest degree first (Horner order). */
    static final float[] ERF_Q = {
        -0x1.613e5p-11f, 0x1.4f188ap-8f, -0x1.b7a75cp-6f, 0x1.ce2acep-4f, -0x1.81273ap-2f,
        0x1.06eba8p-3f,
    };
    /** erfc(a)·e^{a²} = G(a - ERFC_MID_C) for 0.75 <= a < 2. */
    static final float[] ERFC_G = {
        -0x1.86b70cp-14f, 0x1.9d7c44p-12f, -0x1.1afd88p-10f, 0x1.78cd72p-9f, -0x1.ec5ap-8f,
        0x1.318abap-6f, -0x1.655feap-5f, 0x1.86a6b8p-4f, -0x1.8a0cf2p-3f, 0x1.67f65ep-2f,
    };
    /** a·erfc(a)·e^{a²} = P(1/a) for 2 <= a <= 10.5. */
    static final float[] ERFC_P = {
        -0x1.448bfp-2f, 0x1.26720ap-1f, -0x1.fc537ap-5f, -0x1.505a8cp-1f, 0x1.3f60d8p-1f,
        -0x1.239aa2p-5f, -0x1.1d092p-2f, -0x1.c36e9ep-13f, 0x1.20de24p-1f,
    };

    /** softplus(x) = x above this (Mamba's threshold). */
    static final float SOFTPLUS_THRESHOLD = 20f;
}
