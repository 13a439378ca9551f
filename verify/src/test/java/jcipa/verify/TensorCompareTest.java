package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jcipa.cli.Main;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cipa compare}: zero against itself; a perturbed copy names the earliest perturbed module of the forward pass. */
class TensorCompareTest {
    static final Path MINI = ScanGoldenTest.golden("cipa-mini.safetensors");

    @Test
    void ulpDistances() {
        assertEquals(0, UlpHistogram.distance(1f, 1f));
        assertEquals(1, UlpHistogram.distance(1f, Math.nextUp(1f)));
        assertEquals(0, UlpHistogram.distance(0f, -0f));
        assertEquals(2, UlpHistogram.distance(Float.MIN_VALUE, -Float.MIN_VALUE));
        assertEquals(1, UlpHistogram.distance(Float.MAX_VALUE, Float.POSITIVE_INFINITY));
        assertEquals(Long.MAX_VALUE, UlpHistogram.distance(Float.NaN, 1f));
        assertEquals(1L << 23, UlpHistogram.distance(1f, 2f), "one binade of float32");
        long[] bucketOf = {0, 1, 2, 3, 4, 7, 8, (1 << 20) - 1, 1 << 20, Long.MAX_VALUE};
        int[] want = {0, 1, 2, 2, 3, 3, 4, 20, 21, 21};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], UlpHistogram.bucket(bucketOf[i]), "bucket of " + bucketOf[i]);
        assertEquals("2-3", UlpHistogram.label(2));
        assertEquals("524288-1048575", UlpHistogram.label(20));
        assertEquals(">=2^20", UlpHistogram.label(21));
    }

    @Test
    void aFileAgainstItselfHasZeroError() throws Exception {
        try (TensorFile a = TensorFile.open(MINI); TensorFile b = TensorFile.open(MINI)) {
            TensorCompare.Result r = TensorCompare.compare(a, b, 1e-4);
            assertTrue(r.passed());
            assertEquals(a.names().size(), r.rows().size());
            assertTrue(r.onlyA().isEmpty() && r.onlyB().isEmpty());
            for (TensorCompare.Row row : r.rows()) assertEquals(0.0, row.check().ours().maxAbs(), row.name());
            assertEquals(r.total().total(), r.total().counts()[0], "every element 0 ulps apart");
            assertTrue(r.firstModule().isEmpty());
            assertTrue(r.order().startsWith("forward pass"), r.order());
        }
    }

    /**
     * Two captures perturbed: the encoder's first module (patch_embed, CT pass), which the file
     * lists late (the official writer sorts names), and a later fusion module that the file lists
     * first. File order would name the fusion module; the forward order must name patch_embed.
     */
    @Test
    void aPerturbedCopyNamesTheEarliestPerturbedModule(@TempDir Path dir) throws Exception {
        String early = "act/backbone.vssm.patch_embed#0/out0", late = "act/backbone.channel_attn_mamba.0#0/out0", dropped = "out64/loss";
        Path bad = dir.resolve("perturbed.safetensors");
        try (SafeTensors st = SafeTensors.open(MINI)) {
            SafeTensors.Writer w = SafeTensors.writer();
            st.metadata().forEach(w::metadata);
            for (String n : st.names()) {
                if (n.equals(dropped)) continue;
                byte[] raw = st.rawBytes(n);
                if (n.equals(early) || n.equals(late)) {
                    float[] v = st.floats(n);
                    float max = 0;
                    for (float x : v) max = Math.max(max, Math.abs(x));
                    v[v.length / 3] += 0.01f * max;
                    w.put(n, v, GoldenWriter.longs(st.shapeInt(n)));
                } else {
                    w.putRaw(n, st.entry(n).dtype(), raw, GoldenWriter.longs(st.shapeInt(n)));
                }
            }
            w.write(bad);
        }
        try (TensorFile a = TensorFile.open(bad); TensorFile b = TensorFile.open(MINI)) {
            assertTrue(a.names().indexOf(late) < a.names().indexOf(early), "the file lists the later module first");
            TensorCompare.Result r = TensorCompare.compare(a, b, 1e-4);
            assertFalse(r.passed());
            assertEquals(2, r.failed(), "exactly the two perturbed tensors");
            assertEquals("backbone.vssm.patch_embed", r.firstModule().orElseThrow().check().part());
            assertEquals(early, r.firstModule().get().name());
            assertEquals(List.of(dropped), r.onlyB());
            assertEquals(2, r.total().total() - r.total().counts()[0], "two elements differ");
            assertTrue(r.total().maxUlps() > 1000);
        }
        String[] out = run("compare", bad.toString(), MINI.toString());
        assertEquals("1", out[0]);
        assertTrue(out[1].contains("FIRST DIVERGING MODULE: backbone.vssm.patch_embed (" + early), out[1]);
        assertTrue(out[1].contains("only in B (1): out64/loss"), out[1]);
        assertTrue(out[1].contains("float32 ulp distance"), out[1]);
        assertEquals("0", run("compare", MINI.toString(), MINI.toString())[0]);
        assertEquals("0", run("compare", "--tolerance", "0.02", bad.toString(), MINI.toString())[0], "within a looser tolerance");
    }

    @Test
    void forwardOrderPutsChildrenBeforeParentsAndCtBeforePet() {
        List<String> order = ForwardOrder.traced(new int[] {1, 1, 2, 1}, new int[] {4, 4, 4, 4});
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) at.put(order.get(i), i);
        assertTrue(at.get("backbone.vssm.patch_embed#0") < at.get("backbone.vssm.patch_embed#1"));
        assertTrue(at.get("backbone.vssm.layers.0.blocks.0#0") < at.get("backbone.vssm.layers.1.blocks.0#0"));
        assertTrue(at.get("decode_head.layers_up.1.blocks.3#0") < at.get("decode_head.layers_up.1#0"), "a child finishes before its parent");
        assertTrue(at.get("backbone.vssm.patch_embed#1") < at.get("decode_head.up#0"));
    }

    static String[] run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            int rc = Main.run(args);
            return new String[] {Integer.toString(rc), o.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
        }
    }
}
