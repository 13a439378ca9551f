package jcipa.tensor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The checked-in PTX was compiled from the checked-in .cu (build-ptx.sh writes the source's SHA-256 on its first line). */
class PtxFreshnessTest {
    @Test
    void ptxMatchesTheCudaSource() throws Exception {
        Path cu = Path.of("src/main/cuda/jcipa_kernels.cu");
        assertTrue(Files.exists(cu), "run from the tensor module: " + cu.toAbsolutePath());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cu)));
        String first;
        try (InputStream in = jcipa.tensor.device.cuda.CudaException.class.getResourceAsStream("jcipa_kernels.ptx")) {
            assertNotNull(in, "jcipa_kernels.ptx is not on the class path");
            first = new String(in.readNBytes(200), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        }
        assertEquals("// source-sha256 " + sha, first, "the PTX is stale: run tensor/src/main/cuda/build-ptx.sh after editing the .cu");
    }
}
