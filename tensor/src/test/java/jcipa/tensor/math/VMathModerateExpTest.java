package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** VMath.expModerate has FMath.exp's bits on the whole of [−MODERATE_ARG, MODERATE_ARG]. */
class VMathModerateExpTest {

    /** Every 61st float of [−80, 80] by bit pattern (both signs), plus the ends, zeros and subnormals. */
    @Test
    void sameBitsAsExpOnTheModerateRange() {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        int top = Float.floatToRawIntBits(VMath.MODERATE_ARG);
        float[] x = new float[1 << 16];
        int n = 0;
        for (int sign = 0; sign < 2; sign++) {
            for (long bits = 0; bits <= top; bits += 61) {
                x[n++] = Float.intBitsToFloat((int) bits | (sign << 31));
                if (n == x.length) { check(s, x, n); n = 0; }
            }
        }
        float[] edges = {80f, -80f, Math.nextDown(80f), Math.nextUp(-80f), 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, 1f, -1f, 0.5f * (float) Math.log(2), -87.3f / 2, 79.99f, -79.99f};
        for (float e : edges) {
            x[n++] = e;
            if (n == x.length) { check(s, x, n); n = 0; }
        }
        check(s, x, n);
        for (VectorSpecies<Float> narrow : List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_256)) {
            check(narrow, edges, edges.length);
        }
    }

    private static void check(VectorSpecies<Float> s, float[] in, int n) {
        int padded = s.loopBound(n + s.length() - 1);
        float[] x = new float[padded], y = new float[padded];
        System.arraycopy(in, 0, x, 0, n);
        for (int i = 0; i < padded; i += s.length()) VMath.expModerate(FloatVector.fromArray(s, x, i)).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            float e = FMath.exp(x[i]);
            if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(y[i])) {
                fail(String.format("expModerate(%a) = %a, exp gives %a (%s)", x[i], y[i], e, s));
            }
        }
    }
}
