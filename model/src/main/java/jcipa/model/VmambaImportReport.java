package jcipa.model;

import java.util.List;
import java.util.Map;

/**
 * What loading a VMamba ImageNet checkpoint into a {@link VssmEncoder} did. Encoder names are
 * relative to {@code backbone.vssm}; file names are the checkpoint's own.
 *
 * @param loaded     encoder name → the file name it was read from, in encoder order
 * @param missing    encoder names the file did not supply (for an ImageNet file: the
 *                   {@code outnorm{i}} LayerNorms, which stay as initialised)
 * @param dropped    file names of the ImageNet classifier ({@code norm.*}, {@code head.*}, or
 *                   {@code classifier.*} as saved): the official backbone deletes its classifier, so
 *                   PyTorch lists these as unexpected keys and loads nothing from them
 * @param unexpected file names that map to no encoder entry, or that a renamed entry shadowed
 * @param misshaped  entries left unloaded because shape or kind differ, as
 *                   {@code "file name -> encoder name: file [..] vs model [..]"}
 */
public record VmambaImportReport(Map<String, String> loaded, List<String> missing, List<String> dropped,
                                 List<String> unexpected, List<String> misshaped) {

    public VmambaImportReport {
        loaded = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(loaded));
        missing = List.copyOf(missing);
        dropped = List.copyOf(dropped);
        unexpected = List.copyOf(unexpected);
        misshaped = List.copyOf(misshaped);
    }

    /**
     * True when the file filled every encoder entry an ImageNet checkpoint can hold: nothing
     * unexpected or mis-shaped, and nothing missing but the {@code outnorm{i}} norms.
     */
    public boolean complete() {
        return unexpected.isEmpty() && misshaped.isEmpty() && missing.stream().allMatch(VmambaImport::absentFromImageNet);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(loaded.size() + " loaded");
        section(sb, "missing", missing);
        section(sb, "dropped (ImageNet classifier)", dropped);
        section(sb, "unexpected", unexpected);
        section(sb, "mis-shaped", misshaped);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String what, List<String> names) {
        if (names.isEmpty()) return;
        sb.append("\n").append(names.size()).append(' ').append(what).append(": ");
        sb.append(names.size() <= 12 ? String.join(", ", names) : String.join(", ", names.subList(0, 12)) + ", ... (" + (names.size() - 12) + " more)");
    }
}
