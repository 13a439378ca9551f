package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer then reader: every dtype, scalars, empty tensors, metadata, alignment, narrow floats. */
class SafeTensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyWriterTypeRoundTripsBitExactly() throws Exception {
        float[] f = {1f, -0f, Float.NaN, Float.intBitsToFloat(0x7fc00123), Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        double[] d = {1.0 / 3, -0.0, Double.longBitsToDouble(0x7ff8000000000abcL), Double.MIN_VALUE, -Double.MAX_VALUE, 2};
        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 42};
        int[] i = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
        byte[] u8 = {0, 1, (byte) 127, (byte) 128, (byte) 255};
        Path p = dir.resolve("all.safetensors");
        SafeTensors.writer()
                .put("u8", u8, 5)
                .put("f32", f, 7)
                .put("i32", i, 2, 2)
                .put("f64", d, 3, 2)
                .put("i64", l, 1, 6, 1)
                .write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(List.of("u8", "f32", "i32", "f64", "i64"), List.copyOf(st.names()), "insertion order");
            float[] f2 = st.floats("f32");
            for (int k = 0; k < f.length; k++) assertEquals(Float.floatToRawIntBits(f[k]), Float.floatToRawIntBits(f2[k]));
            double[] d2 = st.doubles("f64");
            for (int k = 0; k < d.length; k++) assertEquals(Double.doubleToRawLongBits(d[k]), Double.doubleToRawLongBits(d2[k]));
            assertArrayEquals(l, st.longs("i64"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, st.longs("i32"));
            assertArrayEquals(u8, st.bytes("u8"));
            assertEquals(StDType.U8, st.entry("u8").dtype());
            assertEquals(StDType.I32, st.entry("i32").dtype());
            assertEquals(StDType.I64, st.entry("i64").dtype());
            assertArrayEquals(new long[] {3, 2}, st.entry("f64").shape());
            assertArrayEquals(new long[] {1, 6, 1}, st.entry("i64").shape());
            assertTrue(st.metadata().isEmpty());
        }
        assertFalse(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains("__metadata__"),
                "no metadata, no __metadata__ key");
    }

    @Test
    void rawDtypesRoundTrip() throws Exception {
        Path p = dir.resolve("raw.safetensors");
        SafeTensors.Writer w = SafeTensors.writer();
        Random r = new Random(7);
        Map<StDType, byte[]> raw = new LinkedHashMap<>();
        for (StDType t : StDType.values()) {
            byte[] b = new byte[3 * t.byteSize()];
            r.nextBytes(b);
            if (t == StDType.U64) for (int k = 7; k < b.length; k += 8) b[k] &= 0x7f; // keep longs() legal
            raw.put(t, b);
            w.putRaw("t_" + t, t, b, 3);
        }
        w.write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            for (StDType t : StDType.values()) {
                SafeTensors.Entry e = st.entry("t_" + t);
                assertEquals(t, e.dtype());
                assertArrayEquals(raw.get(t), st.rawBytes("t_" + t), t.name());
                if (t.isInteger()) assertEquals(3, st.longs("t_" + t).length);
                if (t.isFloatingPoint() && t != StDType.F64) assertEquals(3, st.floats("t_" + t).length);
                if (t.isFloatingPoint()) assertEquals(3, st.asDoubles("t_" + t).length);
            }
        }
    }

    @Test
    void scalarsAndEmptyTensors() throws Exception {
        Path p = dir.resolve("small.safetensors");
        SafeTensors.writer()
                .put("scalar", new double[] {Math.PI})
                .put("empty", new float[0], 0)
                .put("empty2d", new long[0], 4, 0)
                .put("scalar_u8", new byte[] {9})
                .write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertArrayEquals(new long[0], st.entry("scalar").shape());
            assertArrayEquals(new int[0], st.shapeInt("scalar"));
            assertArrayEquals(new double[] {Math.PI}, st.doubles("scalar"));
            assertArrayEquals(new float[0], st.floats("empty"));
            assertArrayEquals(new long[] {4, 0}, st.entry("empty2d").shape());
            assertArrayEquals(new long[0], st.longs("empty2d"));
            assertArrayEquals(new byte[] {9}, st.bytes("scalar_u8"));
        }
    }

    @Test
    void emptyFileRoundTrips() throws Exception {
        Path p = dir.resolve("nothing.safetensors");
        SafeTensors.writer().write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertTrue(st.names().isEmpty());
            assertTrue(st.metadata().isEmpty());
            var e = assertThrows(IllegalArgumentException.class, () -> st.entry("x"));
            assertTrue(e.getMessage().contains("the file has no tensors"), e.getMessage());
        }
    }

    @Test
    void metadataRoundTripsInOrder() throws Exception {
        Path p = dir.resolve("meta.safetensors");
        SafeTensors.writer()
                .metadata("zeta", "1")
                .metadata("alpha", "{\"json\": [1, 2]}")
                .metadata("unicode \"quoted\"", "µ→∑ \n\t\u0000 end")
                .metadata("empty", "")
                .put("x", new float[] {1, 2}, 2)
                .write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(List.of("zeta", "alpha", "unicode \"quoted\"", "empty"), List.copyOf(st.metadata().keySet()));
            assertEquals("{\"json\": [1, 2]}", st.metadata().get("alpha"));
            assertEquals("µ→∑ \n\t\u0000 end", st.metadata().get("unicode \"quoted\""));
            assertEquals("", st.metadata().get("empty"));
        }
    }

    @Test
    void headerIsPaddedAndEveryTensorAlignedAndContiguous() throws Exception {
        Path p = dir.resolve("align.safetensors");
        SafeTensors.writer()
                .put("odd_u8", new byte[3], 3)
                .put("f32", new float[5], 5)
                .put("f64", new double[1], 1)
                .putRaw("f16", StDType.F16, new byte[6], 3)
                .put("i64", new long[2], 2)
                .write(p);
        byte[] all = Files.readAllBytes(p);
        long n = java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length multiple of 8");
        assertEquals(' ', all[(int) (8 + n - 1)], "padded with spaces");
        try (SafeTensors st = SafeTensors.open(p)) {
            long covered = 0;
            for (String name : st.names()) {
                SafeTensors.Entry e = st.entry(name);
                assertEquals(0, (8 + n + e.begin()) % e.dtype().byteSize(), name + " aligned in the file");
                covered += e.byteLength();
            }
            assertEquals(all.length - 8 - n, covered, "no gaps, no slack");
        }
    }

    @Test
    void narrowFloatsWidenToTheirDefinedValues() throws Exception {
        // Values from the format definitions (IEEE binary16; bfloat16 = top half of binary32;
        // OCP FP8 e4m3fn bias 7 max 448, e5m2 bias 15 max 57344).
        Path p = dir.resolve("narrow.safetensors");
        SafeTensors.writer()
                .putRaw("bf16", StDType.BF16, SafeTensorsReferenceTest.le16(0x3F80, 0xC040, 0x7F80, 0x0001, 0x8000), 5)
                .putRaw("e4m3", StDType.F8_E4M3, new byte[] {0x38, (byte) 0xB8, 0x7E, 0x08, 0x01, 0x7F, (byte) 0x80, 0x0F}, 8)
                .putRaw("e5m2", StDType.F8_E5M2, new byte[] {0x3C, 0x7B, 0x7C, 0x01, (byte) 0xFC, 0x7F, 0x04}, 7)
                .write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            float[] bf = st.floats("bf16");
            assertArrayEquals(new float[] {1f, -3f, Float.POSITIVE_INFINITY, 0x1p-133f, -0f}, bf);
            assertEquals(0x80000000, Float.floatToRawIntBits(bf[4]));
            float[] e4 = st.floats("e4m3");
            assertArrayEquals(new float[] {1f, -1f, 448f, 0x1p-6f, 0x1p-9f, Float.NaN, -0f, 0x1.ep-6f}, e4);
            assertEquals(0x80000000, Float.floatToRawIntBits(e4[6]));
            assertArrayEquals(new float[] {1f, 57344f, Float.POSITIVE_INFINITY, 0x1p-16f, Float.NEGATIVE_INFINITY, Float.NaN, 0x1p-14f},
                    st.floats("e5m2"));
        }
    }

    /** Random shapes and dtypes: what is written is what is read, in order. */
    @Property(tries = 60)
    void randomTensorsRoundTrip(@ForAll @IntRange(min = 0, max = 8) int count, @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path tmp = Files.createTempDirectory("jcipa-st-prop"); // jqwik has no @TempDir
        Path p = tmp.resolve("prop.safetensors");
        try {
            roundTrip(r, count, p);
        } finally {
            Files.deleteIfExists(p);
            Files.delete(tmp);
        }
    }

    private static void roundTrip(Random r, int count, Path p) throws Exception {
        SafeTensors.Writer w = SafeTensors.writer();
        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            int rank = r.nextInt(4);
            long[] shape = new long[rank];
            int numel = 1;
            for (int a = 0; a < rank; a++) {
                shape[a] = r.nextInt(6); // includes 0: empty tensors
                numel *= (int) shape[a];
            }
            String name = "t" + k + "/" + r.nextInt(1000);
            shapes.put(name, shape);
            switch (r.nextInt(5)) {
                case 0 -> { float[] a = new float[numel]; for (int q = 0; q < numel; q++) a[q] = Float.intBitsToFloat(r.nextInt()); w.put(name, a, shape); expected.put(name, a); }
                case 1 -> { double[] a = new double[numel]; for (int q = 0; q < numel; q++) a[q] = Double.longBitsToDouble(r.nextLong()); w.put(name, a, shape); expected.put(name, a); }
                case 2 -> { long[] a = new long[numel]; for (int q = 0; q < numel; q++) a[q] = r.nextLong(); w.put(name, a, shape); expected.put(name, a); }
                case 3 -> { int[] a = new int[numel]; for (int q = 0; q < numel; q++) a[q] = r.nextInt(); w.put(name, a, shape); expected.put(name, a); }
                default -> { byte[] a = new byte[numel]; r.nextBytes(a); w.put(name, a, shape); expected.put(name, a); }
            }
        }
        w.write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(st.names()));
            for (var kv : expected.entrySet()) {
                String name = kv.getKey();
                assertArrayEquals(shapes.get(name), st.entry(name).shape());
                switch (kv.getValue()) {
                    case float[] a -> {
                        float[] b = st.floats(name);
                        for (int q = 0; q < a.length; q++) assertEquals(Float.floatToRawIntBits(a[q]), Float.floatToRawIntBits(b[q]));
                    }
                    case double[] a -> {
                        double[] b = st.doubles(name);
                        for (int q = 0; q < a.length; q++) assertEquals(Double.doubleToRawLongBits(a[q]), Double.doubleToRawLongBits(b[q]));
                    }
                    case long[] a -> assertArrayEquals(a, st.longs(name));
                    case int[] a -> {
                        long[] b = st.longs(name);
                        for (int q = 0; q < a.length; q++) assertEquals(a[q], b[q]);
                    }
                    case byte[] a -> assertArrayEquals(a, st.bytes(name));
                    default -> fail();
                }
            }
        }
    }
}
