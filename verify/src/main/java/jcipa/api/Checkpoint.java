package jcipa.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.train.AdamW;
import jcipa.model.train.ParamGroup;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.nn.StoredTensor;
import jcipa.nn.WeightFiles;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;

/**
 * A training run's state on disk, under its output folder:
 * <pre>
 *   checkpoint.json                      step, epoch, options, RNG scheme, history, and the two file names below
 *   checkpoint/weights-STEP.safetensors  the state dict: parameters and buffers (BatchNorm running statistics, counters)
 *   checkpoint/optimizer-STEP.safetensors AdamW's exp_avg / exp_avg_sq per parameter name, and its step count
 *   weights.safetensors                  the latest weights again, for cipa segment / eval
 * </pre>
 * Every file is written to a temporary file, forced to disk and renamed into place; the JSON is
 * written last and is the commit point: a run killed at any moment leaves either the previous
 * checkpoint or the new one, never a mixture. Older weight/optimizer pairs are deleted after the commit.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String JSON = "checkpoint.json", WEIGHTS = "weights.safetensors", FOLDER = "checkpoint", FORMAT = "jcipa-train-checkpoint-1";
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** What {@link #read} gives back. */
    public record Saved(TrainOptions options, long step, Map<String, StoredTensor> weights, Map<String, StoredTensor> optimizer, TrainHistory history,
                        String trainSplitSha256) {}

    /** Writes the state of a run after {@code step} steps. */
    static void write(Path out, TrainOptions o, long step, int stepsPerEpoch, Cipa model, AdamW opt, TrainHistory history, String trainSplitSha256)
            throws IOException {
        Path dir = out.resolve(FOLDER);
        Files.createDirectories(dir);
        String tag = String.format(Locale.ROOT, "%09d", step);
        Path weights = dir.resolve("weights-" + tag + ".safetensors"), moments = dir.resolve("optimizer-" + tag + ".safetensors");
        SafeTensors.Writer w = stateDict(model);
        w.write(weights, true);
        optimizerState(model, opt).write(moments, true);

        ObjectNode j = MAPPER.createObjectNode();
        j.put("format", FORMAT);
        j.put("step", step);
        j.put("epoch", step / stepsPerEpoch);
        j.put("batch_in_epoch", step % stepsPerEpoch);
        j.put("steps_per_epoch", stepsPerEpoch);
        j.put("weights", out.relativize(weights).toString());
        j.put("optimizer", out.relativize(moments).toString());
        j.put("rng", "stateless: epoch order and augmentation from Loader(seed, epoch, position); drop path of step s from SplittableRandom(splitmix64(seed) ^ s)");
        ObjectNode sched = j.putObject("schedule");
        sched.put("kind", "cosine, no warm-up (train.py create_lr_scheduler)");
        sched.put("base_lr", o.lr());
        sched.put("total_steps", (long) stepsPerEpoch * o.epochs());
        sched.put("next_lr", opt.lr());
        j.put("train_split_sha256", trainSplitSha256);
        j.set("options", options(o));
        j.set("history", history(history));
        AtomicText.write(out.resolve(JSON), MAPPER.writeValueAsBytes(j));
        w.write(out.resolve(WEIGHTS), true);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList())
                if (!f.equals(weights) && !f.equals(moments) && f.getFileName().toString().matches("(weights|optimizer)-\\d+\\.safetensors")) Files.delete(f);
        }
    }

    /** The model's state dict as safetensors (float32 parameters and buffers, int64 counters). */
    public static SafeTensors.Writer stateDict(Cipa model) {
        SafeTensors.Writer w = SafeTensors.writer().metadata("format", "pt").metadata("config", model.config().toString());
        for (Map.Entry<String, StateValue> e : model.stateDict().entrySet()) {
            long[] shape = longs(e.getValue().shape());
            if (e.getValue() instanceof StateValue.Floats f) w.put(e.getKey(), f.tensor().contiguous().floats().clone(), shape);
            else if (e.getValue() instanceof StateValue.Int64 i) w.put(e.getKey(), i.values().clone(), shape);
        }
        return w;
    }

    private static SafeTensors.Writer optimizerState(Cipa model, AdamW opt) {
        SafeTensors.Writer w = SafeTensors.writer();
        for (ParamGroup g : opt.groups())
            for (var p : g.params()) {
                AdamW.State s = opt.state(p.getValue());
                if (s == null) continue;
                long[] shape = longs(p.getValue().shape());
                w.put(p.getKey() + ".exp_avg", s.expAvg().floats().clone(), shape);
                w.put(p.getKey() + ".exp_avg_sq", s.expAvgSq().floats().clone(), shape);
                w.put(p.getKey() + ".step", new long[] {s.step()});
            }
        return w;
    }

    /** Reads the checkpoint of the run in {@code out}; {@code data} (or null) replaces the recorded data folder. */
    public static Saved read(Path out, Path data) throws IOException {
        Path json = out.resolve(JSON);
        if (!Files.isRegularFile(json)) throw new NoSuchFileException(json.toString(), null, "no checkpoint to resume from");
        JsonNode j = MAPPER.readTree(json.toFile());
        if (!FORMAT.equals(j.path("format").asText())) throw new IOException(json + ": not a " + FORMAT + " file");
        TrainOptions o = options(j.get("options"), data);
        return new Saved(o, j.get("step").asLong(), WeightFiles.read(out.resolve(j.get("weights").asText())),
                WeightFiles.read(out.resolve(j.get("optimizer").asText())), history(j.get("history")), j.path("train_split_sha256").asText());
    }

    /** Puts the saved weights into {@code model} and the saved moments into {@code opt}. */
    static void restore(Saved s, Cipa model, AdamW opt) {
        StateDictLoader.load(model, s.weights(), true);
        for (ParamGroup g : opt.groups())
            for (var p : g.params()) {
                StoredTensor m = s.optimizer().get(p.getKey() + ".exp_avg");
                if (m == null) continue;
                opt.restoreState(p.getValue(), s.optimizer().get(p.getKey() + ".step").longs()[0], m.floats(),
                        s.optimizer().get(p.getKey() + ".exp_avg_sq").floats());
            }
    }

    private static ObjectNode options(TrainOptions o) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("data", o.data().toAbsolutePath().normalize().toString());
        CipaConfig c = o.config();
        n.put("name", c.name());
        n.put("dims", c.dims());
        ints(n.putArray("depths"), c.depths());
        ints(n.putArray("decoder_depths"), c.decoderDepths());
        n.put("image_size", c.imageSize());
        n.put("encoder_drop_path", c.encoderDropPath());
        n.put("batch_size", o.batchSize());
        n.put("epochs", o.epochs());
        n.put("lr", o.lr());
        n.put("seed", o.seed());
        n.put("param_groups", o.paramGroups());
        if (o.init() != null) n.put("init", o.init().toAbsolutePath().normalize().toString());
        n.put("augment", o.augment());
        n.put("checkpoint_every", o.checkpointEvery());
        if (o.evalSplit() != null) n.put("eval_split", o.evalSplit());
        n.put("eval_limit", o.evalLimit());
        return n;
    }

    private static TrainOptions options(JsonNode n, Path data) {
        CipaConfig c = new CipaConfig(n.get("name").asText(), n.get("dims").asInt(), ints(n.get("depths")), ints(n.get("decoder_depths")),
                n.get("image_size").asInt(), n.get("encoder_drop_path").asDouble());
        return new TrainOptions(data != null ? data : Path.of(n.get("data").asText()), c, n.get("batch_size").asInt(), n.get("epochs").asInt(),
                n.get("lr").asDouble(), n.get("seed").asLong(), n.get("param_groups").asText(), n.has("init") ? Path.of(n.get("init").asText()) : null,
                n.get("augment").asBoolean(), n.get("checkpoint_every").asInt(), n.has("eval_split") ? n.get("eval_split").asText() : null,
                n.get("eval_limit").asInt());
    }

    private static ObjectNode history(TrainHistory h) {
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode loss = n.putArray("step_loss"), lr = n.putArray("step_lr");
        h.stepLoss.forEach(loss::add);
        h.stepLr.forEach(lr::add);
        ArrayNode ep = n.putArray("epochs");
        for (TrainHistory.Epoch e : h.epochs) {
            ObjectNode x = ep.addObject();
            x.put("epoch", e.epoch());
            x.put("step", e.step());
            x.put("mean_loss", e.meanLoss());
            x.put("iou", e.iou());
            x.put("f1", e.f1());
            x.put("acc", e.acc());
            x.put("hd95", e.hd95());
        }
        return n;
    }

    private static TrainHistory history(JsonNode n) {
        TrainHistory h = new TrainHistory();
        n.get("step_loss").forEach(v -> h.stepLoss.add(v.asDouble()));
        n.get("step_lr").forEach(v -> h.stepLr.add(v.asDouble()));
        for (JsonNode x : n.get("epochs"))
            h.epochs.add(new TrainHistory.Epoch(x.get("epoch").asInt(), x.get("step").asLong(), x.get("mean_loss").asDouble(), x.get("iou").asDouble(),
                    x.get("f1").asDouble(), x.get("acc").asDouble(), x.get("hd95").asDouble()));
        return h;
    }

    private static void ints(ArrayNode a, int[] v) { for (int x : v) a.add(x); }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    private static long[] longs(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) l[i] = s[i];
        return l;
    }
}
