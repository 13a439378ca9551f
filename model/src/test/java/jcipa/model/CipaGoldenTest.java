package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jcipa.nn.StateDictLoader;
import jcipa.nn.StateValue;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/** The whole mini CIPA: state dict equal to the official listing, logits equal to the GPU build's. */
class CipaGoldenTest {
    static final CipaConfig MINI = new CipaConfig("mini", 32, new int[] {1, 1, 2, 1}, new int[] {4, 4, 4, 4}, 128, 0.0);

    @Test
    void stateDictEqualsTheOfficialListing() throws Exception {
        Cipa model = new Cipa(MINI, DType.F32);
        var listing = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .readTree(MiniGolden.golden().metadata().get("meta")).get("state_dict");
        List<String> ours = new ArrayList<>(), theirs = new ArrayList<>();
        model.stateDict().forEach((k, v) -> ours.add(k + " " + java.util.Arrays.toString(v.shape()) + " " + v.dtypeName()));
        for (var e : listing) {
            List<Integer> shape = new ArrayList<>();
            e.get(1).forEach(n -> shape.add(n.asInt()));
            theirs.add(e.get(0).asText() + " " + shape + " " + e.get(2).asText());
        }
        assertEquals(theirs, ours);
        long params = 0;
        for (var v : model.namedParameters().values()) params += v.numel();
        assertEquals(5264174L, params);   // meta.param_count
    }

    @Test
    void logitsMatchTheGpuBuildAndExactMath() {
        Cipa model = new Cipa(MINI, DType.F32);
        model.eval();
        StateDictLoader.load(model, MiniGolden.weights(), true);
        SafeTensors g = MiniGolden.golden();
        Tensor[] in = MiniGolden.inputs();
        Tensor ct = in[0], pet = in[1];
        Tensor logits = jcipa.tensor.Autograd.noGrad(() -> model.forward(ct, pet));
        Tensor gpu = Tensor.of(g.floats("out/logits"), g.shapeInt("out/logits"));
        double[] exact = g.asDoubles("out64/logits");
        double[] ours = logits.toDoubleArray(), theirs = gpu.toDoubleArray();
        double ourErr = 0, gpuErr = 0;
        for (int i = 0; i < exact.length; i++) {
            ourErr = Math.max(ourErr, Math.abs(ours[i] - exact[i]));
            gpuErr = Math.max(gpuErr, Math.abs(theirs[i] - exact[i]));
        }
        System.out.printf("mini logits: ours vs fp64 %.3e, GPU vs fp64 %.3e, ours vs GPU rel %.3e%n", ourErr, gpuErr, MiniGolden.relativeError(logits, gpu));
        assertTrue(ourErr <= 1e-4, "logits error vs fp64 " + ourErr);
        assertTrue(MiniGolden.relativeError(logits, gpu) <= 1e-4);
    }
}
