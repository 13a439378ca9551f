package jcipa.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcipa.nn.Module;

/**
 * Official state-dict listings ({@code [name, shape, dtype]} triples): the mini model's
 * ({@code meta.state_dict} of golden/cipa-mini.safetensors) and the sigma_* models' of
 * golden/architectures.json, to compare a module's own state dict with.
 */
final class OfficialListing {
    private OfficialListing() {}

    record Entry(String name, List<Integer> shape) {
        @Override public String toString() { return name + " " + shape; }
    }

    private static final Pattern TRIPLE = Pattern.compile("\\[\\s*\"([^\"]+)\"\\s*,\\s*\\[([0-9,\\s]*)\\]\\s*,\\s*\"[a-z0-9]+\"\\s*\\]");

    static List<Entry> parse(String json) {
        List<Entry> out = new ArrayList<>();
        Matcher m = TRIPLE.matcher(json);
        while (m.find()) {
            List<Integer> shape = new ArrayList<>();
            for (String d : m.group(2).split(",")) if (!d.isBlank()) shape.add(Integer.parseInt(d.trim()));
            out.add(new Entry(m.group(1), shape));
        }
        return out;
    }

    static List<Entry> mini() {
        String meta = MiniGolden.golden().metadata().get("meta");
        int at = meta.indexOf("\"state_dict\"");
        return parse(meta.substring(at, meta.indexOf("]]", at) + 2));
    }

    /** The listing of "sigma_tiny", "sigma_small" or "sigma_base". */
    static List<Entry> architecture(String model) {
        try {
            String json = Files.readString(MiniGolden.goldenDir().resolve("architectures.json"));
            int at = json.indexOf("\"" + model + "\"");
            if (at < 0) throw new IllegalArgumentException("no " + model + " in architectures.json");
            at = json.indexOf("\"state_dict\"", at);
            return parse(json.substring(at, json.indexOf("]]", at) + 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries under {@code prefix.}, with the prefix removed, in order. */
    static List<Entry> under(List<Entry> listing, String prefix) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : listing) if (e.name.startsWith(prefix + ".")) out.add(new Entry(e.name.substring(prefix.length() + 1), e.shape));
        return out;
    }

    /** A module's state dict as a listing. */
    static List<Entry> of(Module m) {
        List<Entry> out = new ArrayList<>();
        m.stateDict().forEach((n, v) -> out.add(new Entry(n, Arrays.stream(v.shape()).boxed().toList())));
        return out;
    }
}
