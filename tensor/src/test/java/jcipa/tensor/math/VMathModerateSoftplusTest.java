package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** VMath.softplusModerate has FMath.softplus's bits for every x ≥ −MODERATE_ARG and for NaN. */
class VMathModerateSoftplusTest {

    /** Every 61st float of [0, +∞] and of [−80, −0] by bit pattern, plus the ends, NaNs and the threshold's neighbours. */
    @Test
    void sameBitsAsSoftplusFromMinusEighty() {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        Sweep sweep = new Sweep(s);
        long infinity = Float.floatToRawIntBits(Float.POSITIVE_INFINITY), eighty = Float.floatToRawIntBits(VMath.MODERATE_ARG);
        for (long bits = 0; bits <= infinity; bits += 61) sweep.add(Float.intBitsToFloat((int) bits));
        for (long bits = 0; bits <= eighty; bits += 61) sweep.add(-Float.intBitsToFloat((int) bits));
        float[] edges = {-80f, Math.nextUp(-80f), 20f, Math.nextUp(20f), Math.nextDown(20f), 80f, 88.8f, 1e30f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffa00001),
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, -7f, -17.3f, -79.99f};
        for (float e : edges) sweep.add(e);
        sweep.flush();
        for (VectorSpecies<Float> narrow : List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_256)) {
            Sweep n = new Sweep(narrow);
            for (float e : edges) n.add(e);
            n.flush();
        }
    }

    /** Inputs collected in chunks, each checked lane by lane against the scalar softplus. */
    private static final class Sweep {
        final VectorSpecies<Float> s;
        final float[] x = new float[1 << 16];
        int n;

        Sweep(VectorSpecies<Float> s) { this.s = s; }

        void add(float v) {
            x[n++] = v;
            if (n == x.length) flush();
        }

        void flush() {
            int padded = s.loopBound(n + s.length() - 1);
            float[] in = new float[padded], y = new float[padded];
            System.arraycopy(x, 0, in, 0, n);
            for (int i = 0; i < padded; i += s.length()) VMath.softplusModerate(FloatVector.fromArray(s, in, i)).intoArray(y, i);
            for (int i = 0; i < n; i++) {
                float e = FMath.softplus(in[i]);
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(y[i]))
                    fail(String.format("softplusModerate(%a) = %a, softplus gives %a (%s)", in[i], y[i], e, s));
            }
            n = 0;
        }
    }
}
