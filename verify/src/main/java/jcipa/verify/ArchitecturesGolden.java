package jcipa.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;

/**
 * Checks {@code architectures.json}: for each configuration it lists (sigma_tiny, sigma_small,
 * sigma_base at 512×512), our model's state dict must have the same names, shapes and dtypes in
 * the same order, and the same parameter count.
 */
public final class ArchitecturesGolden {
    private ArchitecturesGolden() {}

    public static void check(Path file, Report report) throws IOException {
        JsonNode root = ModelGolden.JSON.readTree(Files.readAllBytes(file));
        var it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            int size = e.getValue().path("image_size").asInt(512);
            CipaConfig cfg;
            try {
                cfg = CipaConfig.named(name, size);
            } catch (IllegalArgumentException ex) {
                report.add(new Check(name, "configuration", "-", null, null, Double.NaN, false, Check.Status.FAIL, ex.getMessage()));
                continue;
            }
            Cipa model = new Cipa(cfg, DType.F32);
            List<String> ours = new ArrayList<>(), theirs = new ArrayList<>();
            for (Map.Entry<String, StateValue> s : model.stateDict().entrySet())
                ours.add(s.getKey() + " " + java.util.Arrays.toString(s.getValue().shape()) + " " + s.getValue().dtypeName());
            for (JsonNode row : e.getValue().path("state_dict")) {
                List<Integer> shape = new ArrayList<>();
                row.get(1).forEach(n -> shape.add(n.asInt()));
                theirs.add(row.get(0).asText() + " " + shape.toString() + " " + row.get(2).asText());
            }
            String firstDiff = "";
            for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
                String a = i < ours.size() ? ours.get(i) : "(none)", b = i < theirs.size() ? theirs.get(i) : "(none)";
                if (!a.equals(b)) { firstDiff = "entry " + i + ": ours " + a + ", official " + b; break; }
            }
            report.add(firstDiff.isEmpty()
                    ? new Check(name, "state dict (" + ours.size() + " entries)", "json", new Comparison(0, 1), null, 0, true, Check.Status.PASS, "")
                    : new Check(name, "state dict", "json", null, null, Double.NaN, false, Check.Status.FAIL, firstDiff));
            long params = model.parameterCount();
            long want = e.getValue().path("param_count").asLong(-1);
            report.add(params == want
                    ? new Check(name, "parameters " + params, "json", new Comparison(0, 1), null, 0, true, Check.Status.PASS, "")
                    : new Check(name, "parameters", "json", null, null, Double.NaN, false, Check.Status.FAIL, "ours " + params + ", official " + want));
        }
    }
}
