package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reads the golden selective-scan file written by the Python safetensors library. Expected
 * values (bit patterns, sums) were taken with numpy from the same file.
 */
class SafeTensorsGoldenTest {

    static Path golden(String name) {
        String dir = System.getProperty("jcipa.golden");
        Path p = dir != null ? Path.of(dir, name) : Path.of("..", "golden", name);
        if (!Files.exists(p)) p = Path.of("..", "golden", name);
        assertTrue(Files.exists(p), "golden file missing: " + p.toAbsolutePath());
        return p;
    }

    @Test
    void namesShapesAndMetadata() throws Exception {
        try (SafeTensors st = SafeTensors.open(golden("ops-selective-scan.safetensors"))) {
            assertEquals(96, st.names().size());
            assertEquals("s0/grad64_A", st.names().iterator().next(), "header order kept");
            assertTrue(st.has("s0/u"));
            assertFalse(st.has("s9/u"));
            SafeTensors.Entry u = st.entry("s0/u");
            assertEquals(StDType.F32, u.dtype());
            assertArrayEquals(new long[] {2, 32, 64}, u.shape());
            assertArrayEquals(new int[] {2, 32, 64}, st.shapeInt("s0/u"));
            assertEquals(2 * 32 * 64, u.numel());
            assertEquals(StDType.F32, st.entry("s3/A").dtype());
            assertArrayEquals(new long[] {24, 1}, st.entry("s3/A").shape());
            assertEquals(4540800, st.entry("s3/A").begin());
            assertEquals(StDType.F64, st.entry("s0/out64").dtype());

            JsonNode meta = new ObjectMapper().readTree(st.metadata().get("meta"));
            assertEquals(4, meta.get("cases").size());
            assertEquals(257, meta.get("cases").get(1).get("L").asInt());
        }
    }

    @Test
    void valuesMatchNumpy() throws Exception {
        try (SafeTensors st = SafeTensors.open(golden("ops-selective-scan.safetensors"))) {
            float[] u = st.floats("s0/u");
            assertEquals(0x3febd177, Float.floatToRawIntBits(u[0]));
            assertEquals(0xbfc83356, Float.floatToRawIntBits(u[u.length - 1]));
            double sum = 0;
            for (float x : u) sum += x;
            assertEquals(16.363174385704042, sum, 1e-9);

            // The fp32 CUDA output sits within 5e-6 of its fp64 twin (README: rel. error ~1e-7..7e-7).
            float[] out = st.floats("s0/out");
            double[] out64 = st.doubles("s0/out64");
            assertEquals(out.length, out64.length);
            double maxErr = 0;
            for (int i = 0; i < out.length; i++) maxErr = Math.max(maxErr, Math.abs(out[i] - out64[i]));
            assertTrue(maxErr < 5e-6, "max |out - out64| = " + maxErr);

            double[] wide = st.asDoubles("s0/u");
            for (int i = 0; i < u.length; i++) assertEquals((double) u[i], wide[i]);
        }
    }

    @Test
    void wrongAccessorsAndMissingNames() throws Exception {
        try (SafeTensors st = SafeTensors.open(golden("ops-selective-scan.safetensors"))) {
            var f64 = assertThrows(IllegalArgumentException.class, () -> st.floats("s0/out64"));
            assertTrue(f64.getMessage().contains("is F64, not F32"), f64.getMessage());
            var f32 = assertThrows(IllegalArgumentException.class, () -> st.doubles("s0/out"));
            assertTrue(f32.getMessage().contains("is F32, not F64"), f32.getMessage());
            var missing = assertThrows(IllegalArgumentException.class, () -> st.floats("s0/uu"));
            assertTrue(missing.getMessage().contains("no tensor named 's0/uu'"), missing.getMessage());
            assertTrue(missing.getMessage().contains("s0/u"), missing.getMessage());
        }
    }
}
