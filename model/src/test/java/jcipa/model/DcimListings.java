package jcipa.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jcipa.nn.Module;
import jcipa.nn.StateValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Official state-dict listings ({@code [name, shape, dtype]} rows) for the DCIM module tests. */
final class DcimListings {
    private DcimListings() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mini model's listing ({@code meta.state_dict} of cipa-mini.safetensors). */
    static JsonNode mini() {
        try {
            return JSON.readTree(MiniGolden.golden().metadata().get("meta")).get("state_dict");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The listing of {@code sigma_tiny}, {@code sigma_small} or {@code sigma_base} from architectures.json. */
    static JsonNode architecture(String name) {
        try {
            return JSON.readTree(MiniGolden.goldenDir().resolve("architectures.json").toFile()).get(name).get("state_dict");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows under {@code prefix.}, prefix removed, as "name shape dtype" lines in listing order. */
    static List<String> rowsUnder(JsonNode listing, String prefix) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : listing) {
            String name = row.get(0).asText();
            if (!name.startsWith(prefix + ".")) continue;
            List<Integer> shape = new ArrayList<>();
            row.get(1).forEach(d -> shape.add(d.asInt()));
            out.add(name.substring(prefix.length() + 1) + " " + shape + " " + row.get(2).asText());
        }
        return out;
    }

    /** The module's own state dict as "name shape dtype" lines. */
    static List<String> rowsOf(Module m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, StateValue> e : m.stateDict().entrySet()) {
            List<Integer> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add(d);
            out.add(e.getKey() + " " + shape + " " + e.getValue().dtypeName());
        }
        return out;
    }

    /** Asserts that the module lists exactly the official rows under prefix, in order. */
    static void assertSameListing(JsonNode listing, String prefix, Module m) {
        List<String> official = rowsUnder(listing, prefix);
        assertFalse(official.isEmpty(), "no official rows under " + prefix);
        assertEquals(String.join("\n", official), String.join("\n", rowsOf(m)), prefix);
    }
}
