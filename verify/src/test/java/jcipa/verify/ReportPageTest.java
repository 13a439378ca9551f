package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cipa verify --report}: the JSON holds the table, and the HTML page, rendered by headless
 * Chromium, shows the counts, every row (failures first) and the sha256 line. The screenshot is
 * kept as {@code verify/target/verify-report.png} for a person to look at.
 */
class ReportPageTest {

    @Test
    void jsonAndHtmlReportsOfARunWithFailures(@TempDir Path dir) throws Exception {
        Path chromium = chromium().orElseGet(() -> fail("chromium is not installed, so the HTML report cannot be rendered. "
                + ".ci/run installs it (Debian: apt-get install chromium); install it the same way to run this test."));
        Path scan = ScanGoldenTest.golden("ops-selective-scan.safetensors"), mini = ScanGoldenTest.golden("cipa-mini.safetensors");
        Path bad = dir.resolve("scan-perturbed.safetensors");
        try (SafeTensors st = SafeTensors.open(scan)) {           // s1's fp64 output off by 1e-3 at one element
            SafeTensors.Writer w = SafeTensors.writer();
            st.metadata().forEach(w::metadata);
            for (String n : st.names()) {
                if (n.equals("s1/out64")) {
                    double[] v = st.doubles(n);
                    v[5] += 1e-3;
                    w.put(n, v, GoldenWriter.longs(st.shapeInt(n)));
                } else {
                    w.putRaw(n, st.entry(n).dtype(), st.rawBytes(n), GoldenWriter.longs(st.shapeInt(n)));
                }
            }
            w.write(bad);
        }
        Path html = dir.resolve("report.html"), json = dir.resolve("report.json");
        String[] run = TensorCompareTest.run("verify", mini.toString(), bad.toString(), "--report", html.toString(), "--report", json.toString());
        assertEquals("1", run[0], run[1]);
        Matcher totals = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$").matcher(run[1]);
        assertTrue(totals.find(), run[1]);
        long passed = Long.parseLong(totals.group(1)), failed = Long.parseLong(totals.group(2));
        assertEquals(2, failed, "out (fp32) and out (fp64 ref) of s1");
        String sha = run[1].lines().filter(l -> l.startsWith("sha256 cipa-mini ")).findFirst().orElseThrow();

        JsonNode j = ModelGolden.JSON.readTree(Files.readAllBytes(json));
        assertEquals(passed, j.get("passed").asLong());
        assertEquals(failed, j.get("failed").asLong());
        Matcher unchecked = Pattern.compile("(?m)^(\\d+) part\\(s\\) not checked").matcher(run[1]);
        long notChecked = unchecked.find() ? Long.parseLong(unchecked.group(1)) : 0;
        assertEquals(notChecked, j.get("not_checked").asLong());
        List<String> lines = new ArrayList<>();
        j.get("files").get(0).get("lines").forEach(l -> lines.add(l.asText()));
        assertTrue(lines.contains(sha), "the sha256 line in the JSON: " + lines);
        long rows = 0;
        for (JsonNode f : j.get("files")) rows += f.get("checks").size();
        JsonNode logits = j.get("files").get(0).get("checks").get(0);
        assertEquals("logits", logits.get("tensor").asText());
        assertTrue(logits.get("gpu_error").asDouble() > 0, "the GPU's error beside ours");

        String dom = chromium(chromium, dir, "--dump-dom", html);
        assertTrue(dom.contains("<span id=\"passed\">" + passed + "</span>"), "passed count in the page");
        assertTrue(dom.contains("<span id=\"failed\">" + failed + "</span>"), "failed count in the page");
        assertTrue(dom.contains("<span id=\"not-checked\">" + notChecked + "</span>"), "not-checked count in the page");
        assertEquals(rows, count(dom, "<tr class=\"check "), "one table row per check");
        assertEquals(failed, count(dom, "<tr class=\"failure "), "the failures, listed at the top");
        assertTrue(dom.contains(ReportHtml.esc(sha)), "the sha256 line");
        String perturbedSection = dom.substring(dom.indexOf("scan-perturbed.safetensors</h2>"));
        String firstRow = perturbedSection.substring(perturbedSection.indexOf("<tr class=\"check "));
        firstRow = firstRow.substring(0, firstRow.indexOf("</tr>"));
        String firstRowText = firstRow.replaceAll("<[^>]+>", " ").trim().replaceAll("\\s+", " ");
        assertTrue(firstRow.startsWith("<tr class=\"check fail\">") && firstRowText.startsWith("FAIL s1 out ("), "worst first: " + firstRow);
        for (String row : new String[] {"backbone.vssm.patch_embed", "decode_head.up", "grad_delta_bias (fp32)", "#1/out0"})
            assertTrue(dom.contains(row), row);

        Path png = Path.of("target", "verify-report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(chromium, dir, "--screenshot=" + png, html);
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 20_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG screenshot");
    }

    static Optional<Path> chromium() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        return Optional.empty();
    }

    /** Runs headless Chromium on {@code page} with one extra flag; returns its standard output. */
    static String chromium(Path exe, Path dir, String flag, Path page) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"), "--window-size=1280,2000", flag, page.toUri().toString()));
        Path err = dir.resolve("chromium-stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out");
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        return out;
    }

    static long count(String s, String what) {
        long n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
