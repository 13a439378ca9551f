package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The {@code sha256} line of {@code cipa verify} (the hash of our logits' bytes) is the same with
 * --threads 1 and 2, with 128-bit vectors, and with the scalar path: each run is a forked JVM.
 */
class VerifyReproducibilityTest {

    static String shaLine(List<String> jvmFlags, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jcipa.cli.Main", "verify"));
        cmd.addAll(List.of(args));
        cmd.add(ScanGoldenTest.golden("cipa-mini.safetensors").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "verify timed out");
        assertEquals(0, p.exitValue(), "verify failed for " + jvmFlags + " " + List.of(args) + ":\n" + out);
        return out.lines().filter(l -> l.startsWith("sha256 ")).findFirst().orElseThrow(() -> new AssertionError("no sha256 line in\n" + out));
    }

    @Test
    void logitsHashIsTheSameForThreadsVectorWidthAndScalarPath() throws Exception {
        String one = shaLine(List.of(), "--threads", "1");
        assertEquals(one, shaLine(List.of(), "--threads", "2"));
        assertEquals(one, shaLine(List.of("-XX:MaxVectorSize=16"), "--threads", "2"));
        assertEquals(one, shaLine(List.of("-Djcipa.simd=false"), "--threads", "2"));
        System.out.println(one);
    }
}
