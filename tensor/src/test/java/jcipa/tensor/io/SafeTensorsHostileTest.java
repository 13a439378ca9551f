package jcipa.tensor.io;

import static jcipa.tensor.io.RawFiles.le;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile files: each is refused on open with a SafeTensorsFormatException whose
 * message names the file and the problem. Files are built byte by byte (RawFiles), not by the writer.
 */
class SafeTensorsHostileTest {

    @TempDir
    Path dir;

    private Path file(String json, byte[] data) throws IOException {
        return RawFiles.write(dir.resolve("t.safetensors"), json, data);
    }

    /** Opens {@code p}, expects refusal, and checks the message names the file and holds {@code part}. */
    private static SafeTensorsFormatException refused(Path p, String part) {
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.open(p).close());
        assertEquals(p, e.file());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.problem().contains(part), "expected '" + part + "' in: " + e.problem());
        return e;
    }

    private static final String ONE_F32 = "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void validBaselineOpens() throws Exception {
        Path p = file("{" + ONE_F32 + "}", le(1f, 2f));
        try (SafeTensors st = SafeTensors.open(p)) {
            assertArrayEquals(new float[] {1, 2}, st.floats("x"));
        }
    }

    @Test
    void emptyFile() throws Exception {
        Path p = Files.write(dir.resolve("empty"), new byte[0]);
        refused(p, "file is 0 bytes, shorter than the 8-byte header length");
    }

    @Test
    void shorterThanEightBytes() throws Exception {
        Path p = Files.write(dir.resolve("short"), new byte[] {2, 0, 0});
        refused(p, "file is 3 bytes, shorter than the 8-byte header length");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Path p = Files.write(dir.resolve("junk"), junk);
        refused(p, "header length");
    }

    @Test
    void randomBytesAfterAPlausibleLength() throws Exception {
        byte[] junk = new byte[200];
        new Random(2).nextBytes(junk);
        Path p = RawFiles.write(dir.resolve("junk2"), 200, junk, new byte[0]);
        refused(p, "not valid UTF-8");
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        byte[] h = ("{" + ONE_F32 + "}").getBytes(StandardCharsets.UTF_8);
        Path p = RawFiles.write(dir.resolve("t"), h.length + 100, h, le(1f, 2f));
        refused(p, "header length " + (h.length + 100) + " exceeds the file");
    }

    @Test
    void absurdHeaderLength() throws Exception {
        Path p = RawFiles.write(dir.resolve("t"), 200L * 1024 * 1024, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        refused(p, "header length 209715200 is absurd");
        Path q = RawFiles.write(dir.resolve("u"), -1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        refused(q, "header length 18446744073709551615 is absurd");
    }

    @Test
    void truncatedInsideTheData() throws Exception {
        Path p = file("{" + ONE_F32 + "}", le(1f, 2f));
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, all.length - 3));
        refused(p, "data_offsets [0, 8] end beyond the data buffer of 5 bytes");
    }

    @Test
    void truncatedInsideTheHeader() throws Exception {
        Path p = file("{" + ONE_F32 + "}", le(1f, 2f));
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, 20));
        refused(p, "exceeds the file (20 bytes, 12 after the length field)");
    }

    @Test
    void overlappingOffsets() throws Exception {
        Path p = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", le(1f, 2f, 3f));
        refused(p, "tensors 'a' [0, 8) and 'b' [4, 12) overlap");
    }

    @Test
    void identicalRangesOverlap() throws Exception {
        Path p = file("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}", new byte[4]);
        refused(p, "overlap");
    }

    @Test
    void gapsAndZeroLengthTensorsAreAccepted() throws Exception {
        // Documented leniency: gaps and slack are fine, an empty tensor occupies no bytes.
        Path p = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[9,9]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", le(5f, 0f, 7f, 0f));
        try (SafeTensors st = SafeTensors.open(p)) {
            assertArrayEquals(new float[] {7f}, st.floats("a"));
            assertArrayEquals(new float[] {5f}, st.floats("b"));
            assertArrayEquals(new float[0], st.floats("e"));
        }
    }

    @Test
    void outOfRangeOffsets() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", le(1f, 2f));
        refused(p, "data_offsets [8, 16] end beyond the data buffer of 8 bytes");
    }

    @Test
    void offsetsBeginAfterEnd() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", le(1f, 2f));
        refused(p, "data_offsets [8, 0] need 0 <= begin <= end");
    }

    @Test
    void offsetsNotAPair() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", le(1f, 2f));
        refused(p, "data_offsets [0, 4, 8] is not [begin, end]");
    }

    @Test
    void offsetBeyondSignedLong() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551615]}}", le(1f, 2f));
        refused(p, "data_offsets [0,18446744073709551615] holds something other than a 64-bit integer");
    }

    @Test
    void wrongByteCount() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(1f, 2f));
        refused(p, "data_offsets [0, 8] span 8 bytes but shape [3] of F32 needs 12");
    }

    @Test
    void badJson() throws Exception {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", le(1f, 2f));
        refused(p, "header is not valid JSON");
    }

    @Test
    void notJsonAtAll() throws Exception {
        refused(file("hello world", new byte[0]), "header is not valid JSON");
    }

    @Test
    void headerNotAnObject() throws Exception {
        refused(file("[1, 2, 3]", new byte[0]), "header is not a JSON object");
    }

    @Test
    void emptyHeader() throws Exception {
        refused(file("", new byte[0]), "header is not a JSON object");
    }

    @Test
    void contentAfterTheObject() throws Exception {
        refused(file("{} {}", new byte[0]), "header has content after its JSON object");
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] h = "{\"\u00e9\":1}".getBytes(StandardCharsets.UTF_8);
        h[2] = (byte) 0xC3;
        h[3] = (byte) 0x28; // a lead byte followed by a non-continuation byte
        Path p = RawFiles.write(dir.resolve("t"), h.length, h, new byte[0]);
        refused(p, "header is not valid UTF-8");
    }

    @Test
    void unknownDtype() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", new byte[16]),
                "tensor 'x': unknown dtype 'F128'");
        refused(file("{\"x\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'x': unknown dtype 'f32'");
    }

    @Test
    void negativeShape() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,0]}}", new byte[0]),
                "tensor 'x': shape [2,-1] holds a negative value");
    }

    @Test
    void fractionalShape() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'x': shape [1.5] holds something other than a 64-bit integer");
    }

    @Test
    void hugeShapeOverflowsNumel() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4]),
                "shape [4294967296, 4294967296] has more than 2^63 elements");
    }

    @Test
    void hugeShapeOverflowsBytes() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", new byte[8]),
                "shape [4611686018427387904] of F64 needs more than 2^63 bytes");
    }

    @Test
    void hugeShapeWithinLongButNotInTheFile() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}", new byte[4]),
                "end beyond the data buffer of 4 bytes");
    }

    @Test
    void duplicateNames() throws Exception {
        refused(file("{" + ONE_F32 + "," + ONE_F32 + "}", le(1f, 2f)), "duplicate tensor name 'x'");
    }

    @Test
    void duplicateFieldInsideAnEntry() throws Exception {
        refused(file("{\"x\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", le(1f, 2f)),
                "not valid JSON");
    }

    @Test
    void missingAndUnknownFields() throws Exception {
        refused(file("{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}", le(1f, 2f)), "tensor 'x' has no dtype");
        refused(file("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", le(1f, 2f)), "tensor 'x' has no shape");
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", le(1f, 2f)), "tensor 'x' has no data_offsets");
        refused(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"strides\":[1]}}", le(1f, 2f)),
                "tensor 'x' has unknown field 'strides'");
        refused(file("{\"x\":[1,2]}", le(1f, 2f)), "tensor 'x' is not a JSON object");
    }

    @Test
    void badMetadata() throws Exception {
        refused(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ value of 'k' is not a string");
        refused(file("{\"__metadata__\":[\"k\"]}", new byte[0]), "__metadata__ is not a JSON object");
        refused(file("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]), "duplicate __metadata__");
    }

    @Test
    void duplicateMetadataKey() throws Exception {
        refused(file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", new byte[0]), "not valid JSON: Duplicate field 'k'");
    }

    @Test
    void deeplyNestedHeader() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        refused(file("{\"x\":" + deep + "}", new byte[0]), "not valid JSON");
    }

    @Test
    void readsAfterCloseFail() throws Exception {
        Path p = file("{" + ONE_F32 + "}", le(1f, 2f));
        SafeTensors st = SafeTensors.open(p);
        st.close();
        assertThrows(IllegalStateException.class, () -> st.floats("x"));
    }

    /**
     * Corrupting single bytes of a valid file never yields anything but a clean refusal or a file
     * whose every tensor reads within bounds.
     */
    @Test
    void corruptedFilesFailCleanly() throws Exception {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.writer().metadata("m", "v").put("a", new float[] {1, 2, 3}, 3).put("b", new long[] {7}, 1)
                .put("c", new byte[] {1, 2}, 2).write(good);
        byte[] base = Files.readAllBytes(good);
        Random r = new Random(3);
        int refusedCount = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] b = base.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            Path p = Files.write(dir.resolve("c" + trial), b);
            try (SafeTensors st = SafeTensors.open(p)) {
                for (String n : st.names()) {
                    SafeTensors.Entry e = st.entry(n);
                    assertEquals(e.byteLength(), st.rawBytes(n).length);
                    if (e.dtype().isFloatingPoint()) st.asDoubles(n);
                    else if (e.dtype() != StDType.U64) st.longs(n);
                }
            } catch (SafeTensorsFormatException expected) {
                refusedCount++;
            }
            Files.delete(p);
        }
        assertTrue(refusedCount > 50, "most corruptions are caught: " + refusedCount);
    }
}
