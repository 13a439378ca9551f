package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.MacCounter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * SS2D runs CrossScan → x_proj → scans → CrossMerge as one channels-last op at inference, and, with gradients
 * recorded, as the same op keeping what its channels-last backward needs; with a MAC count open (or
 * {@code -Djcipa.ss2d.opByOp=true}) it takes the official op-by-op path. All give the same forward bits: per SS2D
 * over odd shapes, and for the whole mini CIPA with the golden weights. The fused backward's gradients equal the
 * op-by-op graph's up to float32 rounding.
 */
class FusedCrossScanTest {

    private static int[] bits(Tensor t) { return ModuleTesting.bits(t); }

    @Property(tries = 12)
    void ss2dGivesTheSameBitsOnEveryPath(@ForAll @IntRange(min = 1, max = 2) int batch,
                                         @ForAll @IntRange(min = 1, max = 7) int height,
                                         @ForAll @IntRange(min = 1, max = 9) int width,
                                         @ForAll @IntRange(min = 3, max = 24) int dModel,
                                         @ForAll @IntRange(min = 1, max = 5) int dState,
                                         @ForAll boolean conv,
                                         @ForAll long seed) {
        SS2D op = new SS2D(dModel, dState, conv ? 3 : 1, 2.0, DType.F32);      // d_conv 3 (CIPA's) or none
        ModuleTesting.randomize(op, seed, 0.5);
        op.eval();
        Tensor x = ModuleTesting.random(seed + 1, batch, height, width, dModel).to(DType.F32);
        assertTrue(opUsesFusedPaths(op, x));
        Tensor fused = Autograd.noGrad(() -> op.forward(x));
        Tensor training = op.forward(x);                        // gradients recorded: the fused op keeping its states
        Tensor opByOp = opByOp(() -> op.forward(x));
        assertArrayEquals(bits(opByOp), bits(fused));
        assertArrayEquals(bits(opByOp), bits(training));
    }

    /**
     * The gradients of Σ r·SS2D(x) for x and every parameter through the fused backward, against the op-by-op graph's:
     * within 2e-5 of each tensor's largest magnitude (both are float32; the sums run in different orders).
     */
    @Property(tries = 10)
    void ss2dGradientsMatchTheOpByOpGraph(@ForAll @IntRange(min = 1, max = 2) int batch,
                                          @ForAll @IntRange(min = 1, max = 6) int height,
                                          @ForAll @IntRange(min = 1, max = 19) int width,
                                          @ForAll @IntRange(min = 3, max = 20) int dModel,
                                          @ForAll @IntRange(min = 1, max = 5) int dState,
                                          @ForAll boolean conv,
                                          @ForAll long seed) {
        SS2D op = new SS2D(dModel, dState, conv ? 3 : 1, 2.0, DType.F32);
        ModuleTesting.randomize(op, seed, 0.5);
        Tensor x = ModuleTesting.random(seed + 1, batch, height, width, dModel).to(DType.F32).requiresGrad(true);
        Tensor r = ModuleTesting.random(seed + 2, batch, height, width, dModel).to(DType.F32);
        Map<String, float[]> fused = gradients(op, x, r), graph = opByOp(() -> gradients(op, x, r));
        assertEquals(graph.keySet(), fused.keySet());
        for (String name : graph.keySet()) {
            float[] a = graph.get(name), b = fused.get(name);
            double max = 0, err = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i]));
                err = Math.max(err, Math.abs(a[i] - b[i]));
            }
            assertTrue(err <= 2e-5 * max, name + ": max difference " + err + " against max " + max);
        }
    }

    /** x's gradient and every parameter's, by name, after one backward of Σ r·SS2D(x). */
    private static Map<String, float[]> gradients(SS2D op, Tensor x, Tensor r) {
        x.zeroGrad();
        op.namedParameters().values().forEach(t -> t.zeroGrad());
        op.forward(x).mul(r).sum().backward();
        Map<String, float[]> g = new TreeMap<>();
        g.put("x", x.grad().floats());
        op.namedParameters().forEach((name, t) -> g.put(name, t.grad().floats()));
        return g;
    }

    /** body with SS2D's fused training path off: the official op-by-op graph. */
    private static <T> T opByOp(java.util.function.Supplier<T> body) {
        DirectionalSsm.fusedWithGradient = false;
        try {
            return body.get();
        } finally {
            DirectionalSsm.fusedWithGradient = true;
        }
    }

    private static boolean opUsesFusedPaths(SS2D op, Tensor x) {
        boolean whenInference = Autograd.noGrad(() -> op.fusedCrossScan(x.permute(0, 3, 1, 2)));
        boolean whenTraining = op.fusedCrossScan(x.permute(0, 3, 1, 2));
        boolean fusedWhenTraining = op.fusedCrossScanWithGradient(x);
        boolean whenCounting, fusedWhenCounting;
        try (MacCounter c = MacCounter.start()) {
            fusedWhenCounting = op.fusedCrossScanWithGradient(x);
            try (Autograd.Scope ng = Autograd.noGrad()) {
                whenCounting = op.fusedCrossScan(x.permute(0, 3, 1, 2));
            }
        }
        assertFalse(whenTraining, "training takes the path with a backward");
        assertTrue(fusedWhenTraining, "training takes the fused core with its backward");
        assertFalse(opByOp(() -> op.fusedCrossScanWithGradient(x)), "switched off, training takes the op-by-op path");
        assertFalse(whenCounting || fusedWhenCounting, "a MAC count takes the op-by-op path");
        return whenInference;
    }

    @Test
    void wholeMiniModelGivesTheSameLogitsOnEveryPath() {
        Cipa model = MiniGolden.model();
        Tensor[] in = MiniGolden.inputs();
        Tensor fused = Autograd.noGrad(() -> model.forward(in[0], in[1]));
        Tensor training = model.forward(in[0], in[1]);
        Tensor opByOp = opByOp(() -> model.forward(in[0], in[1]));
        assertArrayEquals(bits(opByOp), bits(fused));
        assertArrayEquals(bits(opByOp), bits(training));
    }
}
