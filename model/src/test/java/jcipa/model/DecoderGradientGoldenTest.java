package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Losses;
import jcipa.tensor.ops.Reductions;

/**
 * Gradients of the training loss with respect to every decoder parameter, from the captured fused
 * features, against the golden ones ({@code grad/param/decode_head.*} with the float32 model,
 * {@code grad64/...} with the float64 one; full tensors where stored, else the stored sample
 * flat(g)[::s][:k], s = max(1, numel // k)). The decoder's parameter gradients depend on the
 * encoder only through the fused features, which are inputs here. Loss (train_utils/loss.py):
 * BCEWithLogits(mean) + 1 − mean_i (2Σ t·p + 1)/(Σ t + Σ p + 1), p = σ(logits), sums per image.
 */
class DecoderGradientGoldenTest {
    private static final double TOL = 1e-4;

    static Tensor loss(Tensor logits, Tensor target) {
        Tensor p = logits.sigmoid();
        int[] perImage = {1, 2, 3};
        Tensor inter = Reductions.sum(p.mul(target), perImage, false);
        Tensor dice = inter.mul(2.0).add(1.0).div(Reductions.sum(target, perImage, false).add(Reductions.sum(p, perImage, false)).add(1.0));
        return Losses.bceWithLogits(logits, target).add(dice.mean().neg().add(1.0));
    }

    @Test
    void parameterGradients() {
        for (DType dt : DType.values()) {
            String gradKey = dt == DType.F32 ? "grad" : "grad64";
            MambaDecoder d = DecoderGolden.miniDecoder(dt);
            List<Tensor> fused = DecoderGolden.fusedAll().stream().map(t -> t.to(dt)).toList();
            Tensor target = DecoderGolden.golden32("input/target").to(dt);
            Tensor l = loss(d.forward(fused, 128, 128), target);
            double lossGolden = MiniGolden.golden().asDoubles(dt == DType.F32 ? "out/loss" : "out64/loss")[0];
            System.out.printf("loss %s ours %.9f golden %.9f%n", dt, l.item(), lossGolden);
            assertEquals(lossGolden, l.item(), 1e-5);
            l.backward();

            double worst = 0;
            String worstName = "";
            int full = 0, sampled = 0;
            for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
                String name = "decode_head." + e.getKey();
                Tensor g = e.getValue().grad();
                assertTrue(g != null, name + " has no gradient");
                double[] ours = g.toDoubleArray(), golden;
                if (MiniGolden.golden().has(gradKey + "/param/" + name)) {
                    golden = MiniGolden.golden().asDoubles(gradKey + "/param/" + name);
                    full++;
                } else {
                    golden = MiniGolden.golden().asDoubles("sample/" + gradKey + "/param/" + name);
                    ours = sample(ours, golden.length);
                    sampled++;
                }
                double err = relative(ours, golden);
                if (err > worst) { worst = err; worstName = name; }
                assertTrue(err <= TOL, dt + " " + name + ": relative error " + err);
            }
            System.out.printf("%s parameter gradients: %d full, %d sampled, worst rel err %.3e (%s)%n", dt, full, sampled, worst, worstName);
        }
    }

    private static double[] sample(double[] g, int k) {
        int s = Math.max(1, g.length / k);
        double[] out = new double[Math.min(k, (g.length + s - 1) / s)];
        for (int i = 0; i < out.length; i++) out[i] = g[i * s];
        return out;
    }

    private static double relative(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("sizes differ: " + a.length + " vs " + b.length);
        double err = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale > 0 ? err / scale : err;
    }
}
