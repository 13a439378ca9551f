package jcipa.tensor.math;

import org.junit.jupiter.api.Test;

/** VMath.expModerate has FMath.exp's bits on the whole of [−MODERATE_ARG, MODERATE_ARG]. */
class VMathModerateExpTest {

    /** Every 61st float of [−80, 80] by bit pattern (both signs), plus the ends, zeros and subnormals. */
    @Test
    void sameBitsAsExpOnTheModerateRange() {
        int top = Float.floatToRawIntBits(VMath.MODERATE_ARG);
        float[] edges = {80f, -80f, Math.nextDown(80f), Math.nextUp(-80f), 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, 1f, -1f, 0.5f * (float) Math.log(2), -87.3f / 2, 79.99f, -79.99f};
        LaneSweep.check("expModerate", VMath::expModerate, FMath::exp, sweep -> {
            for (int sign = 0; sign < 2; sign++)
                for (long bits = 0; bits <= top; bits += 61) sweep.add(Float.intBitsToFloat((int) bits | (sign << 31)));
        }, edges);
    }
}
