package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** Every Unary's vector lanes have the bits of its scalar f32 on special and ordinary values. */
class UnaryLanesTest {
    @Test
    void vectorLanesHaveTheScalarBits() {
        float[] specials = {Float.NaN, Float.intBitsToFloat(0x7fc00123), Float.intBitsToFloat(0xffc00001), -0f, 0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            1f, -1f, 0.5f, -0.5f, 20f, 20.000002f, -88f, 89f, 1e-8f, -1e-8f, 3.7f, -12.25f};
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int n = (specials.length + lanes - 1) / lanes * lanes;
        float[] x = new float[n];
        System.arraycopy(specials, 0, x, 0, specials.length);
        for (Unary u : Unary.values()) {
            float[] y = new float[n];
            for (int i = 0; i < n; i += lanes) u.vec(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
            for (int i = 0; i < n; i++)
                assertEquals(Float.floatToRawIntBits(u.f32(x[i])), Float.floatToRawIntBits(y[i]), u + " at " + x[i]);
        }
    }
}
