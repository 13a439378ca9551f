package jcipa.tensor.math;

import static jcipa.tensor.math.FConst.*;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector twins of {@link FMath}, for any float species: lane i of {@code VMath.f(v)} has exactly
 * the bits of {@code FMath.f(v.lane(i))}, for every float input (±0, subnormals, ±Inf, NaN).
 *
 * <p>Each method is branch-free: it evaluates every piece the scalar form may branch to and picks
 * lanes with blends (with the same priority as the scalar branches), so each lane sees the same
 * IEEE operations as the scalar code. Error bounds are those documented on {@link FMath}.
 *
 * <p>Written for C2's inliner: a method here calls at most one other VMath method, as its first
 * real work, and otherwise only the (force-inlined) Vector API. Small helper methods would look
 * tidier but C2 stops inlining non-forced calls once a compilation has ~18000 IR nodes (each
 * vector op costs a few hundred at parse time), and a vector that crosses a call that is not
 * inlined is boxed on the heap. A kernel should likewise call VMath early in its loop body.
 */
public final class VMath {
    private VMath() {}

    // ---------------------------------------------------------------- exp, log, log1p

    /** Lanewise {@link FMath#exp}. (NaN lanes are found as x ≠ x, one compare, here and below.) */
    public static FloatVector exp(FloatVector x) {
        return expTimesPow2(x, 0).blend(x, x.compare(NE, x));
    }

    /** Arguments in [−MODERATE_ARG, MODERATE_ARG] may take {@link #expModerate}. */
    public static final float MODERATE_ARG = 80f;

    /**
     * {@link #exp} for lanes known to lie in [−{@link #MODERATE_ARG}, {@link #MODERATE_ARG}] (no NaN):
     * the same bits in that range, with fewer operations. There the clamp changes nothing, and
     * 2^k (|k| ≤ 116) is a normal float, so p·2^k is exact whether it is applied in one step or
     * as exp's two half steps. Outside the range the result is unspecified.
     */
    public static FloatVector expModerate(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(x.broadcast(-EXP_LN2_HI), x);
        r = k.fma(x.broadcast(-EXP_LN2_LO), r);
        FloatVector p = expPolynomial(r);
        // p·2^k is exact here (normal p, normal result): k added to p's exponent field, an integer add
        // that leaves the multiply ports to the rest of a kernel's arithmetic
        IntVector k23 = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS).lanewise(LSHL, 23);
        return p.reinterpretAsInts().add(k23).reinterpretAsFloats();
    }

    /**
     * min(max(x, EXP_MIN_ARG), EXP_MAX_ARG) as FMath takes it, written as two compares and blends:
     * the same value in every lane (NaN and −0 stay as they are, neither bound being zero or NaN),
     * without the NaN and signed-zero fix-ups that lanewise MAX/MIN compile to on x86.
     */
    static FloatVector clampExpArg(FloatVector x) {
        return x.blend(EXP_MIN_ARG, x.compare(LT, EXP_MIN_ARG)).blend(EXP_MAX_ARG, x.compare(GT, EXP_MAX_ARG));
    }

    /** e^r ≈ 1 + r + r²/2 + … on the reduced argument |r| ≤ ln2/2: FMath's Horner chain, lane by lane. */
    private static FloatVector expPolynomial(FloatVector r) {
        FloatVector one = r.broadcast(1f);
        FloatVector p = r.fma(r.broadcast(EXP_Q4), r.broadcast(EXP_Q3));
        p = p.fma(r, r.broadcast(EXP_Q2));
        p = p.fma(r, r.broadcast(EXP_Q1));
        p = p.fma(r, r.broadcast(EXP_Q0));
        p = p.fma(r, one);
        return p.fma(r, one);
    }

    /** Lanewise {@link FMath#expTimesPow2} (non-NaN lanes). */
    static FloatVector expTimesPow2(FloatVector x, int m) {
        FloatVector xc = clampExpArg(x);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(x.broadcast(-EXP_LN2_HI), xc);
        r = k.fma(x.broadcast(-EXP_LN2_LO), r);
        FloatVector p = expPolynomial(r);
        IntVector km = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - m);
        IntVector k1 = km.lanewise(ASHR, 1);
        IntVector k2 = km.sub(k1);
        FloatVector s1 = k1.add(EXP_BIAS).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(EXP_BIAS).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** Lanewise {@link FMath#expSum}. */
    static FloatVector expSum(FloatVector hi, FloatVector lo) {
        FloatVector xc = clampExpArg(hi);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(hi.broadcast(-EXP_LN2_HI), xc);
        r = k.fma(hi.broadcast(-EXP_LN2_LO), r).add(lo);
        FloatVector p = expPolynomial(r);
        IntVector km = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        IntVector k1 = km.lanewise(ASHR, 1);
        IntVector k2 = km.sub(k1);
        FloatVector s1 = k1.add(EXP_BIAS).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(EXP_BIAS).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** Lanewise {@link FMath#log}. */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_25), subnormal);
        FloatVector kBias = x.broadcast(0f).blend(-25f, subnormal);
        IntVector ix = xs.reinterpretAsInts();
        IntVector e = ix.sub(SQRT_HALF_BITS).lanewise(ASHR, 23);
        FloatVector f = ix.sub(e.lanewise(LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector k = e.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC).add(kBias);
        // FMath.logCore(f, k, k·LN2_LO)
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector r = z.mul(z.fma(x.broadcast(LOG_P2), x.broadcast(LOG_P1)).fma(z, x.broadcast(LOG_P0)));
        FloatVector tail = s.fma(hfsq.add(r), k.mul(LOG_LN2_LO));
        FloatVector y = k.fma(x.broadcast(LOG_LN2_HI), f.sub(hfsq.sub(tail)));
        y = y.blend(Float.NaN, x.compare(LT, 0f));
        y = y.blend(Float.NEGATIVE_INFINITY, x.compare(EQ, 0f));
        y = y.blend(x, x.compare(EQ, Float.POSITIVE_INFINITY));
        return y.blend(x, x.compare(NE, x));
    }

    /** Lanewise {@link FMath#log1p}. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector cSmall = x.sub(u.sub(1f));
        FloatVector cLarge = x.broadcast(1f).sub(u.sub(x));
        FloatVector c = cLarge.blend(cSmall, x.compare(LE, 1f));
        IntVector iu = u.reinterpretAsInts();
        IntVector e = iu.sub(SQRT_HALF_BITS).lanewise(ASHR, 23);
        FloatVector f = iu.sub(e.lanewise(LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector k = e.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC);
        // FMath.logCore(f, k, k·LN2_LO + c/u)
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector r = z.mul(z.fma(x.broadcast(LOG_P2), x.broadcast(LOG_P1)).fma(z, x.broadcast(LOG_P0)));
        FloatVector tail = s.fma(hfsq.add(r), k.fma(x.broadcast(LOG_LN2_LO), c.div(u)));
        FloatVector y = k.fma(x.broadcast(LOG_LN2_HI), f.sub(hfsq.sub(tail)));
        y = y.blend(x, x.compare(EQ, 0f));
        y = y.blend(Float.NaN, x.compare(LT, -1f));
        y = y.blend(Float.NEGATIVE_INFINITY, x.compare(EQ, -1f));
        y = y.blend(x, x.compare(EQ, Float.POSITIVE_INFINITY));
        return y.blend(x, x.compare(NE, x));
    }

    // ---------------------------------------------------------------- tanh, erf

    /** Lanewise {@link FMath#tanh}. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = exp(a.mul(2f));
        FloatVector z = a.mul(a);
        FloatVector p = z.fma(x.broadcast(TANH_P4), x.broadcast(TANH_P3));
        p = p.fma(z, x.broadcast(TANH_P2));
        p = p.fma(z, x.broadcast(TANH_P1));
        p = p.fma(z, x.broadcast(TANH_P0));
        FloatVector small = a.mul(z).fma(p, a);
        FloatVector large = x.broadcast(1f).sub(x.broadcast(2f).div(t.add(1f)));
        FloatVector y = large.blend(small, a.compare(LT, TANH_SMALL));
        y = y.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
        return y.blend(x, x.compare(NE, x));
    }

    /** Lanewise {@link FMath#erf}. */
    public static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector ac = a.blend(ERF_CLAMP, a.compare(GT, ERF_CLAMP));
        FloatVector sq = ac.mul(ac);
        FloatVector sqLo = ac.fma(ac, sq.neg());
        FloatVector small = erfSmall(x);
        FloatVector g = erfcxMid(ac.sub(ERFC_MID_C));
        FloatVector u = x.broadcast(1f).div(ac);
        FloatVector p = erfcxTail(u);
        FloatVector e = expSum(sq.neg(), sqLo.neg());        // the heaviest call last (see class doc)
        g = u.mul(p).blend(g, ac.compare(LT, ERFC_MID_END));
        FloatVector large = x.broadcast(1f).sub(e.mul(g));
        large = large.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
        FloatVector y = large.blend(small, a.compare(LT, ERF_SMALL));
        return y.blend(x, x.compare(NE, x));
    }

    /** Lanewise {@link FMath#erfSmall}. */
    static FloatVector erfSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector q = x.broadcast(ERF_Q[0]);
        for (int i = 1; i < ERF_Q.length; i++) q = q.fma(z, x.broadcast(ERF_Q[i]));
        return x.fma(q, x);
    }

    /** Lanewise {@link FMath#erfcxMid}. */
    static FloatVector erfcxMid(FloatVector s) {
        FloatVector g = s.broadcast(ERFC_G[0]);
        for (int i = 1; i < ERFC_G.length; i++) g = g.fma(s, s.broadcast(ERFC_G[i]));
        return g;
    }

    /** Lanewise {@link FMath#erfcxTail}. */
    static FloatVector erfcxTail(FloatVector u) {
        FloatVector p = u.broadcast(ERFC_P[0]);
        for (int i = 1; i < ERFC_P.length; i++) p = p.fma(u, u.broadcast(ERFC_P[i]));
        return p;
    }

    // ---------------------------------------------------------------- activations

    /** Lanewise {@link FMath#sigmoid}. */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector num = x.broadcast(1f).blend(e, x.compare(LT, 0f));
        FloatVector y = num.div(e.add(1f));
        return y.blend(x, x.compare(NE, x));
    }

    /** Lanewise {@link FMath#softplus}. */
    public static FloatVector softplus(FloatVector x) {
        FloatVector v = exp(x);
        FloatVector y = log1pOfExp(v).blend(v, v.compare(EQ, 0f));
        return x.blend(y, x.compare(LE, SOFTPLUS_THRESHOLD));
    }

    /**
     * {@link #softplus} for lanes that are NaN or ≥ −{@link #MODERATE_ARG} (others unspecified), with fewer
     * operations: there e^x takes {@link #expModerate} (lanes above the threshold 20 are x itself, whatever
     * e^x gives) and is never 0.
     */
    public static FloatVector softplusModerate(FloatVector x) {
        FloatVector y = log1pOfExp(expModerate(x));
        return x.blend(y, x.compare(LE, SOFTPLUS_THRESHOLD));
    }

    /** FMath.log1p(v) for the v = e^x that matter to softplus: +0 ≤ v < 4.9e8 (x ≤ 20), v not NaN. */
    private static FloatVector log1pOfExp(FloatVector v) {
        FloatVector u = v.add(1f);
        FloatVector c = v.sub(u.sub(1f)).blend(v.broadcast(1f).sub(u.sub(v)), v.compare(GT, 1f));
        IntVector iu = u.reinterpretAsInts();
        IntVector e = iu.sub(SQRT_HALF_BITS).lanewise(ASHR, 23);
        FloatVector f = iu.sub(e.lanewise(LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector k = e.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector r = z.mul(z.fma(v.broadcast(LOG_P2), v.broadcast(LOG_P1)).fma(z, v.broadcast(LOG_P0)));
        FloatVector tail = s.fma(hfsq.add(r), k.fma(v.broadcast(LOG_LN2_LO), c.div(u)));
        return k.fma(v.broadcast(LOG_LN2_HI), f.sub(hfsq.sub(tail)));
    }

    /** Lanewise {@link FMath#silu}. */
    public static FloatVector silu(FloatVector x) {
        FloatVector big = expTimesPow2(x.abs().neg(), 64);
        FloatVector d = big.mul(0x1p-64f).add(1f);
        FloatVector xc = x.blend(EXP_MIN_ARG, x.compare(LT, EXP_MIN_ARG));
        FloatVector neg = xc.mul(big).div(d).mul(0x1p-64f);
        FloatVector y = neg.blend(x.div(d), x.compare(GE, 0f));
        return y.blend(x, x.compare(NE, x));
    }

    /** Lanewise {@link FMath#gelu}. */
    public static FloatVector gelu(FloatVector x) {
        FloatVector xa = x.abs();
        xa = xa.blend(GELU_CLAMP, xa.compare(GT, GELU_CLAMP));
        FloatVector sq = xa.mul(xa);
        FloatVector half = x.mul(0.5f);
        FloatVector y = x.mul(SQRT_HALF);
        FloatVector yLo = x.fma(x.broadcast(SQRT_HALF), y.neg()).add(x.mul(SQRT_HALF_LO));
        FloatVector a = y.abs();
        FloatVector ac = a.blend(ERFC_CLAMP, a.compare(GT, ERFC_CLAMP));
        VectorMask<Float> negative = x.compare(LT, 0f);
        FloatVector w = erfSmall(y).add(1f);
        FloatVector g = erfcxMid(ac.sub(ERFC_MID_C).add(yLo.blend(yLo.neg(), negative)));
        FloatVector q = erfcxTail(x.broadcast(1f).div(ac)).mul(-SQRT_HALF);  // ½x·(1/a)·P = ∓P/√2
        FloatVector e = expSum(sq.mul(-0.5f), xa.fma(xa, sq.neg()).mul(-0.5f)); // heaviest call last
        FloatVector hg = half.mul(g);
        FloatVector mid = hg.neg().fma(e, x).blend(hg.mul(e), negative);
        FloatVector tail = q.fma(e, x).blend(q.mul(e), negative);
        FloatVector small = half.mul(yLo.mul(TWO_OVER_SQRT_PI).fma(e, w));
        FloatVector result = tail.blend(mid, ac.compare(LT, ERFC_MID_END)).blend(small, a.compare(LT, ERF_SMALL));
        return result.blend(x, x.compare(NE, x));
    }
}
