package jcipa.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.nn.GeneratedWeights;
import jcipa.nn.LoadReport;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.nn.StoredTensor;
import jcipa.nn.Trace;
import jcipa.nn.WeightFiles;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;

/**
 * Checks golden files of whole CIPA models: builds the model the metadata describes (dims, depths,
 * decoder depths, image size), loads its weights (the sibling checkpoint the metadata names, or
 * the generated-weights scheme), runs {@code logits = model(ct, pet)} and compares the logits (with
 * the fp64 twin and the GPU output), the loss, every module capture {@code act/} (each module fed
 * its own golden inputs, so a failure names the first wrong module), and the sampled and summed
 * activations {@code sample/act/}, {@code stats/act/} of our own forward pass.
 */
public final class ModelGolden {
    private ModelGolden() {}

    /** Module outputs: relative to the golden tensor's largest magnitude. */
    public static final double TOL_MODULE = 1e-4;
    /** Logits: absolute, against the fp64 twin. */
    public static final double TOL_LOGITS_ABS = 1e-4;
    /** Loss: relative. */
    public static final double TOL_LOSS = 1e-6;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern WEIGHT_FILE = Pattern.compile("([\\w.+-]+\\.(?:pth|pt|safetensors))");

    public static boolean recognises(SafeTensors st) {
        return st.has("input/ct_u8") && st.has("input/pet_u8") && st.metadata().containsKey("meta");
    }

    public static void check(Path file, SafeTensors st, Report report) throws IOException {
        check(file, st, report, false);
    }

    /** With {@code forwardOnly}, only the forward checks (logits, loss, activations): no gradients, no training step. */
    public static void check(Path file, SafeTensors st, Report report, boolean forwardOnly) throws IOException {
        JsonNode meta = JSON.readTree(st.metadata().get("meta"));
        String caseName = meta.path("case").asText(file.getFileName().toString());
        CipaConfig cfg = config(meta, caseName);
        Cipa model = new Cipa(cfg, DType.F32);
        model.eval();
        Map<String, StoredTensor> stored = weights(file, meta, model);
        LoadReport load = StateDictLoader.load(model, stored, false);
        if (!load.clean()) {
            report.add(new Check(caseName, "weights", "-", null, null, Double.NaN, false, Check.Status.FAIL, load.toString().replace('\n', ' ')));
            return;
        }
        int[] s = st.shapeInt("input/ct_u8");
        Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]);
        Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]);

        // our forward, keeping the activations the file has samples or sums of
        Set<String> wanted = new LinkedHashSet<>();
        for (String n : st.names()) {
            if (n.startsWith("sample/act/")) wanted.add(n.substring("sample/".length()));
            if (n.startsWith("stats/act/")) wanted.add(n.substring("stats/".length()));
        }
        Map<String, Tensor> ours = new HashMap<>();
        Tensor logits;
        try (Autograd.Scope ng = Autograd.noGrad(); var tr = Trace.start(model, (path, call, in, out) -> {
            for (int i = 0; i < in.size(); i++) keep(wanted, ours, "act/" + path + "#" + call + "/in" + i, in.get(i));
            for (int i = 0; i < out.size(); i++) keep(wanted, ours, "act/" + path + "#" + call + "/out" + i, out.get(i));
        })) {
            logits = model.forward(ct, pet);
        }
        checkLogits(st, report, caseName, logits);
        checkLoss(st, report, caseName, logits);
        checkCaptures(st, report, model);
        checkSampled(st, report, ours);
        if (forwardOnly) {
            report.line("forward only: gradients and the training step not checked (cipa verify checks them)");
        } else if (st.has("input/mask_u8")) {
            int[] ms = st.shapeInt("input/mask_u8");
            Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), ms[0], ms[1], ms[2]);
            if (GradientGolden.recognises(st))
                GradientGolden.check(st, report, model, ct, pet, target, caseName);      // eval-mode gradients of the loss
            if (st.has("train/loss") || st.has("train/logits")) {                        // one training step on a fresh copy
                Cipa fresh = new Cipa(cfg, DType.F32);
                StateDictLoader.load(fresh, stored, false);
                TrainStepGolden.check(st, report, fresh, ct, pet, target, caseName);
            }
        } else {
            for (String n : st.names())
                if (n.startsWith("grad") || n.startsWith("sample/grad") || n.startsWith("stats/grad") || n.startsWith("train/"))
                    { report.add(Check.notChecked(caseName, "gradients and training step", "the file has no input/mask_u8 for the loss")); break; }
        }
        report.line("sha256 " + caseName + " " + sha256(logits));
    }

    static CipaConfig config(JsonNode meta, String caseName) {
        int dims = meta.path("dims").asInt(96);
        int[] depths = ints(meta.path("depths"), new int[] {2, 2, 9, 2});
        int[] dec = ints(meta.path("decoder_depths"), new int[] {4, 4, 4, 4});
        int size = meta.path("image_size").asInt(512);
        return new CipaConfig(caseName, dims, depths, dec, size, 0.0);
    }

    static int[] ints(JsonNode n, int[] dflt) {
        if (!n.isArray()) return dflt;
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).asInt();
        return a;
    }

    /** Stored weights (a sibling file named in meta.weights) or generated ones. */
    static Map<String, StoredTensor> weights(Path file, JsonNode meta, Module model) throws IOException {
        JsonNode w = meta.path("weights");
        if (w.isObject()) {
            String scheme = w.path("scheme").asText();
            if (!GeneratedWeights.SCHEME.equals(scheme)) throw new IOException("unknown weights scheme '" + scheme + "'");
            String salt = w.path("salt").asText();
            JsonNode tensors = w.path("tensors");
            List<GeneratedWeights.Spec> specs = new ArrayList<>();
            for (Map.Entry<String, StateValue> e : model.stateDict().entrySet()) {
                String dt = e.getValue().dtypeName();
                JsonNode bs = tensors.path(e.getKey());
                if (dt.startsWith("int")) specs.add(new GeneratedWeights.Spec(e.getKey(), e.getValue().shape(), dt, 0, 0));
                else if (bs.isArray()) specs.add(new GeneratedWeights.Spec(e.getKey(), e.getValue().shape(), dt, bs.get(0).asDouble(), bs.get(1).asDouble()));
                // a float tensor without [base, scale] is left out and reported as missing
            }
            return GeneratedWeights.generate(salt, specs);
        }
        Matcher m = WEIGHT_FILE.matcher(w.asText(""));
        if (!m.find()) throw new IOException("meta.weights names no weight file and no generated scheme: '" + w.asText("") + "'");
        Path sibling = file.toAbsolutePath().getParent().resolve(m.group(1));
        return WeightFiles.read(sibling);
    }

    private static void keep(Set<String> wanted, Map<String, Tensor> store, String name, Tensor t) {
        if (wanted.contains(name)) store.put(name, t.detach());
    }

    static void checkLogits(SafeTensors st, Report report, String c, Tensor logits) {
        double[] o = logits.toDoubleArray();
        Comparison gpuVsExact = null;
        if (st.has("out64/logits")) {
            double[] exact = st.asDoubles("out64/logits");
            if (st.has("out/logits")) gpuVsExact = Comparison.of(st.asDoubles("out/logits"), exact);
            report.add(Check.of(c, "logits", "fp64", Comparison.of(o, exact), gpuVsExact, TOL_LOGITS_ABS, true));
        }
        if (st.has("out/logits"))
            report.add(Check.of(c, "logits", "gpu", Comparison.of(o, st.asDoubles("out/logits")), null, TOL_MODULE, false));
    }

    static void checkLoss(SafeTensors st, Report report, String c, Tensor logits) {
        if (!st.has("out/loss") || !st.has("input/mask_u8")) return;
        int[] s = st.shapeInt("input/mask_u8");
        Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]);
        Tensor loss = Autograd.noGrad(() -> Losses.diceBce(logits, target));
        double[] ref = st.has("out64/loss") ? st.asDoubles("out64/loss") : st.asDoubles("out/loss");
        report.add(Check.of(c, "loss", st.has("out64/loss") ? "fp64" : "gpu", Comparison.of(new double[] {loss.item()}, new double[] {ref[0]}),
                null, TOL_LOSS, false));
    }

    /** Every act/ capture: the module at that path fed its golden inputs. */
    static void checkCaptures(SafeTensors st, Report report, Cipa model) {
        Map<String, Module> byPath = new LinkedHashMap<>();
        for (var e : model.namedModules()) byPath.put(e.getKey(), e.getValue());
        Map<String, List<String>> calls = new LinkedHashMap<>();   // "path#k" -> names
        for (String n : st.names()) {
            if (!n.startsWith("act/")) continue;
            String key = n.substring(4, n.lastIndexOf('/'));
            calls.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
        for (var e : calls.entrySet()) {
            String key = e.getKey(), path = key.substring(0, key.indexOf('#'));
            Module m = byPath.get(path);
            if (!(m instanceof Replayable r)) {
                report.add(Check.notChecked(path, key, m == null ? "no module at this path" : "module cannot be replayed"));
                continue;
            }
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; st.has("act/" + key + "/in" + i); i++) in.add(tensor(st, "act/" + key + "/in" + i));
            List<Tensor> out;
            try {
                out = Autograd.noGrad(() -> r.replay(in));
            } catch (RuntimeException ex) {
                report.add(new Check(path, key, "gpu", null, null, Double.NaN, false, Check.Status.FAIL, ex.getMessage()));
                continue;
            }
            for (int i = 0; st.has("act/" + key + "/out" + i); i++) {
                double[] ref = st.asDoubles("act/" + key + "/out" + i);
                double[] o = i < out.size() ? out.get(i).toDoubleArray() : new double[0];
                if (o.length != ref.length) {
                    report.add(new Check(path, key + "/out" + i, "gpu", null, null, Double.NaN, false, Check.Status.FAIL,
                            "our output has " + o.length + " values, the capture " + ref.length));
                    continue;
                }
                report.add(Check.of(path, key.substring(key.indexOf('#')) + "/out" + i, "gpu", Comparison.of(o, ref), null, TOL_MODULE, false));
            }
        }
    }

    /** sample/act and stats/act against our own forward's activations. */
    static void checkSampled(SafeTensors st, Report report, Map<String, Tensor> ours) {
        for (String n : st.names()) {
            boolean sample = n.startsWith("sample/act/"), stats = n.startsWith("stats/act/");
            if (!sample && !stats) continue;
            String act = n.substring(n.indexOf('/') + 1);
            String path = act.substring(4, act.indexOf('#'));
            Tensor t = ours.get(act);
            if (t == null) {
                report.add(new Check(path, n, "gpu", null, null, Double.NaN, false, Check.Status.FAIL, "our forward pass produced no " + act));
                continue;
            }
            double[] x = t.toDoubleArray();
            double[] ref = st.asDoubles(n);
            if (sample) {
                int k = ref.length;
                int step = Math.max(1, x.length / Math.max(k, 1));
                double[] mine = new double[k];
                for (int i = 0; i < k && (long) i * step < x.length; i++) mine[i] = x[i * step];
                report.add(Check.of(path, "sample " + act.substring(act.indexOf('#')), "gpu", Comparison.of(mine, ref), null, TOL_MODULE, false));
            } else {
                double sum = 0, abs = 0, sq = 0;
                for (double v : x) { sum += v; abs += Math.abs(v); sq += v * v; }
                // Σx is compared relative to Σ|x| (it may cancel); Σ|x| and Σx² relative to themselves
                double err = Math.max(Math.abs(sum - ref[0]) / Math.max(ref[1], 1e-300),
                        Math.max(Math.abs(abs - ref[1]) / Math.max(ref[1], 1e-300), Math.abs(sq - ref[2]) / Math.max(ref[2], 1e-300)));
                report.add(Check.of(path, "stats " + act.substring(act.indexOf('#')), "gpu", new Comparison(err, 1.0), null, TOL_MODULE, false));
            }
        }
    }

    static Tensor tensor(SafeTensors st, String name) {
        return Tensor.of(st.floats(name), st.shapeInt(name));
    }

    /** sha256 of the logits' float32 bytes, little-endian, row-major. */
    public static String sha256(Tensor logits) {
        float[] f = logits.floats();
        ByteBuffer bb = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(f);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bb.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
