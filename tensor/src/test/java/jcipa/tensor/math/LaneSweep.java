package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Inputs collected in chunks, each chunk run through a vector function and checked lane by lane
 * against its scalar twin, bit for bit (the moderate-range VMath forms against FMath).
 */
final class LaneSweep {
    interface Scalar { float apply(float x); }

    private final String name;
    private final VectorSpecies<Float> species;
    private final UnaryOperator<FloatVector> vector;
    private final Scalar scalar;
    private final float[] x = new float[1 << 16];
    private int n;

    LaneSweep(String name, VectorSpecies<Float> species, UnaryOperator<FloatVector> vector, Scalar scalar) {
        this.name = name;
        this.species = species;
        this.vector = vector;
        this.scalar = scalar;
    }

    /**
     * Checks {@code vector} against {@code scalar} on what {@code sweep} adds and on {@code edges} with the
     * preferred vector species, and on the edges again with 128- and 256-bit vectors.
     */
    static void check(String name, UnaryOperator<FloatVector> vector, Scalar scalar, Consumer<LaneSweep> sweep, float[] edges) {
        LaneSweep preferred = new LaneSweep(name, FloatVector.SPECIES_PREFERRED, vector, scalar);
        sweep.accept(preferred);
        for (float e : edges) preferred.add(e);
        preferred.flush();
        for (VectorSpecies<Float> narrow : List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_256)) {
            LaneSweep n = new LaneSweep(name, narrow, vector, scalar);
            for (float e : edges) n.add(e);
            n.flush();
        }
    }

    void add(float v) {
        x[n++] = v;
        if (n == x.length) flush();
    }

    void flush() {
        int padded = species.loopBound(n + species.length() - 1);
        float[] in = new float[padded], y = new float[padded];
        System.arraycopy(x, 0, in, 0, n);
        for (int i = 0; i < padded; i += species.length()) vector.apply(FloatVector.fromArray(species, in, i)).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            float e = scalar.apply(in[i]);
            if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(y[i]))
                fail(String.format("%s(%a) = %a, the scalar form gives %a (%s)", name, in[i], y[i], e, species));
        }
        n = 0;
    }
}
