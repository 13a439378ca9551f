package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.Inputs;
import jcipa.model.train.AdamW;
import jcipa.model.train.ParamGroups;
import jcipa.nn.StateDictLoader;
import jcipa.nn.WeightFiles;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training-step check on the mini golden file, and two optimizer mutations it must catch. One
 * forward and backward serves all three: each test restores the weights and takes the optimizer
 * step again, from fresh optimizer state, on the same gradients.
 */
class TrainStepGoldenTest {
    static SafeTensors st;
    static JsonNode train;
    static TrainStepGolden.Taken official;
    static Map<String, Tensor> params;

    @BeforeAll
    static void takeTheStep() throws Exception {
        Path file = ScanGoldenTest.golden("cipa-mini.safetensors");
        st = SafeTensors.open(file);
        JsonNode meta = ModelGolden.JSON.readTree(st.metadata().get("meta"));
        train = meta.path("train");
        Cipa model = new Cipa(ModelGolden.config(meta, "cipa-mini"), DType.F32);
        StateDictLoader.load(model, WeightFiles.read(ScanGoldenTest.golden("cipa-mini-checkpoint.pth")), true);
        int[] s = st.shapeInt("input/ct_u8");
        Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]);
        Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]);
        Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]);
        TrainStepGolden.Settings settings = TrainStepGolden.Settings.parse(train.path("optimizer").asText());
        // every gradient kept, so that the mutated optimizers below can step the parameters the official one leaves out
        official = TrainStepGolden.take(model, TrainStepGolden.officialOptimizer(model, settings), settings, ct, pet, target, true);
        params = model.namedParameters();
    }

    @AfterAll
    static void close() { st.close(); }

    /** The weights as before the step, then one step of the given optimizer on the kept gradients. */
    static Report retake(TrainStepGolden.OptimizerFactory factory) {
        params.forEach((n, p) -> System.arraycopy(official.before().get(n), 0, p.storageFloats(), 0, p.numel()));
        AdamW optimizer = factory.create(official.model(), official.settings());
        optimizer.step();
        Report r = new Report("cipa-mini");
        TrainStepGolden.compare(st, r, train, new TrainStepGolden.Taken(official.model(), optimizer, official.settings(), official.before(), official.result()),
                "cipa-mini");
        return r;
    }

    static List<Check> failures(Report r) { return r.checks().stream().filter(c -> c.status() == Check.Status.FAIL).toList(); }

    static boolean isSsm(String name) { return name.matches(".*\\.(x_proj_weight|dt_projs_weight|dt_projs_bias|A_logs|Ds|scale1|scale2)"); }

    @Test
    void officialStepPasses() {
        Report r = retake(TrainStepGolden::officialOptimizer);
        r.lines().forEach(System.out::println);
        assertEquals(List.of(), failures(r));
        long entries = st.names().stream().filter(n -> n.startsWith("sample/train/after/")).count();
        assertEquals(entries + 3, r.count(Check.Status.PASS), "one row per parameter or buffer, plus the optimizer groups, logits and loss");
        assertTrue(r.checks().stream().anyMatch(c -> c.tensor().equals("not in optimizer (169)") && c.status() == Check.Status.PASS));
    }

    /** (a) AdamW without weight decay: the decayed weights move 5-10 ulps less than the reference's. */
    @Test
    void droppingWeightDecayFails() {
        Report r = retake((m, s) -> new AdamW(ParamGroups.official(m), s.lr(), s.beta1(), s.beta2(), s.eps(), 0.0));
        List<Check> bad = failures(r);
        System.out.println("weight decay dropped: " + bad.size() + " rows fail, e.g. " + bad.subList(0, Math.min(3, bad.size())));
        long decayed = ParamGroups.official(official.model()).get(0).params().size();
        System.out.println("weight decay dropped: " + decayed + " decayed weights");
        assertTrue(bad.size() >= decayed * 95 / 100, bad.size() + " failing rows for " + decayed + " decayed weights");
        for (Check c : bad) assertTrue(c.tensor().startsWith("update") && c.part().endsWith(".weight") && !isSsm(c.part()), c.toString());
    }

    /** (b) the SSM parameters and decoder scales trained like the rest: they move where the reference's do not. */
    @Test
    void optimizingTheSsmParametersFails() {
        Report r = retake((m, s) -> new AdamW(ParamGroups.all(m), s.lr(), s.beta1(), s.beta2(), s.eps(), s.weightDecay()));
        List<Check> bad = failures(r);
        assertTrue(bad.stream().anyMatch(c -> c.tensor().equals("not in optimizer")), "the group check names the difference");
        // every left-out parameter that the mutated optimizer moved fails its update row (one may not move: a
        // gradient exactly zero, as A_logs of a scan over a single position, gives Adam no direction)
        int moved = 0;
        for (var e : params.entrySet()) {
            if (!isSsm(e.getKey())) continue;
            if (java.util.Arrays.equals(e.getValue().floats(), official.before().get(e.getKey()))) continue;
            moved++;
            assertTrue(bad.stream().anyMatch(c -> c.part().equals(e.getKey())), e.getKey() + " moved but passed");
        }
        System.out.println("SSM parameters optimized: " + bad.size() + " rows fail, " + moved + " of 169 left-out parameters moved");
        assertTrue(moved >= 160, moved + " moved");
    }
}
