package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Linear;
import jcipa.tensor.ops.Norms;

/** Behaviour of the encoder modules that the golden captures do not reach: padding, gradients, drop path, bad shapes. */
class EncoderModulesTest {

    /** Phase order and zero padding of odd sizes, against a direct gather x[2i+p, 2j+q] → channel block 2q+p. */
    @ParameterizedTest
    @CsvSource({"4, 6, 3", "5, 3, 2", "1, 1, 2", "3, 4, 1"})
    void patchMergingGathersPhasesInOfficialOrder(int h, int w, int c) {
        PatchMerging2D pm = new PatchMerging2D(c, 2 * c, DType.F64);
        ModuleTesting.randomize(pm, 7, 0.8);
        Tensor x = ModuleTesting.random(11, 2, h, w, c);
        int h2 = (h + 1) / 2, w2 = (w + 1) / 2;
        double[] g = new double[2 * h2 * w2 * 4 * c];
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < h2; i++)
                for (int j = 0; j < w2; j++)
                    for (int p = 0; p < 2; p++)
                        for (int q = 0; q < 2; q++)
                            for (int k = 0; k < c; k++) {
                                int r = 2 * i + p, col = 2 * j + q;
                                double v = r < h && col < w ? x.get(b, r, col, k) : 0.0;
                                g[(((b * h2 + i) * w2 + j) * 4 + 2 * q + p) * c + k] = v;
                            }
        Map<String, StateValue> sd = pm.stateDict();
        Tensor gathered = Tensor.of(g, 2, h2, w2, 4 * c);
        Tensor expected = Linear.linear(Norms.layerNorm(gathered, new int[] {4 * c}, tensor(sd, "norm.weight"), tensor(sd, "norm.bias"), 1e-5),
                tensor(sd, "reduction.weight"), null);
        assertEquals(0.0, MiniGolden.relativeError(pm.forward(x), expected), 1e-15);
    }

    private static Tensor tensor(Map<String, StateValue> sd, String name) { return ((StateValue.Floats) sd.get(name)).tensor(); }

    /** Gradients of Σ r·SS2D(x) with respect to x and to every parameter kind, against central differences (float64). */
    @Test
    void ss2dGradientsMatchFiniteDifferences() {
        SS2D op = new SS2D(4, 3, DType.F64);
        ModuleTesting.randomize(op, 3, 0.6);
        Tensor x = ModuleTesting.random(5, 1, 3, 4, 4).requiresGrad(true);
        Tensor r = ModuleTesting.random(6, 1, 3, 4, 4);
        Function<Tensor, Double> loss = t -> op.forward(x).mul(r).sum().item();
        op.forward(x).mul(r).sum().backward();
        checkGradient("x", loss, x, x.grad());
        for (String p : List.of("x_proj_weight", "dt_projs_weight", "dt_projs_bias", "A_logs", "Ds", "in_proj.weight", "conv2d.weight", "out_norm.weight", "out_proj.weight")) {
            Tensor w = op.namedParameters().get(p);
            checkGradient(p, loss, w, w.grad());
        }
    }

    /** Gradients through the CRM (LayerNorm, Linear, GELU, SS1D, sigmoid, residual rescaling) against central differences. */
    @Test
    void channelRectificationGradientsMatchFiniteDifferences() {
        ChannelRectification crm = new ChannelRectification(3, 6, DType.F64);
        ModuleTesting.randomize(crm, 9, 0.5);
        Tensor ct = ModuleTesting.random(1, 2, 3, 2, 3).requiresGrad(true);
        Tensor pet = ModuleTesting.random(2, 2, 3, 2, 3).requiresGrad(true);
        Tensor r1 = ModuleTesting.random(3, 2, 3, 2, 3), r2 = ModuleTesting.random(4, 2, 3, 2, 3);
        Function<Tensor, Double> loss = t -> {
            ChannelRectification.Pair o = crm.forward(ct, pet);
            return o.ct().mul(r1).sum().item() + o.pet().mul(r2).sum().item();
        };
        ChannelRectification.Pair o = crm.forward(ct, pet);
        o.ct().mul(r1).sum().add(o.pet().mul(r2).sum()).backward();
        checkGradient("ct", loss, ct, ct.grad());
        checkGradient("pet", loss, pet, pet.grad());
        for (String p : List.of("channel_weights.mlp.1.weight", "channel_weights.mlp.3.x_proj_weight", "channel_weights.mlp.3.A_logs",
                "channel_weights.mlp.3.in_proj.weight", "channel_weights.mlp.5.bias")) {
            Tensor w = crm.namedParameters().get(p);
            checkGradient(p, loss, w, w.grad());
        }
    }

    private static void checkGradient(String what, Function<Tensor, Double> loss, Tensor t, Tensor grad) {
        assertNotNull(grad, what + ": no gradient");
        int n = t.numel(), step = Math.max(1, n / 40);
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i += step) {
            double fd = ModuleTesting.centralDifference(loss, t, i, 1e-5);
            worst = Math.max(worst, Math.abs(fd - grad.toDoubleArray()[i]));
            scale = Math.max(scale, Math.abs(fd));
        }
        assertTrue(scale > 0, what + ": all sampled gradients are zero");
        assertTrue(worst <= 1e-6 * Math.max(1, scale), what + ": gradient differs from finite differences by " + worst + " (scale " + scale + ")");
    }

    @Test
    void dropPathInTrainingKeepsOrScalesEachSamplesBranch() {
        VSSBlock block = new VSSBlock(4, 3, 0.5, DType.F64);
        ModuleTesting.randomize(block, 1, 0.5);
        Tensor x = ModuleTesting.random(2, 8, 2, 2, 4);
        block.eval();
        Tensor branch = block.forward(x).sub(x);
        block.train(true);
        assertThrows(IllegalStateException.class, () -> block.forward(x));
        Tensor y = block.forward(x, new SplittableRandom(42)).sub(x);
        int kept = 0;
        for (int b = 0; b < 8; b++) {
            Tensor yb = y.slice(0, b, b + 1), bb = branch.slice(0, b, b + 1);
            boolean dropped = MiniGolden.relativeError(yb, bb.mul(0.0)) == 0;
            if (!dropped) {
                assertEquals(0.0, MiniGolden.relativeError(yb, bb.mul(2.0)), 1e-12, "sample " + b);
                kept++;
            }
        }
        assertTrue(kept > 0 && kept < 8, "with p = 0.5 and 8 samples, expected some kept and some dropped: " + kept);
    }

    @Test
    void wrongShapesAreRejectedWithTheModuleName() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> new SS2D(8, 4, DType.F32).forward(Tensor.zeros(DType.F32, 1, 2, 2, 6)));
        assertTrue(e1.getMessage().contains("SS2D") && e1.getMessage().contains("[1, 2, 2, 6]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new ChannelRectification(4, 16, DType.F32).forward(Tensor.zeros(DType.F32, 1, 4, 3, 3), Tensor.zeros(DType.F32, 1, 4, 3, 3)));
        assertTrue(e2.getMessage().contains("ChannelRectification") && e2.getMessage().contains("16"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new PatchMerging2D(4, 8, DType.F32).forward(Tensor.zeros(DType.F32, 1, 2, 2, 5)));
        assertTrue(e3.getMessage().contains("PatchMerging2D"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> new SS1D(6, 4, DType.F32).forward(Tensor.zeros(DType.F32, 1, 3, 5)));
        assertTrue(e4.getMessage().contains("SS1D"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VSSBlock(4, 4, 1.0, DType.F32));
    }
}
