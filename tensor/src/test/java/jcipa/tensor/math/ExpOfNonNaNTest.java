package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** expOfNonNaN has exp's bits for every non-NaN argument, lane for lane; NaN still gives NaN. */
class ExpOfNonNaNTest {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static void check(float[] inputs) {
        int n = F.loopBound(inputs.length + F.length() - 1);
        float[] x = new float[n], y = new float[n];
        System.arraycopy(inputs, 0, x, 0, inputs.length);
        for (int i = 0; i < n; i += F.length()) VMath.expOfNonNaN(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]) && Float.isNaN(FMath.expOfNonNaN(x[i])), "NaN in, NaN out");
                continue;
            }
            int want = Float.floatToRawIntBits(FMath.exp(x[i]));
            assertEquals(want, Float.floatToRawIntBits(FMath.expOfNonNaN(x[i])), "scalar at x=" + x[i]);
            assertEquals(want, Float.floatToRawIntBits(y[i]), "vector lane at x=" + x[i]);
        }
    }

    @Test
    void sameBitsAsExpWhereverTheArgumentIsANumber() {
        check(Ulps.specials());
        check(Ulps.sweep(-110f, 90f, 300_000));
        check(Ulps.allBits(16381, 77));
    }
}
