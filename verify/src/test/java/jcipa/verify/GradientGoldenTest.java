package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.Inputs;
import jcipa.nn.LoadReport;
import jcipa.nn.StateDictLoader;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the training loss through the whole network against the golden files: every
 * gradient row of the mini file (full, sampled and summed; fp64 twins), and every sampled and
 * summed gradient of sigma_tiny at 512×512 (generated weights, GPU fp32 only).
 */
class GradientGoldenTest {

    record Run(Report report, int parameters, double seconds) {}

    /** Builds the model a golden file describes, loads its weights and checks its gradients. */
    static Run run(String name) throws IOException {
        Path file = ScanGoldenTest.golden(name);
        Report r = new Report(file.toString());
        try (SafeTensors st = SafeTensors.open(file)) {
            JsonNode meta = ModelGolden.JSON.readTree(st.metadata().get("meta"));
            String caseName = meta.path("case").asText(name);
            Cipa model = new Cipa(ModelGolden.config(meta, caseName), DType.F32);
            LoadReport load = StateDictLoader.load(model, ModelGolden.weights(file, meta, model), true);
            assertTrue(load.clean(), load.toString());
            int[] s = st.shapeInt("input/ct_u8");
            Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]);
            Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]);
            Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]);
            long t0 = System.nanoTime();
            double loss = GradientGolden.check(st, r, model, ct, pet, target, caseName);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s: forward + backward + comparison %.1f s, loss %.9f (GPU %.9f)%n",
                    caseName, seconds, loss, st.asDoubles("out/loss")[0]);
            return new Run(r, model.namedParameters().size(), seconds);
        }
    }

    /** (kind, gradient) pairs the file stores: one row each. */
    static Set<String> storedRows(String name) throws IOException {
        Set<String> rows = new HashSet<>();
        try (SafeTensors st = SafeTensors.open(ScanGoldenTest.golden(name))) {
            for (String n : st.names()) {
                String kind = n.startsWith("sample/") ? "sample" : n.startsWith("stats/") ? "stats" : "full";
                String rest = kind.equals("full") ? n : n.substring(n.indexOf('/') + 1);
                if (rest.startsWith("grad/")) rows.add(kind + " " + rest.substring(5));
                else if (rest.startsWith("grad64/")) rows.add(kind + " " + rest.substring(7));
            }
        }
        return rows;
    }

    /** Prints and returns the worst relative error of ours and of the GPU's (against the row's reference). */
    static double[] worst(Report r, String label) {
        double ours = 0, gpu = 0;
        String where = "";
        for (Check c : r.checks()) {
            if (c.ours() == null) continue;
            if (c.ours().relative() > ours) { ours = c.ours().relative(); where = c.part() + " " + c.tensor() + " vs " + c.against(); }
            if (c.gpu() != null) gpu = Math.max(gpu, c.gpu().relative());
        }
        System.out.printf(Locale.ROOT, "%s: worst relative error ours %.3e (%s), GPU fp32 vs fp64 %.3e%n", label, ours, where, gpu);
        return new double[] {ours, gpu};
    }

    @Test
    void miniEveryGradientRowPasses() throws IOException {
        Run run = run("cipa-mini.safetensors");
        Report r = run.report();
        r.print(System.out);
        Set<String> rows = storedRows("cipa-mini.safetensors");
        List<Check> failed = r.checks().stream().filter(c -> c.status() != Check.Status.PASS).toList();
        assertTrue(failed.isEmpty(), failed.size() + " rows fail, e.g. " + (failed.isEmpty() ? "" : failed.get(0)));
        assertEquals(rows.size(), r.checks().size());
        // every parameter of the model and both inputs have a stored gradient (none is None in PyTorch)
        assertEquals(run.parameters() + 2, r.checks().stream().map(Check::part).distinct().count());
        // every row has an fp64 twin here, so the GPU's own error stands beside ours
        for (Check c : r.checks()) {
            assertEquals("fp64", c.against(), c.toString());
            assertTrue(c.gpu() != null, c.toString());
        }
        worst(r, "cipa-mini");
        for (String kind : new String[] {"grad", "sample grad", "stats grad"})
            worst(filter(r, kind), "cipa-mini " + kind);
    }

    @Test
    void tiny512EverySampledGradientPasses() throws IOException {
        Run run = run("cipa-tiny-512.safetensors");
        Report r = run.report();
        assertEquals(run.parameters() + 2, r.checks().stream().map(Check::part).distinct().count());
        Set<String> rows = storedRows("cipa-tiny-512.safetensors");
        List<Check> failed = r.checks().stream().filter(c -> c.status() != Check.Status.PASS).toList();
        failed.forEach(System.out::println);
        assertTrue(failed.isEmpty(), failed.size() + " rows fail");
        assertEquals(rows.size(), r.checks().size());
        assertTrue(rows.stream().allMatch(n -> !n.startsWith("full ")), "the tiny file stores only samples and sums");
        worst(r, "cipa-tiny-512 (against the GPU's fp32)");
        for (String kind : new String[] {"sample grad", "stats grad"})
            worst(filter(r, kind), "cipa-tiny-512 " + kind);
    }

    private static Report filter(Report r, String tensor) {
        Report out = new Report(r.file());
        r.checks().stream().filter(c -> c.tensor().equals(tensor)).forEach(out::add);
        return out;
    }
}
