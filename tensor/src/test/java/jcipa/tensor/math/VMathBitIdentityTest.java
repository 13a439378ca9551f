package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lane i of VMath.f(v) has exactly the bits of FMath.f(v.lane(i)), for every function and for the
 * 64/128/256/512-bit species and the preferred one. Species wider than the CPU's run on the
 * Vector API's Java fallback (slow), so they get smaller sweeps than the preferred species.
 */
class VMathBitIdentityTest {

    static Stream<Arguments> cases() {
        List<VectorSpecies<Float>> species = List.of(FloatVector.SPECIES_PREFERRED, FloatVector.SPECIES_64,
            FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_512);
        List<Arguments> out = new ArrayList<>();
        // species-major, preferred first: every function is exercised by C2-compiled intrinsics while
        // the call sites inside VMath still see a single vector class
        for (VectorSpecies<Float> s : species) for (MathFn fn : MathFn.values()) out.add(Arguments.of(fn, s));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void vectorLanesHaveTheScalarBits(MathFn fn, VectorSpecies<Float> species) {
        boolean preferred = species == FloatVector.SPECIES_PREFERRED;
        assertSameBits(fn, species, Ulps.specials());
        assertSameBits(fn, species, Ulps.sweep(fn.lo, fn.hi, preferred ? 300_000 : 25_000));
        assertSameBits(fn, species, Ulps.allBits(preferred ? 16381 : 262139, 77));
    }

    static void assertSameBits(MathFn fn, VectorSpecies<Float> species, float[] inputs) {
        int n = species.loopBound(inputs.length + species.length() - 1);
        float[] x = new float[n];
        System.arraycopy(inputs, 0, x, 0, inputs.length);     // zero padding up to whole vectors
        float[] y = new float[n];
        for (int i = 0; i < n; i += species.length()) {
            fn.vector.apply(FloatVector.fromArray(species, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < n; i++) {
            float s = fn.scalar.apply(x[i]);
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(y[i])) {
                fail(String.format("%s %s: x=%s (%a, bits %08x): vector lane %s (%08x) != scalar %s (%08x)",
                    fn, species, x[i], x[i], Float.floatToRawIntBits(x[i]), y[i], Float.floatToRawIntBits(y[i]),
                    s, Float.floatToRawIntBits(s)));
            }
        }
    }
}
