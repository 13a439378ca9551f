package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/** Zero-order hold against the ODE it solves, and the Euler input step the scan actually takes. */
class DiscretisationTest {

    /**
     * Integrates h′ = a·h + b·u with the input held at u over one step of length δ (classical
     * Runge–Kutta, 20000 sub-steps) and compares with Ā·h₀ + B̄_ZOH·u.
     */
    @Property(tries = 60)
    void zeroOrderHoldSolvesTheOdeOverOneStep(@ForAll @Scale(6) @DoubleRange(min = 1e-3, max = 2) double delta,
                                              @ForAll @Scale(6) @DoubleRange(min = -16, max = -0.05) double a,
                                              @ForAll @Scale(6) @DoubleRange(min = -2, max = 2) double b,
                                              @ForAll @Scale(6) @DoubleRange(min = -2, max = 2) double u,
                                              @ForAll @Scale(6) @DoubleRange(min = -2, max = 2) double h0) {
        int steps = 20000;
        double dt = delta / steps, h = h0;
        for (int i = 0; i < steps; i++) {
            double k1 = a * h + b * u;
            double k2 = a * (h + dt / 2 * k1) + b * u;
            double k3 = a * (h + dt / 2 * k2) + b * u;
            double k4 = a * (h + dt * k3) + b * u;
            h += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        double zoh = Discretisation.aBar(delta, a) * h0 + Discretisation.bBarZeroOrderHold(delta, a, b) * u;
        assertEquals(h, zoh, 1e-9 * (1 + Math.abs(h)), "δ=" + delta + " a=" + a);
    }

    /** B̄_ZOH / B̄_Euler = (e^x − 1)/x with x = δa; for x ≤ 0 this lies between 1 + x/2 and 1 + x/2 + x²/6. */
    @Property(tries = 200)
    void eulerIsTheFirstOrderTermOfZeroOrderHold(@ForAll @Scale(6) @DoubleRange(min = 1e-4, max = 1) double delta,
                                                 @ForAll @Scale(6) @DoubleRange(min = -1, max = -1e-3) double a) {
        double x = delta * a;
        double ratio = Discretisation.bBarZeroOrderHold(delta, a, 1) / Discretisation.bBarEuler(delta, 1);
        double excess = ratio - (1 + x / 2);
        assertTrue(excess >= -1e-15 && excess <= x * x / 6 + 1e-15, "x=" + x + " ratio=" + ratio);
    }

    /** The two input steps agree as δa → 0 and drift apart with δa: 5 % at δa = −0.1, 37 % at δa = −1. */
    @Test
    void zeroOrderHoldAndEulerDifferByAboutHalfOfDeltaTimesA() {
        assertEquals(1 - 0.0483742, Discretisation.bBarZeroOrderHold(0.1, -1, 1) / 0.1, 1e-7);   // (1 − e^{−0.1})/0.1
        assertEquals(1 - Math.exp(-1), Discretisation.bBarZeroOrderHold(1, -1, 1), 1e-15);
        assertEquals(0.25, Discretisation.bBarZeroOrderHold(0.25, 0, 1), 0);                    // a = 0: both are δ·b
        assertEquals(0.25, Discretisation.bBarEuler(0.25, 1), 0);
    }

    /** The scan takes B̄u = δ·B·u (Euler) and Ā = exp(δA): two steps by hand, and not the ZOH value. */
    @Test
    void theScanUsesTheEulerInputStep() {
        double a = -2, b0 = 0.5, b1 = -1.5, c0 = 1.25, c1 = 0.75, u0 = 2, u1 = -1;
        double raw = 0.3, step = Math.log1p(Math.exp(raw));                 // softplus
        double[] y = new double[2];
        SelectiveScanRef.forward(new double[] {u0, u1}, new double[] {raw, raw}, new double[] {a},
                new double[] {b0, b1}, new double[] {c0, c1}, null, null, 1, 1, 1, 2, 1, y);

        double decay = Math.exp(step * a);
        double h0 = step * b0 * u0, h1 = decay * h0 + step * b1 * u1;
        assertEquals(c0 * h0, y[0], 1e-14);
        assertEquals(c1 * h1, y[1], 1e-14);

        double z0 = Discretisation.bBarZeroOrderHold(step, a, b0) * u0;
        double z1 = decay * z0 + Discretisation.bBarZeroOrderHold(step, a, b1) * u1;
        assertTrue(Math.abs(c1 * z1 - y[1]) > 0.1 * Math.abs(y[1]), "ZOH would give " + c1 * z1 + ", the scan gives " + y[1]);
    }
}
