package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import jcipa.model.Cipa;
import jcipa.model.Inputs;
import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.StateDictLoader;
import jcipa.nn.WeightFiles;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm running-statistics mutations the training-step check must catch, both in one step:
 * (c) no update in the DCIM stems of stages 0 and 1, (d) the biased batch variance in those of
 * stages 2 and 3. Each mutated layer must fail on its own rows.
 */
class TrainStepRunningStatsTest {
    @Test
    void skippedUpdateAndBiasedVarianceFailWhereTheyAreMade() throws Exception {
        Path file = ScanGoldenTest.golden("cipa-mini.safetensors");
        try (SafeTensors st = SafeTensors.open(file)) {
            var meta = ModelGolden.JSON.readTree(st.metadata().get("meta"));
            Cipa model = new Cipa(ModelGolden.config(meta, "cipa-mini"), DType.F32);
            StateDictLoader.load(model, WeightFiles.read(ScanGoldenTest.golden("cipa-mini-checkpoint.pth")), true);
            int layers = 0;
            for (var e : model.namedModules())
                if (e.getValue() instanceof BatchNorm2dLayer bn) {
                    layers++;
                    bn.runningStats(stage(e.getKey()) < 2 ? BatchNorm2dLayer.RunningStats.FROZEN : BatchNorm2dLayer.RunningStats.BIASED_VARIANCE);
                }
            assertEquals(24, layers);
            int[] s = st.shapeInt("input/ct_u8");
            Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]);
            Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]);
            Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]);
            Report r = new Report(file.toString());
            TrainStepGolden.check(st, r, model, ct, pet, target, "cipa-mini");

            List<Check> running = r.checks().stream().filter(c -> c.part().contains(".running_")).toList();
            assertEquals(48, running.size());
            for (Check c : running) {
                boolean frozen = stage(c.part()) < 2, variance = c.part().endsWith("running_var");
                Check.Status want = frozen || variance ? Check.Status.FAIL : Check.Status.PASS;
                assertEquals(want, c.status(), c.toString());
            }
            // nothing else is affected: the forward and the parameter updates do not read the running statistics
            assertTrue(r.checks().stream().filter(c -> !c.part().contains(".running_")).allMatch(c -> c.status() == Check.Status.PASS));
        }
    }

    /** The DCIM stage of backbone.region_patch.{stage}.... */
    static int stage(String name) {
        String p = "backbone.region_patch.";
        assertTrue(name.startsWith(p), name);
        return name.charAt(p.length()) - '0';
    }
}
