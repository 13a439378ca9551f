package jcipa.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.nn.GeneratedWeights;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.nn.StoredTensor;
import jcipa.nn.Trace;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Losses;

/**
 * Writes a golden file of the shared format from this implementation: generated weights
 * ({@code splitmix64-v1}, so anyone can rebuild them from the README's scheme), seeded inputs,
 * logits in float32 and (from the float64 reference path) {@code out64/logits}, the loss, and on
 * request the module captures {@code act/} and the loss's gradients. A file written here must
 * pass {@link Verifier}; as safetensors or as a NumPy {@code .npz} ({@link TensorBundle}).
 */
public final class GoldenWriter {
    private GoldenWriter() {}

    /** [base, scale] for a state-dict entry: unit norms, small biases, the SSM's usual ranges, fan-in scaled weights. */
    static double[] baseScale(String name, int[] shape) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        boolean norm = name.matches(".*(norm[^.]*|ln_\\d|outnorm\\d|\\.bn\\d*|inner_convs\\.\\d+|outer_convs\\.\\d+)\\.(weight|bias)$") && shape.length == 1;
        if (leaf.equals("A_logs")) return new double[] {1.4, 1.35};
        if (leaf.equals("Ds")) return new double[] {1.0, 0.1};
        if (leaf.equals("dt_projs_bias")) return new double[] {-4.6, 1.0};
        if (leaf.equals("running_var")) return new double[] {1.0, 0.2};
        if (leaf.equals("running_mean")) return new double[] {0.0, 0.1};
        if (leaf.startsWith("scale")) return new double[] {1.0, 0.1};
        if (norm && leaf.equals("weight")) return new double[] {1.0, 0.1};
        if (leaf.equals("bias") || shape.length <= 1) return new double[] {0.0, 0.02};
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
        if (leaf.equals("x_proj_weight") || leaf.equals("dt_projs_weight")) fanIn = shape[shape.length - 1];
        return new double[] {0.0, 1.0 / Math.sqrt(Math.max(1, fanIn))};
    }

    /**
     * What a golden file holds besides inputs, logits and loss.
     *
     * @param batch     images per input
     * @param seed      the inputs' seed (and the weights' salt, {@code <case>-<seed>})
     * @param captures  every module's inputs and outputs, {@code act/<path>#<k>/in<i>|out<i>}
     * @param grads     gradients of the loss in eval mode: {@code grad/param/<name>},
     *                  {@code grad/input/ct|pet}, and {@code grad64/...} from the float64 path
     * @param format    safetensors or npz
     * @param overwrite replace an existing file (else refuse before any work)
     */
    public record Options(int batch, long seed, boolean captures, boolean grads, TensorBundle.Format format, boolean overwrite) {
        public Options {
            if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
    }

    /** Writes the case with module captures as safetensors; returns the sha256 line value of our float32 logits. */
    public static String write(CipaConfig cfg, int batch, long seed, Path out, boolean overwrite) throws IOException {
        return write(cfg, new Options(batch, seed, true, false, TensorBundle.Format.SAFETENSORS, overwrite), out);
    }

    /**
     * Writes the case {@code cfg} as {@code o} says; returns the sha256 line value of our float32
     * logits. The same arguments give the same bytes. An existing file is refused before any work
     * unless {@code o.overwrite()}; the file appears whole or not at all.
     */
    public static String write(CipaConfig cfg, Options o, Path out) throws IOException {
        AtomicWrite.refuseExisting(out, o.overwrite());
        int batch = o.batch();
        long seed = o.seed();
        String salt = cfg.name() + "-" + seed;
        Cipa m32 = new Cipa(cfg, DType.F32);
        Cipa m64 = new Cipa(cfg, DType.F64);
        m32.eval();
        m64.eval();
        ObjectNode tensors = ModelGolden.JSON.createObjectNode();
        List<GeneratedWeights.Spec> specs = new ArrayList<>();
        for (Map.Entry<String, StateValue> e : m32.stateDict().entrySet()) {
            int[] shape = e.getValue().shape();
            String dt = e.getValue().dtypeName();
            double[] bs = dt.startsWith("int") ? new double[] {0, 0} : baseScale(e.getKey(), shape);
            if (!dt.startsWith("int")) tensors.putArray(e.getKey()).add(bs[0]).add(bs[1]);
            specs.add(new GeneratedWeights.Spec(e.getKey(), shape, dt, bs[0], bs[1]));
        }
        Map<String, StoredTensor> weights = GeneratedWeights.generate(salt, specs);
        StateDictLoader.load(m32, weights, true);
        StateDictLoader.load(m64, weights, true);

        int s = cfg.imageSize(), plane = s * s;
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] ct = new byte[batch * plane], pet = new byte[batch * plane], mask = new byte[batch * plane];
        for (int i = 0; i < ct.length; i++) {
            ct[i] = (byte) rnd.nextInt(256);
            pet[i] = (byte) rnd.nextInt(256);
            mask[i] = (byte) (rnd.nextInt(4) == 0 ? 255 : 0);
        }
        Tensor target = Inputs.maskFromU8(mask, batch, s, s);
        Map<String, Tensor> acts = new LinkedHashMap<>();
        Pass p32 = pass(m32, Inputs.fromU8(ct, batch, s, s), Inputs.fromU8(pet, batch, s, s), target, o.grads(), o.captures() ? acts : null);
        Pass p64 = pass(m64, Inputs.fromU8(ct, batch, s, s).to(DType.F64), Inputs.fromU8(pet, batch, s, s).to(DType.F64),
                target.to(DType.F64), o.grads(), null);

        ObjectNode meta = ModelGolden.JSON.createObjectNode();
        meta.put("case", cfg.name());
        meta.put("dims", cfg.dims());
        ArrayNode d = meta.putArray("depths");
        for (int v : cfg.depths()) d.add(v);
        ArrayNode dd = meta.putArray("decoder_depths");
        for (int v : cfg.decoderDepths()) dd.add(v);
        meta.put("image_size", s);
        meta.put("batch", batch);
        meta.put("seed", seed);
        meta.put("mode", "eval");
        meta.put("producer", "jcipa GoldenWriter (CPU, float32; out64 from the float64 reference path)");
        meta.put("captures", o.captures());
        meta.put("grads", o.grads());
        ObjectNode w = meta.putObject("weights");
        w.put("scheme", GeneratedWeights.SCHEME);
        w.put("salt", salt);
        w.set("tensors", tensors);

        TensorBundle b = new TensorBundle().metadata("meta", ModelGolden.JSON.writeValueAsString(meta));
        long[] img = {batch, s, s};
        b.put("input/ct_u8", ct, img).put("input/pet_u8", pet, img).put("input/mask_u8", mask, img);
        b.put("out/logits", p32.logits.floats(), longs(p32.logits.shape()));
        b.put("out64/logits", p64.logits.doubles(), longs(p64.logits.shape()));
        b.put("out/loss", new float[] {(float) p32.loss}).put("out64/loss", new double[] {p64.loss});
        if (o.grads()) {
            for (Map.Entry<String, Tensor> e : p32.grads.entrySet()) b.put("grad/" + e.getKey(), e.getValue().floats(), longs(e.getValue().shape()));
            for (Map.Entry<String, Tensor> e : p64.grads.entrySet()) b.put("grad64/" + e.getKey(), e.getValue().doubles(), longs(e.getValue().shape()));
        }
        for (Map.Entry<String, Tensor> e : acts.entrySet()) b.put(e.getKey(), e.getValue().floats(), longs(e.getValue().shape()));
        b.write(out, o.format(), o.overwrite());
        return ModelGolden.sha256(p32.logits);
    }

    /** One forward (and, with grads, backward) pass: logits, loss, and the gradients by file name. */
    private record Pass(Tensor logits, double loss, Map<String, Tensor> grads) {}

    /**
     * {@code logits = model(ct, pet)}, the loss, and with {@code grads} the loss's backward:
     * {@code param/<name>} for every parameter that gets a gradient (state-dict order), then
     * {@code input/ct}, {@code input/pet}. With {@code acts}, every module call is captured.
     */
    private static Pass pass(Cipa model, Tensor ct, Tensor pet, Tensor target, boolean grads, Map<String, Tensor> acts) {
        if (grads) {
            ct.requiresGrad(true);
            pet.requiresGrad(true);
        }
        Tensor logits, loss;
        try (Autograd.Scope ng = grads ? () -> {} : Autograd.noGrad(); var tr = acts == null ? (Autograd.Scope) () -> {} : Trace.start(model, (path, call, in, outs) -> {
            for (int i = 0; i < in.size(); i++) acts.put("act/" + path + "#" + call + "/in" + i, in.get(i).detach().contiguous());
            for (int i = 0; i < outs.size(); i++) acts.put("act/" + path + "#" + call + "/out" + i, outs.get(i).detach().contiguous());
        })) {
            logits = model.forward(ct, pet);
            loss = Losses.diceBce(logits, target);
        }
        Map<String, Tensor> g = new LinkedHashMap<>();
        if (grads) {
            loss.backward();
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet())
                if (e.getValue().grad() != null) g.put("param/" + e.getKey(), e.getValue().grad().contiguous());
            g.put("input/ct", ct.grad().contiguous());
            g.put("input/pet", pet.grad().contiguous());
        }
        return new Pass(logits.detach(), loss.item(), g);
    }

    static long[] longs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

}
