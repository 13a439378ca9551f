package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deterministic bytes, atomic no-clobber writes, argument checks. */
class SafeTensorsWriterTest {

    @TempDir
    Path dir;

    static SafeTensors.Writer sample() {
        float[] f = new float[1000];
        for (int i = 0; i < f.length; i++) f[i] = (float) Math.sin(i);
        return SafeTensors.writer()
                .metadata("format", "pt")
                .metadata("note", "µ")
                .put("layer.0.weight", f, 10, 100)
                .put("layer.0.bias", new double[] {1, 2, 3}, 3)
                .put("step", new long[] {12345})
                .put("mask", new byte[] {1, 0, 1, 1, 0}, 5);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void sameInputsGiveIdenticalBytes() throws Exception {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        sample().write(a);
        sample().write(b);
        assertEquals(sha256(a), sha256(b));
        SafeTensors.Writer w = sample();
        Path c = dir.resolve("c.safetensors");
        w.write(c);
        w.write(c, true); // the same writer twice
        assertEquals(sha256(a), sha256(c));
    }

    @Test
    void putCopiesItsArray() throws Exception {
        float[] data = {1, 2, 3};
        SafeTensors.Writer w = SafeTensors.writer().put("x", data, 3);
        data[0] = 99;
        Path p = dir.resolve("copy.safetensors");
        w.write(p);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertArrayEquals(new float[] {1, 2, 3}, st.floats("x"));
        }
    }

    @Test
    void refusesToOverwriteUnlessTold() throws Exception {
        Path p = dir.resolve("model.safetensors");
        Files.writeString(p, "precious");
        var e = assertThrows(FileAlreadyExistsException.class, () -> sample().write(p));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("precious", Files.readString(p));
        assertEquals(List.of(p), listing(), "no temporary file left behind");

        sample().write(p, true);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(4, st.names().size());
        }
        assertEquals(List.of(p), listing());
    }

    @Test
    void failedWriteLeavesNoFile() throws Exception {
        // The target is a non-empty folder: the final rename fails after the data was written.
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(java.io.IOException.class, () -> sample().write(target, true));
        assertEquals(List.of(target), listing(), "temporary file removed");
        assertEquals("x", Files.readString(target.resolve("inside")));
    }

    @Test
    void missingFolderIsAnError() {
        Path p = dir.resolve("no/such/folder/x.safetensors");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> sample().write(p));
    }

    @Test
    void badArgumentsAreRejected() {
        var w = SafeTensors.writer().put("a", new float[6], 2, 3);
        assertMessage(() -> w.put("a", new float[1]), "put twice");
        assertMessage(() -> w.put("__metadata__", new float[1]), "reserved");
        assertMessage(() -> w.put("b", new float[5], 2, 3), "shape [2, 3] has 6 elements but the data has 5");
        assertMessage(() -> w.put("c", new float[0], -1), "negative dimension");
        assertMessage(() -> w.put("d", new double[2]), "shape [] has 1 elements but the data has 2");
        assertMessage(() -> w.putRaw("e", StDType.F32, new byte[6], 1), "not a whole number of F32 elements");
        w.metadata("k", "v");
        assertMessage(() -> w.metadata("k", "w"), "given twice");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable ex, String part) {
        var e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private List<Path> listing() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
