package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a file written by the Python reference implementation (safetensors 0.8.0, see
 * make_reference_fixture.py next to it): jcipa reads every value the script put in, and its writer,
 * given the same tensors in the same order, writes the very same bytes.
 */
class SafeTensorsReferenceTest {

    static Path fixture() throws Exception {
        return Path.of(SafeTensorsReferenceTest.class.getResource("reference-all-dtypes.safetensors").toURI());
    }

    @Test
    void readsEveryDtypeWrittenByTheReference() throws Exception {
        try (SafeTensors st = SafeTensors.open(fixture())) {
            assertEquals(Map.of("made_by", "safetensors 0.8.0", "unicode", "µ→∑"), st.metadata());
            assertEquals(List.of("c_u64", "b_i64", "a_f64", "d_f32", "g_scalar_f32", "n_empty_f32", "f_u32", "e_i32",
                    "h_f16", "j_u16", "i_i16", "l_i8", "m_u8", "k_bool"), List.copyOf(st.names()));

            double[] f64 = st.doubles("a_f64");
            assertArrayEquals(new double[] {1.5, -0.0, 1e300, -2.25, 5e-324, 3.0}, f64);
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(f64[1]));
            assertArrayEquals(new long[] {2, 3}, st.entry("a_f64").shape());

            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, st.longs("b_i64"));
            assertArrayEquals(new long[] {0, 1, Long.MAX_VALUE}, st.longs("c_u64"));
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.4028235e38f, 1e-45f}, st.floats("d_f32"));
            assertArrayEquals(new int[] {2, 1, 2}, st.shapeInt("d_f32"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, st.longs("e_i32"));
            assertArrayEquals(new long[] {0, 4294967295L}, st.longs("f_u32"));

            assertEquals(0, st.entry("g_scalar_f32").rank());
            assertEquals(1, st.entry("g_scalar_f32").numel());
            assertArrayEquals(new float[] {0.1f}, st.floats("g_scalar_f32"));

            assertArrayEquals(new float[] {1.0f, -2.0f, 65504.0f, 0x1p-24f, Float.POSITIVE_INFINITY}, st.floats("h_f16"));
            assertArrayEquals(new double[] {1.0, -2.0, 65504.0, 0x1p-24, Double.POSITIVE_INFINITY}, st.asDoubles("h_f16"));
            assertArrayEquals(new long[] {-32768, 32767, -1}, st.longs("i_i16"));
            assertArrayEquals(new long[] {65535, 0, 1}, st.longs("j_u16"));
            assertArrayEquals(new byte[] {1, 0, 1}, st.bytes("k_bool"));
            assertArrayEquals(new long[] {1, 0, 1}, st.longs("k_bool"));
            assertArrayEquals(new byte[] {-128, 127, -1}, st.bytes("l_i8"));
            assertArrayEquals(new long[] {-128, 127, -1}, st.longs("l_i8"));
            assertArrayEquals(new byte[] {0, (byte) 255, (byte) 128, 7}, st.bytes("m_u8"));
            assertArrayEquals(new long[] {0, 255, 128, 7}, st.longs("m_u8"));

            assertEquals(0, st.entry("n_empty_f32").numel());
            assertArrayEquals(new float[0], st.floats("n_empty_f32"));
        }
    }

    @Test
    void writerReproducesTheReferenceBytes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("java.safetensors");
        SafeTensors.writer()
                .metadata("made_by", "safetensors 0.8.0")
                .metadata("unicode", "µ→∑")
                .putRaw("c_u64", StDType.U64, le64(0, 1, Long.MAX_VALUE), 3)
                .put("b_i64", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4)
                .put("a_f64", new double[] {1.5, -0.0, 1e300, -2.25, 5e-324, 3.0}, 2, 3)
                .put("d_f32", new float[] {1.0f, -2.5f, 3.4028235e38f, 1e-45f}, 2, 1, 2)
                .put("g_scalar_f32", new float[] {0.1f})
                .put("n_empty_f32", new float[0], 2, 0)
                .putRaw("f_u32", StDType.U32, le32(0, -1), 2)
                .put("e_i32", new int[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, 3)
                .putRaw("h_f16", StDType.F16, le16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00), 5)
                .putRaw("j_u16", StDType.U16, le16(0xFFFF, 0, 1), 3)
                .putRaw("i_i16", StDType.I16, le16(0x8000, 0x7FFF, 0xFFFF), 3)
                .putRaw("l_i8", StDType.I8, new byte[] {-128, 127, -1}, 3)
                .put("m_u8", new byte[] {0, (byte) 255, (byte) 128, 7}, 2, 2)
                .putRaw("k_bool", StDType.BOOL, new byte[] {1, 0, 1}, 3)
                .write(out);
        assertArrayEquals(Files.readAllBytes(fixture()), Files.readAllBytes(out));
    }

    static byte[] le64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] le32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }
}
