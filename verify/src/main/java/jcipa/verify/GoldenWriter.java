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
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;

/**
 * Writes a golden file of the shared format from this implementation: generated weights
 * ({@code splitmix64-v1}, so anyone can rebuild them from the README's scheme), seeded inputs,
 * full module captures {@code act/}, logits in float32 and (from the float64 reference path)
 * {@code out64/logits}, and the loss. A file written here must pass {@link Verifier}.
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

    /** Writes the case; returns the sha256 line value of our float32 logits. */
    public static String write(CipaConfig cfg, int batch, long seed, Path out, boolean overwrite) throws IOException {
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
        Tensor ctIn = Inputs.fromU8(ct, batch, s, s), petIn = Inputs.fromU8(pet, batch, s, s);
        Map<String, Tensor> acts = new LinkedHashMap<>();
        Tensor logits;
        try (Autograd.Scope ng = Autograd.noGrad(); var tr = Trace.start(m32, (path, call, in, outs) -> {
            for (int i = 0; i < in.size(); i++) acts.put("act/" + path + "#" + call + "/in" + i, in.get(i).contiguous());
            for (int i = 0; i < outs.size(); i++) acts.put("act/" + path + "#" + call + "/out" + i, outs.get(i).contiguous());
        })) {
            logits = m32.forward(ctIn, petIn);
        }
        Tensor logits64 = Autograd.noGrad(() -> m64.forward(ctIn.to(DType.F64), petIn.to(DType.F64)));
        Tensor target = Inputs.maskFromU8(mask, batch, s, s);
        double loss = Autograd.noGrad(() -> Losses.diceBce(logits, target)).item();
        double loss64 = Autograd.noGrad(() -> Losses.diceBce(logits64, target.to(DType.F64))).item();

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
        ObjectNode w = meta.putObject("weights");
        w.put("scheme", GeneratedWeights.SCHEME);
        w.put("salt", salt);
        w.set("tensors", tensors);

        SafeTensors.Writer wr = SafeTensors.writer().metadata("meta", ModelGolden.JSON.writeValueAsString(meta));
        long[] img = {batch, s, s};
        wr.put("input/ct_u8", ct, img).put("input/pet_u8", pet, img).put("input/mask_u8", mask, img);
        wr.put("out/logits", logits.floats(), longs(logits.shape()));
        wr.put("out64/logits", logits64.doubles(), longs(logits64.shape()));
        wr.put("out/loss", new float[] {(float) loss}).put("out64/loss", new double[] {loss64});
        for (Map.Entry<String, Tensor> e : acts.entrySet()) wr.put(e.getKey(), e.getValue().floats(), longs(e.getValue().shape()));
        wr.write(out, overwrite);
        return ModelGolden.sha256(logits);
    }

    static long[] longs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

}
