package jcipa.jmh.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Conv2dOp;
import jcipa.tensor.ops.Norms;
import jcipa.tensor.ops.SelectiveScanOp;

/**
 * The compared ops at sigma_tiny's shapes for a 512×512 input (stage 0 works on 128×128 tokens of
 * 96 channels; SS2D there has 192 inner channels, K = 4 directions, N = 16 states). Ours run
 * through {@code jcipa.tensor.ops}, the calls the model makes (output allocation included, as in
 * PyTorch); theirs through DJL's functional ops, which call {@code at::linear}, {@code at::convolution}
 * and {@code at::layer_norm}. Inputs are seeded uniform numbers, the same floats on both sides.
 */
final class Cases {
    private Cases() {}

    /** Builds a case's inputs (on both sides) when it is its turn, so that only one case's data is alive. */
    @FunctionalInterface
    interface Factory { PeerCase make(NDManager m); }

    static List<Factory> all(int warmup, int repeats, int scanWarmup, int scanRepeats, int[] scanLengths) {
        List<Factory> cases = new ArrayList<>();
        cases.add(m -> linear(m, "linear: stage-0 in_proj", 128, 128, 96, 384, warmup, repeats));
        cases.add(m -> linear(m, "linear: stage-0 out_proj", 128, 128, 192, 96, warmup, repeats));
        cases.add(m -> linear(m, "linear: stage-0 patch merging", 64, 64, 384, 192, warmup, repeats));
        cases.add(m -> linear(m, "linear: stage-2 in_proj", 32, 32, 384, 1536, warmup, repeats));
        cases.add(m -> conv3x3(m, "conv 3x3 depthwise: stage-0 SS2D", 192, 192, 192, warmup, repeats));
        cases.add(m -> conv3x3(m, "conv 3x3 dense: decoder CAB compress", 96, 32, 1, warmup, repeats));
        cases.add(m -> conv3x3(m, "conv 3x3 dense: decoder CAB expand", 32, 96, 1, warmup, repeats));
        cases.add(m -> layerNorm(m, "layer norm: stage 0", 128, 128, 96, warmup, repeats));
        for (int L : scanLengths) cases.add(m -> scan(m, "selective scan (PyTorch: per-step ref)", 4, 192, 16, L, scanWarmup, scanRepeats));
        return cases;
    }

    /** y (1, h, w, n) = x (1, h, w, k) · Wᵀ, W (n, k); no bias (VMamba's projections have none). */
    static PeerCase linear(NDManager m, String op, int h, int w, int k, int n, int warmup, int repeats) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = uniform(r, h * w * k, -1, 1), wt = uniform(r, n * k, -0.1f, 0.1f);
        Tensor ox = Tensor.of(x, 1, h, w, k), ow = Tensor.of(wt, n, k);
        NDArray tx = Torch.array(m, x, 1, h, w, k), tw = Torch.array(m, wt, n, k);
        return new PeerCase(op, "(1," + h + "," + w + "," + k + ") -> " + n, 1e-5, warmup, repeats,
                () -> jcipa.tensor.ops.Linear.linear(ox, ow, null),
                () -> Linear.linear(tx, tw).singletonOrThrow());
    }

    /** y (1, cOut, 128, 128) = conv2d(x (1, cIn, 128, 128), W (cOut, cIn/groups, 3, 3), b), stride 1, pad 1. */
    static PeerCase conv3x3(NDManager m, String op, int cIn, int cOut, int groups, int warmup, int repeats) {
        int s = 128, fanIn = cIn / groups * 9;
        float bound = (float) (1 / Math.sqrt(fanIn));
        SplittableRandom r = new SplittableRandom(11);
        float[] x = uniform(r, cIn * s * s, -1, 1), wt = uniform(r, cOut * (cIn / groups) * 9, -bound, bound),
                b = uniform(r, cOut, -bound, bound);
        Tensor ox = Tensor.of(x, 1, cIn, s, s), ow = Tensor.of(wt, cOut, cIn / groups, 3, 3), ob = Tensor.of(b, cOut);
        NDArray tx = Torch.array(m, x, 1, cIn, s, s), tw = Torch.array(m, wt, cOut, cIn / groups, 3, 3),
                tb = Torch.array(m, b, cOut);
        Shape one = new Shape(1, 1);
        return new PeerCase(op, "(1," + cIn + "," + s + "," + s + ") -> " + cOut + (groups > 1 ? ", groups " + groups : ""), 1e-5, warmup, repeats,
                () -> Conv2dOp.apply(ox, ow, ob, 1, 1, groups),
                () -> Conv2d.conv2d(tx, tw, tb, one, one, one, groups).singletonOrThrow());
    }

    /** LayerNorm of (1, h, w, c) over c, with weight and bias, eps 1e-5. */
    static PeerCase layerNorm(NDManager m, String op, int h, int w, int c, int warmup, int repeats) {
        SplittableRandom r = new SplittableRandom(13);
        float[] x = uniform(r, h * w * c, -2, 2), g = uniform(r, c, 0.5f, 1.5f), b = uniform(r, c, -0.5f, 0.5f);
        Tensor ox = Tensor.of(x, 1, h, w, c), og = Tensor.of(g, c), ob = Tensor.of(b, c);
        NDArray tx = Torch.array(m, x, 1, h, w, c), tg = Torch.array(m, g, c), tb = Torch.array(m, b, c);
        return new PeerCase(op, "(1," + h + "," + w + "," + c + ") over " + c, 1e-5, warmup, repeats,
                () -> Norms.layerNorm(ox, new int[] {c}, og, ob, 1e-5),
                () -> LayerNorm.layerNorm(tx, new Shape(c), tg, tb, 1e-5f).singletonOrThrow());
    }

    /**
     * One SS2D selective scan: u, Δ (1, K·Dg, L), A (K·Dg, N), B, C (1, K, N, L), D, Δbias (K·Dg), with
     * softplus on Δ + Δbias. Value ranges as in a trained VMamba: δ = softplus(Δ + Δbias) in about
     * [0.02, 0.5], A in [−8, −0.5].
     */
    static PeerCase scan(NDManager m, String op, int groups, int channelsPerGroup, int states, int length, int warmup, int repeats) {
        int dim = groups * channelsPerGroup;
        SplittableRandom r = new SplittableRandom(17);
        float[] u = uniform(r, dim * length, -1, 1), delta = uniform(r, dim * length, -4, -1),
                a = uniform(r, dim * states, -8, -0.5f), b = uniform(r, groups * states * length, -1, 1),
                c = uniform(r, groups * states * length, -1, 1), d = uniform(r, dim, -1, 1),
                bias = uniform(r, dim, -0.5f, 0.5f);
        Tensor ou = Tensor.of(u, 1, dim, length), odelta = Tensor.of(delta, 1, dim, length), oa = Tensor.of(a, dim, states),
                ob = Tensor.of(b, 1, groups, states, length), oc = Tensor.of(c, 1, groups, states, length),
                od = Tensor.of(d, dim), obias = Tensor.of(bias, dim);
        NDArray tu = Torch.array(m, u, 1, dim, length), tdelta = Torch.array(m, delta, 1, dim, length),
                ta = Torch.array(m, a, dim, states), tb = Torch.array(m, b, 1, groups, states, length),
                tc = Torch.array(m, c, 1, groups, states, length), td = Torch.array(m, d, dim), tbias = Torch.array(m, bias, dim);
        return new PeerCase(op, "D=" + dim + " (K=" + groups + "), N=" + states + ", L=" + length, 1e-4, warmup, repeats,
                () -> SelectiveScanOp.apply(ou, odelta, oa, ob, oc, od, obias),
                () -> TorchSelectiveScan.forward(tu, tdelta, ta, tb, tc, td, tbias));
    }

    static float[] uniform(SplittableRandom r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(lo, hi);
        return a;
    }
}
