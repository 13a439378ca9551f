package jcipa.model;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import jcipa.nn.Module;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Backward of the DCIM modules (float64) against central finite differences. */
class DcimGradientTest {
    private static final double H = 1e-6;

    @Test
    void regionGlobalBlockInputAndParameterGradients() {
        SplittableRandom rng = new SplittableRandom(11);
        int b = 1, c = 4, rows = 1, cols = 2, n = rows * cols;
        RegionGlobalBlock block = new RegionGlobalBlock(c, c, 16, 0, DType.F64);
        randomise(block, rng);
        block.eval();
        Tensor local = random(rng, b * n, 16, c).requiresGrad(true), regional = random(rng, b, n, c).requiresGrad(true);
        Tensor weights = random(rng, b, 4 * cols, 4 * rows, c);
        Supplier<Double> loss = () -> block.forward(local, regional, rows, cols, 4, 4).mul(weights).sum().item();
        block.forward(local, regional, rows, cols, 4, 4).mul(weights).sum().backward();
        check(loss, local, 0, 17, 101);
        check(loss, regional, 0, 3, 6);
        check(loss, param(block, "inner_norm1.weight"), 0, 40);
        check(loss, param(block, "outer_attn.in_proj.weight"), 0, 9);
        check(loss, param(block, "inner_attn.A_logs"), 0, 77);
    }

    @Test
    void regionStemInputGradients() {
        SplittableRandom rng = new SplittableRandom(12);
        RegionStem stem = new RegionStem(16, 16, DType.F64);
        randomise(stem, rng);
        stem.eval();
        Tensor ct = random(rng, 1, 16, 8, 8).requiresGrad(true), pet = random(rng, 1, 16, 8, 8).requiresGrad(true);
        Tensor wl = random(rng, 4, 16, 16), wr = random(rng, 1, 4, 16);
        Supplier<Double> loss = () -> {
            RegionStem.Tokens t = stem.forward(ct, pet);
            return t.local().mul(wl).sum().item() + t.regional().mul(wr).sum().item();
        };
        RegionStem.Tokens t = stem.forward(ct, pet);
        t.local().mul(wl).sum().add(t.regional().mul(wr).sum()).backward();
        check(loss, ct, 0, 100, 1000);
        check(loss, pet, 0, 100, 1000);
    }

    private static Tensor param(Module m, String name) { return m.namedParameters().get(name); }

    /** Compares x.grad at the flat indices with (L(x + h) − L(x − h)) / 2h. */
    private static void check(Supplier<Double> loss, Tensor x, int... at) {
        double[] data = x.storageDoubles();
        double[] grad = x.grad().toDoubleArray();
        for (int i : at) {
            double keep = data[x.offset() + i];
            data[x.offset() + i] = keep + H;
            double up = loss.get();
            data[x.offset() + i] = keep - H;
            double down = loss.get();
            data[x.offset() + i] = keep;
            double numeric = (up - down) / (2 * H);
            assertEquals(numeric, grad[i], 1e-6 * Math.max(1, Math.abs(numeric)), "gradient at " + i);
        }
    }

    /** Random parameters (BatchNorm running variances kept positive). */
    private static void randomise(Module m, SplittableRandom rng) {
        for (var e : m.stateDict().entrySet()) {
            if (!(e.getValue() instanceof StateValue.Floats f)) continue;
            double[] v = new double[f.tensor().numel()];
            boolean positive = e.getKey().endsWith("running_var") || e.getKey().endsWith("A_logs");
            for (int i = 0; i < v.length; i++) v[i] = positive ? rng.nextDouble(0.5, 1.5) : rng.nextDouble(-0.5, 0.5);
            f.set(v);
        }
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        return Tensor.of(v, shape);
    }
}
