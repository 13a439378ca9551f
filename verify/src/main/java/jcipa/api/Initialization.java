package jcipa.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.Conv2dLayer;
import jcipa.nn.GeneratedWeights;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.tensor.Tensor;

/**
 * Seeded starting weights for training from scratch, following the VMamba/CIPA initialisation
 * rules (the official run starts from ImageNet weights; without them, this is what those modules
 * are initialised with):
 * <ul>
 * <li>Linear: weight ~ N(0, 0.02²) truncated to ±2σ, bias 0;</li>
 * <li>Conv2d: weight ~ N(0, 2/fan_in) (He, for the ReLU/GELU stacks), bias 0;</li>
 * <li>LayerNorm, BatchNorm: weight 1, bias 0 (as constructed);</li>
 * <li>selective scan: x_proj_weight ~ U(±1/√D) (nn.Linear's default), dt_projs_weight ~ U(±1/√R),
 *     dt_projs_bias = softplus⁻¹(δ) with δ = exp(U(ln 0.001, ln 0.1)) floored at 1e-4,
 *     A_logs = log(1..N), Ds = 1 (as constructed);</li>
 * <li>anything else (decoder scale1/scale2) keeps its constructed value.</li>
 * </ul>
 * Each tensor draws from its own stream, seeded by (seed, full parameter name), so the values do
 * not depend on the order of the walk or on the thread count.
 */
public final class Initialization {
    private Initialization() {}

    /** Overwrites the parameters of {@code model} in place with seeded starting values. */
    public static void apply(Module model, long seed) {
        for (Map.Entry<String, Module> e : model.namedModules()) {
            Module m = e.getValue();
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : m.ownParameters().entrySet()) {
                Stream r = new Stream(seed, prefix + p.getKey());
                float[] w = p.getValue().storageFloats();
                int[] s = p.getValue().shape();
                String n = p.getKey();
                if (m instanceof LinearLayer) {
                    if (n.equals("weight")) for (int i = 0; i < w.length; i++) w[i] = (float) (0.02 * r.truncatedGaussian());
                    else java.util.Arrays.fill(w, 0f);
                } else if (m instanceof Conv2dLayer) {
                    if (n.equals("weight")) {
                        double std = Math.sqrt(2.0 / (s[1] * s[2] * s[3]));
                        for (int i = 0; i < w.length; i++) w[i] = (float) (std * r.gaussian());
                    } else java.util.Arrays.fill(w, 0f);
                } else if (m instanceof LayerNormLayer || m instanceof BatchNorm2dLayer) {
                    // constructed as weight 1, bias 0
                } else if (n.equals("x_proj_weight")) {
                    double bound = 1 / Math.sqrt(s[2]);
                    for (int i = 0; i < w.length; i++) w[i] = (float) (bound * (2 * r.uniform() - 1));
                } else if (n.equals("dt_projs_weight")) {
                    double bound = 1 / Math.sqrt(s[2]);
                    for (int i = 0; i < w.length; i++) w[i] = (float) (bound * (2 * r.uniform() - 1));
                } else if (n.equals("dt_projs_bias")) {
                    double lo = Math.log(1e-3), hi = Math.log(1e-1);
                    for (int i = 0; i < w.length; i++) {
                        double dt = Math.max(StrictMath.exp(lo + r.uniform() * (hi - lo)), 1e-4);
                        w[i] = (float) (dt + StrictMath.log(-StrictMath.expm1(-dt)));   // softplus(b) = dt
                    }
                }
            }
        }
    }

    /** A splitmix64 stream for one tensor, with Box–Muller normals (StrictMath: the same bits on every JVM). */
    private static final class Stream {
        private long state;

        Stream(long seed, String name) {
            state = GeneratedWeights.splitmix64(seed ^ GeneratedWeights.fnv1a64(name.getBytes(StandardCharsets.UTF_8)));
        }

        /** Uniform in [0, 1) from the top 53 bits. */
        double uniform() {
            state += 0x9E3779B97F4A7C15L;
            return (GeneratedWeights.splitmix64(state) >>> 11) * 0x1.0p-53;
        }

        double gaussian() {
            double u1 = 1 - uniform(), u2 = uniform();
            return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
        }

        /** N(0, 1) redrawn until within ±2. */
        double truncatedGaussian() {
            double g;
            do g = gaussian(); while (Math.abs(g) > 2);
            return g;
        }
    }
}
