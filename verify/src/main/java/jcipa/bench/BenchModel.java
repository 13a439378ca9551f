package jcipa.bench;

import java.util.SplittableRandom;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * A float32 CIPA with seeded weights (uniform in ±1/√fan-in for every weight matrix or kernel; norms,
 * biases, A and D keep their defaults) and seeded byte images: the time does not depend on the values.
 */
public record BenchModel(Cipa model, Tensor ct, Tensor pet, Tensor target) {

    public static BenchModel create(String config, int size, int batch) {
        Cipa model = new Cipa(CipaConfig.named(config, size), DType.F32);
        SplittableRandom r = new SplittableRandom(42);
        model.stateDict().forEach((name, v) -> {
            if (!(v instanceof StateValue.Floats f) || f.tensor().rank() < 2 || name.endsWith("A_logs")) return;
            int[] s = f.tensor().shape();
            double bound = 1 / Math.sqrt((double) f.tensor().numel() / s[0]);
            double[] d = new double[f.tensor().numel()];
            for (int i = 0; i < d.length; i++) d[i] = bound * (2 * r.nextDouble() - 1);
            f.set(d);
        });
        byte[] a = new byte[batch * size * size], b = new byte[a.length], m = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) r.nextInt(256);
            b[i] = (byte) r.nextInt(256);
            m[i] = (byte) (r.nextInt(8) == 0 ? 255 : 0);
        }
        return new BenchModel(model, Inputs.fromU8(a, batch, size, size), Inputs.fromU8(b, batch, size, size),
                Inputs.maskFromU8(m, batch, size, size));
    }
}
