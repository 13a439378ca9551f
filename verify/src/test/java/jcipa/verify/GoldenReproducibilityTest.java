package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducibility matrix: {@code cipa golden} for one small custom case (dims 32, depths
 * 1,1,1,1, decoder depths 1,1,1,1, 128×128, batch 1, seed 1), each run in its own JVM, with 1, 2
 * and 4 threads, 128-, 256- and 512-bit vectors, and the scalar path. Every run must print the
 * same logits hash and write the same bytes, and the logits hash is pinned: a change anywhere
 * that moves a single output bit fails here.
 */
class GoldenReproducibilityTest {

    /**
     * sha256 of the float32 logits' little-endian bytes for the case above. If a change is meant
     * to alter the numbers, update this value and say so, with the reason, in the commit message.
     */
    static final String PINNED_LOGITS_SHA256 = "c873f4c87369e8d8ec4482a6174aed7e44d5faddba308e1e229ef0cd7a9d2525";

    static final String[] CASE = {"golden", "--config", "custom", "--name", "matrix", "--dims", "32", "--depths", "1,1,1,1",
            "--decoder-depths", "1,1,1,1", "--size", "128", "--batch", "1", "--seed", "1"};

    record Run(String logitsSha, String fileSha, double seconds) {}

    static Run golden(Path out, List<String> jvmFlags, int threads) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jcipa.cli.Main", "--threads", Integer.toString(threads)));
        cmd.addAll(List.of(CASE));
        cmd.addAll(List.of("--out", out.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "cipa golden timed out");
        assertEquals(0, p.exitValue(), "cipa golden failed for " + jvmFlags + " threads " + threads + ":\n" + text);
        String line = text.lines().filter(l -> l.startsWith("sha256 matrix ")).findFirst()
                .orElseThrow(() -> new AssertionError("no sha256 line in\n" + text));
        String file = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
        return new Run(line.substring("sha256 matrix ".length()), file, (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void logitsAreTheSameBitsForEveryThreadCountVectorWidthAndTheScalarPath(@TempDir Path dir) throws Exception {
        Map<String, Run> runs = new LinkedHashMap<>();
        runs.put("threads 1", golden(dir.resolve("t1.safetensors"), List.of(), 1));
        runs.put("threads 2", golden(dir.resolve("t2.safetensors"), List.of(), 2));
        runs.put("threads 4", golden(dir.resolve("t4.safetensors"), List.of(), 4));
        for (int bytes : new int[] {16, 32, 64})
            runs.put("MaxVectorSize=" + bytes + ", threads 2", golden(dir.resolve("v" + bytes + ".safetensors"), List.of("-XX:MaxVectorSize=" + bytes), 2));
        runs.put("jcipa.simd=false, threads 2", golden(dir.resolve("scalar.safetensors"), List.of("-Djcipa.simd=false"), 2));
        runs.forEach((k, r) -> System.out.printf("%-30s logits %s  file %s  %.1f s%n", k, r.logitsSha(), r.fileSha(), r.seconds()));

        Run first = runs.values().iterator().next();
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            assertEquals(first.logitsSha(), e.getValue().logitsSha(), "logits differ between threads 1 and " + e.getKey());
            assertEquals(first.fileSha(), e.getValue().fileSha(), "golden file bytes differ between threads 1 and " + e.getKey());
        }
        assertEquals(PINNED_LOGITS_SHA256, first.logitsSha(),
                "The logits of the pinned case (cipa " + String.join(" ", CASE) + ") changed: some change moved at least one output bit. "
                        + "If that is intended, set PINNED_LOGITS_SHA256 in GoldenReproducibilityTest to the new value and explain the change in the commit message.");
    }
}
