package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import jcipa.model.CipaConfig;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelGoldenTest {
    static Path golden(String name) { return ScanGoldenTest.golden(name); }

    static long count(Report r, Check.Status s) { return r.count(s); }

    @Test
    void miniPassesEveryForwardPart() {
        Report r = Verifier.verify(golden("cipa-mini.safetensors"));
        r.print(System.out);
        assertEquals(0, count(r, Check.Status.FAIL));
        assertEquals(0, count(r, Check.Status.NOT_CHECKED));
        // logits vs fp64 and vs GPU, the loss, and every module output the file captured
        long outputs;
        try (SafeTensors st = SafeTensors.open(golden("cipa-mini.safetensors"))) {
            outputs = st.names().stream().filter(n -> n.startsWith("act/") && n.contains("/out")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(count(r, Check.Status.PASS) > 3 + outputs, "forward parts plus the gradient and training-step rows");
        assertTrue(r.lines().stream().anyMatch(l -> l.matches("sha256 cipa-mini [0-9a-f]{64}")), r.lines().toString());
        Check logits = r.checks().stream().filter(c -> c.tensor().equals("logits") && c.against().equals("fp64")).findFirst().orElseThrow();
        assertTrue(logits.ours().maxAbs() <= 1e-4);
    }

    /** sigma_tiny at 512×512: logits, loss, sampled activations and every sampled/summed gradient (about 10 GB of graph). */
    @Test
    void tiny512PassesEveryPart() throws Exception {
        Report r = Verifier.verify(golden("cipa-tiny-512.safetensors"));
        r.print(System.out);
        assertEquals(0, count(r, Check.Status.FAIL));
        assertEquals(0, count(r, Check.Status.NOT_CHECKED));
        long stored;
        try (SafeTensors st = SafeTensors.open(golden("cipa-tiny-512.safetensors"))) {
            stored = st.names().stream().filter(n -> n.startsWith("sample/") || n.startsWith("stats/")).count();
        }
        // logits (fp64, gpu), loss, and one row per sampled or summed activation and gradient
        assertEquals(3 + stored, count(r, Check.Status.PASS));
    }

    @Test
    void architecturesJsonPasses() {
        Report r = Verifier.verify(golden("architectures.json"));
        r.print(System.out);
        assertEquals(6, count(r, Check.Status.PASS));
        assertEquals(0, count(r, Check.Status.FAIL));
        assertTrue(r.checks().stream().anyMatch(c -> c.tensor().equals("parameters 54572198")));
    }

    /** Files the verifier has never seen: another size, depth and batch; a perturbed capture is named. */
    @Test
    void unseenShapesPassAndAPerturbedModuleIsNamed(@TempDir Path dir) throws Exception {
        CipaConfig cfg = new CipaConfig("unseen-256", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 2}, 256, 0.0);
        Path file = dir.resolve("unseen.safetensors");
        String sha = GoldenWriter.write(cfg, 2, 7, file, false);
        Report r = Verifier.verify(file);
        r.print(System.out);
        assertEquals(0, count(r, Check.Status.FAIL));
        assertEquals(0, count(r, Check.Status.NOT_CHECKED));
        assertTrue(r.lines().contains("sha256 unseen-256 " + sha));

        String victim = "act/backbone.region_patch.2#0/out1";
        Path bad = dir.resolve("perturbed.safetensors");
        try (SafeTensors st = SafeTensors.open(file)) {
            SafeTensors.Writer w = SafeTensors.writer();
            st.metadata().forEach(w::metadata);
            for (String n : st.names()) {
                long[] shape = GoldenWriter.longs(st.shapeInt(n));
                switch (st.entry(n).dtype()) {
                    case U8 -> w.put(n, st.bytes(n), shape);
                    case F64 -> w.put(n, st.doubles(n), shape);
                    default -> {
                        float[] v = st.floats(n).clone();
                        if (n.equals(victim)) v[v.length / 2] += 0.05f;
                        w.put(n, v, shape);
                    }
                }
            }
            w.write(bad);
        }
        Report rb = Verifier.verify(bad);
        List<Check> failed = rb.checks().stream().filter(c -> c.status() == Check.Status.FAIL).toList();
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("backbone.region_patch.2", failed.get(0).part());
    }
}
