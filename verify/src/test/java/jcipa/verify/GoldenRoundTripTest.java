package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.Cipa;
import jcipa.model.Inputs;
import jcipa.nn.StateDictLoader;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ops.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line round trip: {@code cipa golden} for a small custom case with captures and
 * gradients, then {@code cipa verify} on it; the gradients are complete, float32 agrees with the
 * float64 path, and the float64 input gradient matches a central difference of the loss.
 */
class GoldenRoundTripTest {

    @Test
    void goldenThenVerifyPassesAndTheGradientsAreRight(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("round.safetensors");
        String[] g = TensorCompareTest.run("golden", "--config", "custom", "--dims", "32", "--depths", "1,1,1,1", "--decoder-depths", "1,1,1,1",
                "--size", "128", "--batch", "1", "--seed", "5", "--captures", "--grads", "--out", f.toString());
        assertEquals("0", g[0], g[1]);
        String sha = g[1].lines().filter(l -> l.startsWith("sha256 custom ")).findFirst().orElseThrow(() -> new AssertionError(g[1]));

        String[] v = TensorCompareTest.run("verify", f.toString());
        assertEquals("0", v[0], v[1]);
        assertTrue(v[1].contains(sha + "\n") || v[1].contains(sha + "\r\n"), "verify prints golden's sha256 line\n" + v[1]);

        String before = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] again = TensorCompareTest.run("golden", "--config", "custom", "--dims", "32", "--depths", "1,1,1,1", "--out", f.toString());
        assertEquals("1", again[0], "an existing file is refused");
        assertEquals(before, Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1), "and left as it was");
        assertEquals("2", TensorCompareTest.run("golden", "--config", "custom", "--out", dir.resolve("x.npz").toString())[0], "custom needs --dims/--depths");
        assertEquals("2", TensorCompareTest.run("golden", "--config", "tiny", "--dims", "64", "--out", dir.resolve("x.npz").toString())[0]);
        assertEquals("2", TensorCompareTest.run("golden", "--format", "zip", "--out", dir.resolve("x.zip").toString())[0]);

        try (SafeTensors st = SafeTensors.open(f)) {
            JsonNode meta = ModelGolden.JSON.readTree(st.metadata().get("meta"));
            Cipa m64 = new Cipa(ModelGolden.config(meta, "custom"), DType.F64);
            m64.eval();
            StateDictLoader.load(m64, ModelGolden.weights(f, meta, m64), true);
            double worst = 0;
            String worstName = "";
            for (String p : m64.namedParameters().keySet()) {
                assertTrue(st.has("grad/param/" + p) && st.has("grad64/param/" + p), "gradient of " + p);
                double rel = Comparison.of(st.asDoubles("grad/param/" + p), st.asDoubles("grad64/param/" + p)).relative();
                if (rel > worst) { worst = rel; worstName = p; }
            }
            System.out.printf("float32 vs float64 parameter gradients: worst relative error %.3e (%s)%n", worst, worstName);
            assertTrue(worst <= 1e-4, "float32 gradients agree with float64: " + worst + " at " + worstName);
            for (String in : new String[] {"ct", "pet"})
                assertTrue(Comparison.of(st.asDoubles("grad/input/" + in), st.asDoubles("grad64/input/" + in)).relative() <= 1e-4, in);

            // d loss / d ct along a random direction: central difference of the float64 loss
            int[] s = st.shapeInt("input/ct_u8");
            Tensor ct = Inputs.fromU8(st.bytes("input/ct_u8"), s[0], s[1], s[2]).to(DType.F64);
            Tensor pet = Inputs.fromU8(st.bytes("input/pet_u8"), s[0], s[1], s[2]).to(DType.F64);
            Tensor target = Inputs.maskFromU8(st.bytes("input/mask_u8"), s[0], s[1], s[2]).to(DType.F64);
            double[] x = ct.doubles(), dir64 = new double[x.length], grad = st.doubles("grad64/input/ct");
            SplittableRandom r = new SplittableRandom(11);
            double predicted = 0;
            for (int i = 0; i < x.length; i++) {
                dir64[i] = r.nextBoolean() ? 1 : -1;
                predicted += grad[i] * dir64[i];
            }
            // small h: ReLU and max-pool kinks crossed within ±h bend larger differences (1e-4 is off by 3e-4 relative)
            double h = 1e-6;
            double up = loss(m64, shifted(x, dir64, h, ct.shape()), pet, target), down = loss(m64, shifted(x, dir64, -h, ct.shape()), pet, target);
            double measured = (up - down) / (2 * h);
            System.out.printf("directional derivative of the loss: backward %.12e, central difference %.12e%n", predicted, measured);
            assertEquals(measured, predicted, 2e-5 * Math.abs(measured));
        }
    }

    static Tensor shifted(double[] x, double[] dir, double h, int[] shape) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] + h * dir[i];
        return Tensor.of(y, shape);
    }

    static double loss(Cipa m, Tensor ct, Tensor pet, Tensor target) {
        return Autograd.noGrad(() -> Losses.diceBce(m.forward(ct, pet), target)).item();
    }
}
