package jcipa.tensor.kernels;

import static jcipa.tensor.ScanProblem.relativeError;
import static jcipa.tensor.ScanProblem.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcipa.tensor.ScanProblem;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;

/**
 * The selective scan against the GPU golden file (golden/ops-selective-scan.safetensors): every case
 * listed in its {@code meta.cases}. Our float32 kernel must be within 1e-5 of the exact (fp64) twins
 * relative to each tensor's max|value|, and our float64 reference within 1e-10. Prints our errors
 * next to those of the CUDA fp32 kernel.
 */
class SelectiveScanGoldenTest {

    /** Our result name, the golden fp32 name, the golden fp64 name. */
    private static final String[][] TENSORS = {
            {"y", "out", "out64"}, {"du", "grad_u", "grad64_u"}, {"dDelta", "grad_delta", "grad64_delta"},
            {"dA", "grad_A", "grad64_A"}, {"dB", "grad_B", "grad64_B"}, {"dC", "grad_C", "grad64_C"},
            {"dD", "grad_D", "grad64_D"}, {"dDeltaBias", "grad_delta_bias", "grad64_delta_bias"}};

    @Test
    void everyCaseMatchesTheExactTwins() throws Exception {
        List<String> failures = new ArrayList<>();
        StringBuilder bitsDigest = new StringBuilder();
        StringBuilder table = new StringBuilder(String.format("%-5s %-11s %12s %12s %12s%n",
                "case", "tensor", "ours fp32", "GPU fp32", "ours fp64"));
        try (SafeTensors st = SafeTensors.open(golden("ops-selective-scan.safetensors"))) {
            JsonNode cases = new ObjectMapper().readTree(st.metadata().get("meta")).get("cases");
            assertTrue(cases != null && cases.size() > 0, "no cases in meta");
            for (JsonNode c : cases) {
                String tag = c.get("tag").asText();
                int batch = c.get("batch").asInt(), groups = c.get("groups_K").asInt();
                int dg = c.get("channels_per_group").asInt(), L = c.get("L").asInt(), N = c.get("N").asInt();
                assertArrayEquals(new int[] {batch, groups * dg, L}, st.shapeInt(tag + "/u"), tag + "/u shape");
                assertArrayEquals(new int[] {batch, groups, N, L}, st.shapeInt(tag + "/B"), tag + "/B shape");
                ScanProblem p = new ScanProblem(batch, groups, dg, L, N,
                        toDouble(st.floats(tag + "/u")), toDouble(st.floats(tag + "/delta")),
                        toDouble(st.floats(tag + "/A")), toDouble(st.floats(tag + "/B")),
                        toDouble(st.floats(tag + "/C")), toDouble(st.floats(tag + "/D")),
                        toDouble(st.floats(tag + "/delta_bias")), toDouble(st.floats(tag + "/dout")));
                float[][] ours32 = SelectiveScanTest.kernelResults(p, Simd.ENABLED);
                double[][] ours64 = SelectiveScanTest.referenceResults(p);
                bitsDigest.append(tag).append(' ').append(digest(ours32)).append("  ");
                for (int i = 0; i < TENSORS.length; i++) {
                    double[] exact = st.doubles(tag + "/" + TENSORS[i][2]);
                    double e32 = relativeError(toDouble(ours32[i]), exact);
                    double eGpu = relativeError(toDouble(st.floats(tag + "/" + TENSORS[i][1])), exact);
                    double e64 = relativeError(ours64[i], exact);
                    table.append(String.format("%-5s %-11s %12.3e %12.3e %12.3e%n", tag, TENSORS[i][0], e32, eGpu, e64));
                    if (!(e32 <= 1e-5)) failures.add(tag + " " + TENSORS[i][0] + " fp32: " + e32);
                    if (!(e64 <= 1e-10)) failures.add(tag + " " + TENSORS[i][0] + " fp64: " + e64);
                }
            }
        }
        System.out.print(table);
        // compare across runs with -XX:MaxVectorSize=16/32/64, -Djcipa.simd=false, any thread count
        System.out.println("fp32 result bits (CRC32) with " + Simd.describe() + ": " + bitsDigest);
        assertTrue(failures.isEmpty(), "beyond tolerance: " + failures + "\n" + table);
    }

    private static String digest(float[][] results) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (float[] r : results) {
            for (float v : r) {
                int b = Float.floatToRawIntBits(v);
                crc.update(new byte[] {(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)});
            }
        }
        return Long.toHexString(crc.getValue());
    }

    static Path golden(String name) {
        String dir = System.getProperty("jcipa.golden");
        Path p = dir != null ? Path.of(dir, name) : Path.of("..", "golden", name);
        if (!Files.exists(p)) p = Path.of("..", "golden", name);
        assertTrue(Files.exists(p), "golden file missing: " + p.toAbsolutePath());
        return p;
    }
}
