package jcipa.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.json.JsonMapper;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.MiniGolden;
import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.tensor.DType;
import org.junit.jupiter.api.Test;

class ParamGroupsTest {
    static final CipaConfig MINI = new CipaConfig("mini", 32, new int[] {1, 1, 2, 1}, new int[] {4, 4, 4, 4}, 128, 0.0);

    /** The parameters the official group_weight leaves out are those the golden file lists, in order. */
    @Test
    void officialGroupsLeaveOutWhatTheGoldenStepLeftOut() throws Exception {
        Cipa model = new Cipa(MINI, DType.F32);
        List<String> listed = new ArrayList<>();
        JsonMapper.builder().build().readTree(MiniGolden.golden().metadata().get("meta"))
                .path("train").path("params_not_in_optimizer").forEach(n -> listed.add(n.asText()));
        assertEquals(169, listed.size());
        assertEquals(listed, ParamGroups.leftOut(model, ParamGroups.official(model)));
    }

    /** Decay: exactly the weights of Linear and Conv layers; no decay: their biases and every norm's weight and bias. */
    @Test
    void officialGroupsFileByLayerType() {
        Cipa model = new Cipa(MINI, DType.F32);
        Set<String> decay = new HashSet<>(), noDecay = new HashSet<>();
        for (var e : model.namedModules()) {
            var m = e.getValue();
            String p = e.getKey() + ".";
            if (m instanceof LinearLayer || m instanceof Conv2dLayer) {
                decay.add(p + "weight");
                if (m.parameter("bias") != null) noDecay.add(p + "bias");
            } else if (m instanceof LayerNormLayer || m instanceof BatchNorm2dLayer) {
                noDecay.add(p + "weight");
                noDecay.add(p + "bias");
            }
        }
        List<ParamGroup> g = ParamGroups.official(model);
        assertEquals(decay, new HashSet<>(g.get(0).names()));
        assertEquals(noDecay, new HashSet<>(g.get(1).names()));
        assertTrue(g.get(0).decay() && !g.get(1).decay());
        assertEquals(g.get(0).names().size(), decay.size(), "no duplicates");
    }

    @Test
    void allTrainsEverythingWithoutDecayOnVectorsAndMarkedParameters() {
        Cipa model = new Cipa(MINI, DType.F32);
        List<ParamGroup> g = ParamGroups.all(model);
        assertEquals(List.of(), ParamGroups.leftOut(model, g));
        for (var e : g.get(1).params())
            assertTrue(e.getValue().rank() == 1 || e.getKey().endsWith(".A_logs"), e.getKey());
        for (var e : g.get(0).params())
            assertTrue(e.getValue().rank() >= 2 && !e.getKey().endsWith(".A_logs"), e.getKey());
        List<String> noDecay = g.get(1).names(), decay = g.get(0).names();
        assertTrue(noDecay.contains("backbone.vssm.layers.0.blocks.0.op.A_logs"));
        assertTrue(noDecay.contains("backbone.vssm.layers.0.blocks.0.op.Ds"));
        assertTrue(noDecay.contains("decode_head.layers_up.1.blocks.0.scale1"));
        assertTrue(decay.contains("backbone.vssm.layers.0.blocks.0.op.x_proj_weight"));
        assertTrue(decay.contains("backbone.vssm.layers.0.blocks.0.op.dt_projs_bias"), "2-D and not marked: decays, as under timm's rule");
        assertEquals(model.namedParameters().size(), decay.size() + noDecay.size());
    }
}
