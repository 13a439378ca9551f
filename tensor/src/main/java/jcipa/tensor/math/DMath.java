package jcipa.tensor.math;

/** Float64 functions for the reference path that StrictMath lacks. PLACEHOLDER. */
public final class DMath {
    private DMath() {}
    /** The error function, float64, within about 1 ulp. */
    public static double erf(double x) {
        // TEMPORARY (Abramowitz-Stegun 7.1.26 is too coarse for a reference): series / continued fraction
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {            // Maclaurin series: erf x = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else if (ax < 6.5) {     // continued fraction for erfc
            double f = 0;
            for (int k = 60; k >= 1; k--) f = k / 2.0 / (ax + f);
            r = 1 - StrictMath.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }
}
