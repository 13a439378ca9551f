package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.ref.SelectiveScanRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanGoldenTest {
    static Path golden(String name) { return Path.of(System.getProperty("jcipa.golden", "../golden")).resolve(name); }

    @Test
    void everyCaseOfTheShippedGoldenFilePasses() {
        Report r = Verifier.verify(golden("ops-selective-scan.safetensors"));
        r.print(System.out);
        assertEquals(0, r.count(Check.Status.FAIL));
        assertEquals(0, r.count(Check.Status.NOT_CHECKED));
        // 4 cases × (out + 7 gradients) × (fp32, fp64 reference)
        assertEquals(64, r.count(Check.Status.PASS));
        for (Check c : r.checks()) if (c.tensor().endsWith("(fp32)")) assertTrue(c.gpu() != null, "GPU error shown for " + c.tensor());
    }

    /** A file of the same format with other dims, other names of cases, and no D: accepted; a perturbation is caught. */
    @Test
    void acceptsOtherShapesAndCatchesAPerturbedValue(@TempDir Path dir) throws Exception {
        int batch = 3, k = 2, dg = 5, l = 29, n = 3, ch = k * dg;
        SplittableRandom r = new SplittableRandom(42);
        float[] u = rnd(r, batch * ch * l, -1, 1), delta = rnd(r, batch * ch * l, -3, 1), a = rnd(r, ch * n, -3, -0.2f);
        float[] b = rnd(r, batch * k * n * l, -1, 1), c = rnd(r, batch * k * n * l, -1, 1), bias = rnd(r, ch, -1, 1);
        double[] y = new double[batch * ch * l];
        SelectiveScanRef.forward(wide(u), wide(delta), wide(a), wide(b), wide(c), null, wide(bias), batch, k, dg, l, n, y);
        long[] seq = {batch, ch, l}, bc = {batch, k, n, l};
        for (boolean perturb : new boolean[] {false, true}) {
            double[] y64 = y.clone();
            if (perturb) y64[17] += 1e-3;
            Path f = dir.resolve("scan-" + perturb + ".safetensors");
            SafeTensors.writer().metadata("meta", "{}")
                    .put("case_x/u", u, seq).put("case_x/delta", delta, seq).put("case_x/A", a, ch, n)
                    .put("case_x/B", b, bc).put("case_x/C", c, bc).put("case_x/delta_bias", bias, ch)
                    .put("case_x/out64", y64, seq).write(f);
            Report rep = Verifier.verify(f);
            rep.print(System.out);
            assertEquals(2, rep.checks().size(), "out in fp32 and fp64 ref; no gradients without dout");
            if (perturb) {
                assertTrue(rep.count(Check.Status.FAIL) >= 1);
                assertTrue(rep.checks().stream().anyMatch(x -> x.status() == Check.Status.FAIL && x.tensor().startsWith("out")));
            } else {
                assertEquals(2, rep.count(Check.Status.PASS));
            }
        }
    }

    @Test
    void brokenFilesFailWithAReason(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("junk.safetensors");
        java.nio.file.Files.write(f, new byte[] {1, 2, 3});
        Report rep = Verifier.verify(f);
        assertEquals(1, rep.count(Check.Status.FAIL));
        assertTrue(rep.checks().get(0).note().contains("junk.safetensors"), rep.checks().get(0).note());
    }

    static float[] rnd(SplittableRandom r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(lo, hi);
        return a;
    }

    static double[] wide(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
