package jcipa.tensor.ops;

import java.util.SplittableRandom;

import jcipa.tensor.Tensor;
import jcipa.tensor.check.GradCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every op's backward equals central finite differences in float64, on random inputs and shapes. */
class OpGradientProperties {
    @Provide
    Arbitrary<OpCatalog.Case> ops() { return Arbitraries.of(OpCatalog.ALL); }

    @Property(tries = 2000)   // ~45 ops: every op is drawn dozens of times per run
    void backwardMatchesFiniteDifferences(@ForAll("ops") OpCatalog.Case op, @ForAll long seed) {
        Tensor[] in = op.inputs().apply(new SplittableRandom(seed));
        GradCheck.assertGradients(op.name(), op.f(), 1e-6, in);
    }
}
