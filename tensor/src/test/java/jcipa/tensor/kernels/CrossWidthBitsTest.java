package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dense kernels give the same bits with 4-, 8- and 16-lane vectors and with SIMD off: the same
 * digest ({@link DenseBitsDigest}) from child JVMs started with each setting (and threads 1 or 3).
 */
class CrossWidthBitsTest {

    @Test
    void sameBitsForEveryVectorWidthAndTheScalarPath() throws IOException, InterruptedException {
        String[][] settings = {
            {"-XX:MaxVectorSize=16", "-Djcipa.threads=1"},
            {"-XX:MaxVectorSize=32", "-Djcipa.threads=3"},
            {"-XX:MaxVectorSize=64", "-Djcipa.threads=2"},
            {"-Djcipa.simd=false", "-Djcipa.threads=3"},
        };
        String here = "digest " + Long.toHexString(DenseBitsDigest.digest());
        List<String> seen = new ArrayList<>();
        for (String[] flags : settings) {
            String out = run(flags);
            seen.add(out);
            assertTrue(out.startsWith(here), () -> "digest differs with " + String.join(" ", flags) + ": " + out + " vs " + here);
        }
        assertEquals(settings.length, seen.size());
    }

    private static String run(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DenseBitsDigest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> l.startsWith("digest ")).findFirst().orElse(out);
    }
}
