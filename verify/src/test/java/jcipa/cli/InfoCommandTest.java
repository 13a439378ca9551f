package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class InfoCommandTest {
    /** Runs the CLI and returns {exit status, stdout, stderr}. */
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int rc = Main.run(args);
            return new String[] {Integer.toString(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void tinyShowsTheTotalsBesideThePaperFigures() {
        String[] r = run("info", "--config", "tiny");
        assertEquals("0", r[0], r[2]);
        String text = r[1];
        System.out.print(text);
        assertTrue(text.contains("54.57 M parameters"), "paper's parameters");
        assertTrue(text.contains("76.18 G"), "paper's MACs");
        assertTrue(text.lines().anyMatch(l -> l.startsWith("total ") && l.contains("54,572,198")), "total line with the official parameter count");
        for (String row : new String[] {"backbone.vssm.patch_embed", "backbone.vssm.layers.3", "backbone.cross_mamba.0", "backbone.region_patch.3",
                "backbone.channel_attn_mamba.2", "decode_head.layers_up.1", "decode_head.up", "decode_head.output"})
            assertTrue(text.contains(row), row);
    }

    @Test
    void customConfigurationOfTheMiniModel() {
        String[] r = run("info", "--dims", "32", "--depths", "1,1,2,1", "--size", "128");
        assertEquals("0", r[0], r[2]);
        // the mini golden model's meta.param_count
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("total ") && l.contains("5,264,174")), r[1]);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals("2", run("info", "--config", "tiny", "--dims", "32", "--depths", "1,1,2,1")[0]);
        assertEquals("2", run("info", "--dims", "32")[0]);
        String[] r = run("info", "--size", "500");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("multiple of 128"), r[2]);
        assertEquals("2", run("info", "--config", "huge")[0]);
    }
}
