package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import jcipa.model.Cipa;
import jcipa.model.Inputs;
import jcipa.nn.StateDictLoader;
import jcipa.nn.WeightFiles;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/** Eval-mode gradients of the mini model against the fp64 twins; swapped modalities must fail. */
class GradientGoldenTest {
    @Test
    void miniGradientsPassAndSwappedInputsFail() throws Exception {
        Path file = ScanGoldenTest.golden("cipa-mini.safetensors");
        try (SafeTensors st = SafeTensors.open(file)) {
            var meta = ModelGolden.JSON.readTree(st.metadata().get("meta"));
            Cipa model = new Cipa(ModelGolden.config(meta, "cipa-mini"), DType.F32);
            StateDictLoader.load(model, WeightFiles.read(ScanGoldenTest.golden("cipa-mini-checkpoint.pth")), true);
            int[] s = st.shapeInt("input/ct_u8");
            Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]);
            Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]);
            Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]);

            Report r = new Report(file.toString());
            GradientGolden.check(st, r, model, ct, pet, target, "cipa-mini");
            long rows = st.names().stream().filter(n -> n.startsWith("grad/") || n.startsWith("sample/grad/") || n.startsWith("stats/grad/")).count();
            assertEquals(rows, r.count(Check.Status.PASS), "every gradient row passes");
            double worst = r.checks().stream().mapToDouble(c -> c.ours().relative()).max().orElseThrow();
            System.out.printf("mini eval-mode gradients: %d rows, worst relative error %.2e%n", rows, worst);

            Report swapped = new Report(file.toString());
            GradientGolden.check(st, swapped, model, pet, ct, target, "cipa-mini");
            assertTrue(swapped.count(Check.Status.FAIL) > rows / 2, swapped.count(Check.Status.FAIL) + " of " + rows + " fail with CT and PET swapped");
        }
    }
}
