package jcipa.tensor.math;

import org.junit.jupiter.api.Test;

/** VMath.softplusModerate has FMath.softplus's bits for every x ≥ −MODERATE_ARG and for NaN. */
class VMathModerateSoftplusTest {

    /** Every 61st float of [0, +∞] and of [−80, −0] by bit pattern, plus the ends, NaNs and the threshold's neighbours. */
    @Test
    void sameBitsAsSoftplusFromMinusEighty() {
        long infinity = Float.floatToRawIntBits(Float.POSITIVE_INFINITY), eighty = Float.floatToRawIntBits(VMath.MODERATE_ARG);
        float[] edges = {-80f, Math.nextUp(-80f), 20f, Math.nextUp(20f), Math.nextDown(20f), 80f, 88.8f, 1e30f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffa00001),
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, -7f, -17.3f, -79.99f};
        LaneSweep.check("softplusModerate", VMath::softplusModerate, FMath::softplus, sweep -> {
            for (long bits = 0; bits <= infinity; bits += 61) sweep.add(Float.intBitsToFloat((int) bits));
            for (long bits = 0; bits <= eighty; bits += 61) sweep.add(-Float.intBitsToFloat((int) bits));
        }, edges);
    }
}
