package jcipa.tensor.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Simd;
import jcipa.tensor.ops.Conv2dOp;
import jcipa.tensor.ops.CrossScanOp;
import jcipa.tensor.ops.Interpolate;
import jcipa.tensor.ops.Linear;
import jcipa.tensor.ops.Norms;
import jcipa.tensor.ops.Pooling;
import jcipa.tensor.ops.Losses;
import jcipa.tensor.ops.Pointwise;
import jcipa.tensor.ops.SelectiveScanOp;
import jcipa.tensor.parallel.Parallel;

/**
 * Runs every float32 kernel, forward and backward, on fixed seeded inputs at awkward sizes and
 * prints one line {@code <case> <sha256 of the result bits>} per case. The bit-identity tests run
 * this in JVMs with different thread counts, vector widths and SIMD off, and demand equal output.
 */
public final class Fingerprint {
    private Fingerprint() {}

    /** The cases, in a fixed order: name → result tensors. */
    public static Map<String, Supplier<Tensor[]>> cases() {
        Map<String, Supplier<Tensor[]>> m = new LinkedHashMap<>();
        m.put("pointwise", () -> {
            SplittableRandom r = new SplittableRandom(1);
            Tensor x = rand(r, -6, 6, 3, 257);
            Tensor b = rand(r, -2, 2, 257);
            return new Tensor[] {Pointwise.exp(x), Pointwise.log1p(Pointwise.exp(x)), Pointwise.tanh(x), Pointwise.erf(x), Pointwise.sigmoid(x),
                Pointwise.softplus(x.mul(5.0)), Pointwise.silu(x), Pointwise.gelu(x), x.add(b).mul(b).div(Pointwise.exp(b))};
        });
        m.put("reduce", () -> {
            Tensor x = rand(new SplittableRandom(2), -1, 1, 5, 17, 257);
            return new Tensor[] {x.sum(0, false), x.sum(1, true), x.sum(2, false), x.mean()};
        });
        m.put("selectiveScan", () -> {
            SplittableRandom r = new SplittableRandom(3);
            int batch = 2, k = 4, dg = 19, l = 67, n = 16;
            Tensor[] in = {rand(r, -1, 1, batch, k * dg, l), rand(r, -3, 1, batch, k * dg, l), rand(r, -4, -0.1, k * dg, n),
                rand(r, -1, 1, batch, k, n, l), rand(r, -1, 1, batch, k, n, l), rand(r, -1, 1, k * dg), rand(r, -1, 1, k * dg)};
            for (Tensor t : in) t.requiresGrad(true);
            Tensor y = SelectiveScanOp.apply(in[0], in[1], in[2], in[3], in[4], in[5], in[6]);
            y.backward(rand(r, -1, 1, batch, k * dg, l));
            return new Tensor[] {y, in[0].grad(), in[1].grad(), in[2].grad(), in[3].grad(), in[4].grad(), in[5].grad(), in[6].grad()};
        });
        m.put("crossScan", () -> {
            Tensor x = rand(new SplittableRandom(4), -1, 1, 2, 3, 5, 7).requiresGrad(true);
            Tensor xs = CrossScanOp.crossScan(x);
            Tensor y = CrossScanOp.crossMerge(xs.mul(xs), 5, 7);
            y.sum().backward();
            return new Tensor[] {xs, y, x.grad()};
        });
        m.put("conv2d", () -> {
            SplittableRandom r = new SplittableRandom(6);
            Tensor x = rand(r, -1, 1, 2, 12, 19, 17).requiresGrad(true);
            Tensor w = rand(r, -1, 1, 5, 12, 3, 3).requiresGrad(true), b = rand(r, -1, 1, 5).requiresGrad(true);
            Tensor wd = rand(r, -1, 1, 12, 1, 3, 3).requiresGrad(true), bd = rand(r, -1, 1, 12).requiresGrad(true);
            Tensor yd = Conv2dOp.apply(x, wd, bd, 1, 1, 12);
            Tensor y = Conv2dOp.apply(yd, w, b, 2, 1, 1);
            y.backward(rand(r, -1, 1, y.shape()));
            return new Tensor[] {yd, y, x.grad(), w.grad(), b.grad(), wd.grad(), bd.grad()};
        });
        m.put("poolAndResize", () -> {
            SplittableRandom r = new SplittableRandom(7);
            Tensor x = rand(r, -1, 1, 2, 17, 9, 11).requiresGrad(true);
            Tensor a = Pooling.adaptiveAvgPool1x1(x), mx = Pooling.adaptiveMaxPool1x1(x), ap = Pooling.avgPool2d(x, 2, 2, 2, 2);
            Tensor up = Interpolate.bilinearScale(x, 2, 2), rs = Interpolate.bilinear(x, 13, 5);
            a.sum().add(mx.sum()).add(ap.square().sum()).add(up.square().sum()).add(rs.square().sum()).backward();
            return new Tensor[] {a, mx, ap, up, rs, x.grad()};
        });
        m.put("linearAndNorms", () -> {
            SplittableRandom r = new SplittableRandom(8);
            Tensor x = rand(r, -1, 1, 2, 33, 96).requiresGrad(true);
            Tensor w = rand(r, -0.2, 0.2, 67, 96).requiresGrad(true), b = rand(r, -1, 1, 67).requiresGrad(true);
            Tensor lw = rand(r, 0.5, 1.5, 67).requiresGrad(true), lb = rand(r, -1, 1, 67).requiresGrad(true);
            Tensor h = Norms.layerNorm(Linear.linear(x, w, b), new int[] {67}, lw, lb, 1e-5);
            Tensor gram = Linear.matmul(h.transpose(1, 2), h);               // (2, 67, 67)
            Tensor img = gram.reshape(2, 1, 67, 67).expand(2, 3, 67, 67).contiguous();
            Tensor bw = rand(r, 0.5, 1.5, 3).requiresGrad(true), bb = rand(r, -1, 1, 3).requiresGrad(true);
            Tensor rm = Tensor.zeros(jcipa.tensor.DType.F32, 3), rv = Tensor.ones(jcipa.tensor.DType.F32, 3);
            Tensor bn = Norms.batchNorm2d(img, bw, bb, rm, rv, true, 0.1, 1e-5);
            bn.backward(rand(r, -1, 1, bn.shape()));
            return new Tensor[] {h, gram, bn, rm, rv, x.grad(), w.grad(), b.grad(), lw.grad(), lb.grad(), bw.grad(), bb.grad()};
        });
        m.put("bce", () -> {
            SplittableRandom r = new SplittableRandom(5);
            Tensor x = rand(r, -5, 5, 2, 1, 17, 17).requiresGrad(true);
            Tensor t = rand(r, 0, 1, 2, 1, 17, 17);
            Tensor loss = Losses.bceWithLogits(x, t);
            loss.backward();
            return new Tensor[] {loss, x.grad()};
        });
        return m;
    }

    static Tensor rand(SplittableRandom r, double lo, double hi, int... shape) {
        float[] a = new float[jcipa.tensor.Shape.numel(shape)];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(lo, hi);
        return Tensor.of(a, shape);
    }

    /** sha256 over the float bits of the tensors, in order. */
    public static String hash(Tensor... ts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Tensor t : ts) {
                float[] f = t.floats();
                ByteBuffer bb = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(f);
                md.update(bb);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        System.out.println("# " + Simd.describe() + ", threads " + Parallel.threads());
        for (var e : cases().entrySet()) System.out.println(e.getKey() + " " + hash(e.getValue().get()));
    }
}
