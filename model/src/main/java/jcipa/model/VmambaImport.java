package jcipa.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.nn.StoredTensor;
import jcipa.nn.WeightFiles;

/**
 * Loads a VMamba ImageNet checkpoint (e.g. {@code vssmtiny_dp01_ckpt_epoch_292.pth}, which the
 * official CIPA backbone loads at construction) into CIPA's encoder, renaming keys as the official
 * {@code VSSM._load_from_state_dict} does before PyTorch's non-strict load.
 *
 * <p>The renames, each a plain string-prefix substitution (no component boundary is required):
 * <pre>
 *   patch_embed.proj…                     → patch_embed.0…
 *   patch_embed.norm…                     → patch_embed.2…
 *   layers.i.blocks.j.ln_1…               → layers.i.blocks.j.norm…    (i, j in 0..99 only)
 *   layers.i.blocks.j.self_attention…     → layers.i.blocks.j.op…      (i, j in 0..99 only)
 *   norm…                                 → classifier.norm…
 *   head…                                 → classifier.head…
 * </pre>
 * Everything else keeps its name ({@code layers.i.downsample.*} and the SS2D tensors inside
 * {@code op} already agree). The backbone has deleted its {@code classifier}, so the classifier
 * tensors are left out (PyTorch reports them as unexpected); the {@code outnorm{i}} LayerNorms
 * exist only in the backbone, are never in an ImageNet file, and keep their initial values. A
 * renamed key replaces an entry that already had the target name.
 */
public final class VmambaImport {
    private VmambaImport() {}

    /** Block indices are written in decimal without leading zeros, below 100 (the official loop bound). */
    private static final Pattern BLOCK_PART =
            Pattern.compile("(layers\\.(?:0|[1-9][0-9]?)\\.blocks\\.(?:0|[1-9][0-9]?)\\.)(ln_1|self_attention)");

    /** The encoder name (relative to {@code backbone.vssm}) the official loader gives a checkpoint key. */
    public static String encoderName(String fileName) {
        if (fileName.startsWith("patch_embed.proj")) return "patch_embed.0" + fileName.substring("patch_embed.proj".length());
        if (fileName.startsWith("patch_embed.norm")) return "patch_embed.2" + fileName.substring("patch_embed.norm".length());
        Matcher m = BLOCK_PART.matcher(fileName);
        if (m.lookingAt()) return m.group(1) + (m.group(2).equals("ln_1") ? "norm" : "op") + fileName.substring(m.end());
        if (fileName.startsWith("norm") || fileName.startsWith("head")) return "classifier." + fileName;
        return fileName;
    }

    /** True for encoder names an ImageNet checkpoint cannot hold: the backbone's own {@code outnorm{i}}. */
    public static boolean absentFromImageNet(String encoderName) {
        return encoderName.matches("outnorm[0-9]+\\..*");
    }

    /**
     * The checkpoint's tensors under encoder names (relative to {@code backbone.vssm}), in file
     * order, without the classifier. Keys the encoder does not know are kept (a load reports them).
     */
    public static Map<String, StoredTensor> toEncoderStateDict(Map<String, StoredTensor> imagenet) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        plan(imagenet).sources.forEach((enc, file) -> out.put(enc, imagenet.get(file)));
        return out;
    }

    /** Reads a checkpoint (its {@code "model"} dict, see {@link WeightFiles}) and loads it: {@link #loadInto(VssmEncoder, Map)}. */
    public static VmambaImportReport loadInto(VssmEncoder encoder, Path checkpoint) throws IOException {
        return loadInto(encoder, WeightFiles.read(checkpoint));
    }

    /**
     * Copies every renamed entry whose name and shape match into {@code encoder} and reports the
     * rest by name; like the official non-strict load, entries that do not fit are skipped and
     * everything else is still loaded.
     */
    public static VmambaImportReport loadInto(VssmEncoder encoder, Map<String, StoredTensor> imagenet) {
        Plan plan = plan(imagenet);
        Map<String, StateValue> state = encoder.stateDict();
        Map<String, StoredTensor> fitting = new LinkedHashMap<>();
        Map<String, String> loaded = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(plan.shadowed), misshaped = new ArrayList<>();
        for (var e : state.entrySet()) {
            String enc = e.getKey(), file = plan.sources.get(enc);
            if (file == null) { missing.add(enc); continue; }
            StoredTensor t = imagenet.get(file);
            String problem = mismatch(e.getValue(), t);
            if (problem != null) { misshaped.add(file + " -> " + enc + ": " + problem); continue; }
            fitting.put(enc, t);
            loaded.put(enc, file);
        }
        plan.sources.forEach((enc, file) -> { if (!state.containsKey(enc)) unexpected.add(file); });
        StateDictLoader.load(encoder, fitting, false);
        return new VmambaImportReport(loaded, missing, plan.dropped, unexpected, misshaped);
    }

    /** Null if the stored tensor fits the entry, else why not. */
    private static String mismatch(StateValue want, StoredTensor t) {
        if (!Arrays.equals(want.shape(), t.shape())) return "file " + Arrays.toString(t.shape()) + " vs model " + Arrays.toString(want.shape());
        if ((want instanceof StateValue.Int64) != (t.longs() != null)) return "file dtype " + t.dtype() + " vs model " + want.dtypeName();
        return null;
    }

    /** Encoder name → file name for everything but the classifier; the classifier's and the shadowed file names. */
    private record Plan(Map<String, String> sources, List<String> dropped, List<String> shadowed) {}

    private static Plan plan(Map<String, StoredTensor> imagenet) {
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>(), shadowed = new ArrayList<>();
        for (String file : imagenet.keySet()) {
            String enc = encoderName(file);
            if (enc.equals("classifier") || enc.startsWith("classifier.")) { dropped.add(file); continue; }
            String earlier = sources.get(enc);
            if (earlier == null) { sources.put(enc, file); continue; }
            // Two keys share a target only when one was renamed onto the other's verbatim name: the renamed one wins.
            boolean renamed = !enc.equals(file);
            shadowed.add(renamed ? earlier : file);
            if (renamed) sources.put(enc, file);
        }
        return new Plan(sources, dropped, shadowed);
    }
}
