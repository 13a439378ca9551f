package jcipa.tensor.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Bit identity across machines' degrees of freedom: the {@link Fingerprint} of every kernel is
 * the same with 1, 2 and 4 threads, with 128-bit and 256-bit vectors and the JVM's default width,
 * and with the vector path switched off. Each configuration runs in a forked JVM.
 */
class BitIdentityTest {

    static List<String> fingerprint(String... jvmFlags) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Fingerprint.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "fingerprint JVM timed out");
        assertEquals(0, p.exitValue(), "fingerprint JVM failed for " + List.of(jvmFlags) + ":\n" + out);
        List<String> lines = new ArrayList<>();
        String header = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("#")) header = line;
            else if (!line.isBlank()) lines.add(line);
        }
        System.out.println(List.of(jvmFlags) + " -> " + header);
        return lines;
    }

    @Test
    void sameBitsForEveryThreadCountVectorWidthAndTheScalarPath() throws Exception {
        List<String> base = fingerprint("-Djcipa.threads=1");
        assertTrue(base.size() >= 5, "expected a line per case, got " + base);
        String[][] configs = {
            {"-Djcipa.threads=2"},
            {"-Djcipa.threads=4"},
            {"-XX:MaxVectorSize=16", "-Djcipa.threads=2"},
            {"-XX:MaxVectorSize=32", "-Djcipa.threads=3"},
            {"-Djcipa.simd=false", "-Djcipa.threads=2"},
        };
        for (String[] c : configs) assertEquals(base, fingerprint(c), "fingerprints differ for " + List.of(c));
    }
}
