package jcipa.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.nn.Trace;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * The order in which a CIPA forward pass finishes its module calls ({@code <path>#<k>}): a
 * module finishes after its children, so the earliest key whose output differs is the innermost,
 * earliest place two runs part. The order depends only on the module tree (the depths), not on the
 * width, image size, batch or weights, so it is traced once on a narrow 128×128 model of the same
 * depths. (Files need not list captures in forward order: safetensors' Python writer sorts names.)
 */
final class ForwardOrder {
    private ForwardOrder() {}

    /** The forward order of the CIPA model that a file's {@code meta} describes, if it describes one. */
    static Optional<List<String>> of(Map<String, String> metadata) {
        String m = metadata.get("meta");
        if (m == null) return Optional.empty();
        try {
            JsonNode meta = ModelGolden.JSON.readTree(m);
            if (!meta.has("depths")) return Optional.empty();
            int[] depths = ModelGolden.ints(meta.path("depths"), null);
            int[] dec = ModelGolden.ints(meta.path("decoder_depths"), new int[] {4, 4, 4, 4});
            return Optional.of(traced(depths, dec));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Module calls in the order a forward pass completes them. */
    static List<String> traced(int[] depths, int[] decoderDepths) {
        CipaConfig narrow = new CipaConfig("order", 32, depths, decoderDepths, 128, 0.0);
        Cipa model = new Cipa(narrow, DType.F32);
        model.eval();
        Set<String> order = new LinkedHashSet<>();
        Tensor x = Inputs.fromU8(new byte[128 * 128], 1, 128, 128);
        try (Autograd.Scope ng = Autograd.noGrad(); var tr = Trace.start(model, (path, call, in, out) -> order.add(path + "#" + call))) {
            model.forward(x, x);
        }
        return new ArrayList<>(order);
    }
}
