package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random floats (any bit pattern, or values in the functions' active ranges), placed in random
 * lanes among other random floats: every species gives the scalar bits in every lane, and the
 * scalar result stays within the documented bound.
 */
class MathPropertyTest {

    @Provide
    Arbitrary<Float> floats() {
        return Arbitraries.oneOf(
            Arbitraries.integers().map(Float::intBitsToFloat),
            Arbitraries.floats().between(-20f, 20f),
            Arbitraries.floats().between(-120f, 100f),
            Arbitraries.of(specials()));
    }

    private static Float[] specials() {
        float[] xs = Ulps.specials();
        Float[] boxed = new Float[xs.length];
        for (int i = 0; i < xs.length; i++) boxed[i] = xs[i];
        return boxed;
    }

    @Property(tries = 200)
    void everyLaneOfEverySpeciesHasTheScalarBits(@ForAll MathFn fn, @ForAll("floats") float x,
                                                 @ForAll("floats") float other, @ForAll long seed) {
        float expected = fn.scalar.apply(x);
        java.util.Random rnd = new java.util.Random(seed);
        for (VectorSpecies<Float> s : new VectorSpecies[] {FloatVector.SPECIES_PREFERRED, FloatVector.SPECIES_64,
                FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_512}) {
            float[] lanes = new float[s.length()];
            for (int i = 0; i < lanes.length; i++) lanes[i] = rnd.nextBoolean() ? other : rnd.nextFloat() * 200 - 100;
            int lane = rnd.nextInt(lanes.length);
            lanes[lane] = x;
            float[] out = new float[lanes.length];
            fn.vector.apply(FloatVector.fromArray(s, lanes, 0)).intoArray(out, 0);
            for (int i = 0; i < lanes.length; i++) {
                assertEquals(Float.floatToRawIntBits(fn.scalar.apply(lanes[i])), Float.floatToRawIntBits(out[i]),
                    fn + " " + s + " lane " + i + " x=" + lanes[i]);
            }
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[lane]));
        }
    }

    @Property(tries = 200)
    void errorWithinTheDocumentedBound(@ForAll MathFn fn, @ForAll("floats") float x) {
        double e = fn.error(x);
        assertTrue(e <= fn.maxUlps, () -> fn + "(" + x + ") = " + fn.scalar.apply(x) + ", reference "
            + fn.reference.applyAsDouble(x) + ": " + e + " ulp > " + fn.maxUlps);
    }
}
