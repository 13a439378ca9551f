package jcipa.tensor.math;

/** Float64 functions for the reference path that StrictMath lacks. PLACEHOLDER. */
public final class DMath {
    private DMath() {}
    /** The error function, float64, within about 1 ulp. */
    public static double erf(double x) { throw new UnsupportedOperationException("erf"); }
}
