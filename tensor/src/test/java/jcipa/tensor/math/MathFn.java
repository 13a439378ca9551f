package jcipa.tensor.math;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;

/**
 * The float32 functions under test, each with its vector twin, its float64 reference (StrictMath
 * or DMath) and its documented error bound, plus the range where it is not saturated (swept densely).
 */
enum MathFn {
    EXP(FMath::exp, VMath::exp, StrictMath::exp, FMath.EXP_MAX_ULPS, -104f, 89f),
    LOG(FMath::log, VMath::log, StrictMath::log, FMath.LOG_MAX_ULPS, 0f, Float.MAX_VALUE),
    LOG1P(FMath::log1p, VMath::log1p, StrictMath::log1p, FMath.LOG1P_MAX_ULPS, -1f, Float.MAX_VALUE),
    TANH(FMath::tanh, VMath::tanh, StrictMath::tanh, FMath.TANH_MAX_ULPS, -9.1f, 9.1f),
    ERF(FMath::erf, VMath::erf, DMath::erf, FMath.ERF_MAX_ULPS, -4f, 4f),
    SIGMOID(FMath::sigmoid, VMath::sigmoid, DMath::sigmoid, FMath.SIGMOID_MAX_ULPS, -104f, 17f),
    SOFTPLUS(FMath::softplus, VMath::softplus, DMath::softplus, FMath.SOFTPLUS_MAX_ULPS, -104f, 21f),
    SILU(FMath::silu, VMath::silu, DMath::silu, FMath.SILU_MAX_ULPS, -110f, 17f),
    GELU(FMath::gelu, VMath::gelu, DMath::gelu, FMath.GELU_MAX_ULPS, -15f, 6f);

    interface FloatFn { float apply(float x); }

    final FloatFn scalar;
    final UnaryOperator<FloatVector> vector;
    final DoubleUnaryOperator reference;
    final double maxUlps;
    /** The interesting range, swept densely; outside it the function is saturated or trivial. */
    final float lo, hi;

    MathFn(FloatFn scalar, UnaryOperator<FloatVector> vector, DoubleUnaryOperator reference,
           double maxUlps, float lo, float hi) {
        this.scalar = scalar;
        this.vector = vector;
        this.reference = reference;
        this.maxUlps = maxUlps;
        this.lo = lo;
        this.hi = hi;
    }

    /** The error of f(x) in units of the float spacing at the reference value (see {@link Ulps}). */
    double error(float x) {
        return Ulps.error(scalar.apply(x), reference.applyAsDouble(x));
    }
}
