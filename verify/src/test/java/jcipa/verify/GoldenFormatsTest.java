package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.model.CipaConfig;
import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cipa golden}'s two formats: the .npz holds exactly the safetensors file's tensors (read
 * back with an independent minimal npy reader, and with NumPy where this machine has it), the same
 * arguments give the same bytes, an existing file is never replaced without overwrite, and the
 * npz verifies like the safetensors file.
 */
class GoldenFormatsTest {
    static final CipaConfig CFG = new CipaConfig("fmt", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0);

    @TempDir static Path dir;
    static Path npz, npzAgain, st;
    static String shaNpz, shaNpzAgain, shaSt;

    @BeforeAll
    static void write() throws IOException {
        npz = dir.resolve("case.npz");
        npzAgain = dir.resolve("again.npz");
        st = dir.resolve("case.safetensors");
        shaNpz = GoldenWriter.write(CFG, options(TensorBundle.Format.NPZ, false), npz);
        shaNpzAgain = GoldenWriter.write(CFG, options(TensorBundle.Format.NPZ, false), npzAgain);
        shaSt = GoldenWriter.write(CFG, options(TensorBundle.Format.SAFETENSORS, false), st);
    }

    static GoldenWriter.Options options(TensorBundle.Format f, boolean overwrite) {
        return new GoldenWriter.Options(1, 3, true, false, f, overwrite);
    }

    @Test
    void sameArgumentsGiveTheSameBytesAndTheSameHash() throws IOException {
        assertArrayEquals(Files.readAllBytes(npz), Files.readAllBytes(npzAgain), "two npz writes with the same arguments differ");
        assertEquals(shaNpz, shaNpzAgain);
        assertEquals(shaNpz, shaSt);
        assertTrue(shaNpz.matches("[0-9a-f]{64}"));
    }

    @Test
    void npzHoldsTheSafetensorsTensorsBitForBit() throws IOException {
        Map<String, Object> z = MinimalNpyReader.readNpz(npz);
        try (SafeTensors s = SafeTensors.open(st)) {
            assertEquals(List.copyOf(s.names()), z.keySet().stream().filter(n -> !n.equals("__metadata__.json")).toList(), "names and order");
            assertEquals("__metadata__.json", z.keySet().iterator().next(), "metadata entry first");
            JsonNode meta = ModelGolden.JSON.readTree((byte[]) z.get("__metadata__.json"));
            assertEquals(s.metadata().get("meta"), meta.get("meta").asText());
            for (String n : s.names()) {
                MinimalNpyReader.Array a = (MinimalNpyReader.Array) z.get(n);
                assertArrayEquals(s.shapeInt(n), a.shape(), n);
                switch (s.entry(n).dtype()) {
                    case F32 -> assertArrayEquals(s.floats(n), a.floats(), n);
                    case F64 -> assertArrayEquals(s.doubles(n), a.doubles(), n);
                    case U8 -> assertArrayEquals(s.bytes(n), a.bytes(), n);
                    default -> throw new AssertionError(n + " " + s.entry(n).dtype());
                }
            }
            assertEquals(0, ((MinimalNpyReader.Array) z.get("out/loss")).shape().length, "the loss is a 0-d array");
            assertTrue(s.names().stream().anyMatch(n -> n.startsWith("act/backbone.vssm.patch_embed#1/")), "captures present");
        }
    }

    /** NumPy itself, where this machine has it: np.load reads every array with the bytes Java wrote. */
    @Test
    void numpyLoadsTheNpzWhereNumpyIsInstalled() throws Exception {
        if (!commandSucceeds("python3", "-c", "import numpy")) {
            System.out.println("python3 with numpy is not available here: checked with the Java npy reader only");
            return;
        }
        String script = String.join("\n",
                "import sys, json, hashlib, numpy as np",
                "z = np.load(sys.argv[1], allow_pickle=False)",
                "meta = json.loads(z['__metadata__.json'])",
                "print('META', json.loads(meta['meta'])['case'])",
                "for k in z.files:",
                "    if k.endswith('.json'): continue",
                "    a = z[k]",
                "    print(k, a.dtype.str, a.shape, hashlib.sha256(np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<')).tobytes()).hexdigest())");
        Process p = new ProcessBuilder("python3", "-c", script, npz.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("META fmt"), out);
        try (SafeTensors s = SafeTensors.open(st)) {
            for (String n : s.names()) {
                String descr = switch (s.entry(n).dtype()) { case F32 -> "<f4"; case F64 -> "<f8"; default -> "|u1"; };
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.rawBytes(n)));
                String shape = java.util.Arrays.toString(s.shapeInt(n)).replace('[', '(').replace(']', ')');
                if (s.shapeInt(n).length == 1) shape = shape.replace(")", ",)");
                String line = n + " " + descr + " " + shape + " " + hash;
                assertTrue(out.lines().anyMatch(line::equals), "numpy's view of " + n + " should be: " + line + "\n" + out.lines().limit(5).toList());
            }
        }
    }

    /**
     * Another implementation's tool chain often ends in {@code np.savez(out, **np.load(ours))}: the metadata entry
     * then becomes {@code __metadata__.json.npy}, a bytes scalar (dtype {@code |S<n>}, shape ()), and NumPy writes
     * its own header spacing. Built here byte for byte as NumPy 2 writes it; the file must still verify.
     */
    @Test
    void anNpzResavedByNumpyStillVerifies() throws IOException {
        Path resaved = dir.resolve("resaved.npz");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(npz));
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(resaved))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                String name = e.getName();
                if (name.equals(TensorBundle.NPZ_METADATA)) {
                    name += ".npy";
                    bytes = numpyBytesScalar(bytes);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write(bytes);
                out.closeEntry();
            }
        }
        Report r = Verifier.verify(resaved);
        assertEquals(0, r.count(Check.Status.FAIL), r.lines().toString());
        assertTrue(r.lines().contains("sha256 fmt " + shaNpz), r.lines().toString());
        try (TensorFile f = TensorFile.open(resaved)) {
            assertEquals(Map.copyOf(TensorFile.open(npz).metadata()), Map.copyOf(f.metadata()));
        }
        if (commandSucceeds("python3", "-c", "import numpy")) {
            Path viaNumpy = dir.resolve("via-numpy.npz");
            String script = "import sys, numpy as np; z = np.load(sys.argv[1]); np.savez(sys.argv[2], **{k: z[k] for k in z.files})";
            assertTrue(commandSucceeds("python3", "-c", script, npz.toString(), viaNumpy.toString()));
            Report n = Verifier.verify(viaNumpy);
            assertEquals(0, n.count(Check.Status.FAIL), n.lines().toString());
            assertTrue(n.lines().contains("sha256 fmt " + shaNpz), n.lines().toString());
        }
    }

    /** A zip bomb (an entry that inflates far beyond what may be held) is refused by name before it is held. */
    @Test
    void anEntryInflatingBeyondTheBudgetIsRefusedByName() throws IOException {
        Path bomb = dir.resolve("bomb.npz");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new java.util.zip.ZipEntry("act/x.npy"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++) out.write(zeros);              // 8 MiB of zeros: a few KiB deflated
            out.closeEntry();
        }
        assertTrue(Files.size(bomb) < 100_000, "the archive is small: " + Files.size(bomb));
        IOException e = assertThrows(IOException.class, () -> NpzFile.read(bomb, 1 << 20));
        assertTrue(e.getMessage().contains("act/x.npy") && e.getMessage().contains("inflates to more than 1048576 bytes"), e.getMessage());
    }

    /** A .npy of one bytes scalar as NumPy 2 writes it: header dict with NumPy's spacing, padded to 64 bytes. */
    static byte[] numpyBytesScalar(byte[] text) {
        String dict = "{'descr': '|S" + text.length + "', 'fortran_order': False, 'shape': (), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + text.length];
        System.arraycopy(Npy.MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[8] = (byte) h.length;
        out[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(text, 0, out, 10 + h.length, text.length);
        return out;
    }

    @Test
    void theNpzVerifiesLikeTheSafetensorsFile() {
        for (Path f : new Path[] {npz, st}) {
            Report r = Verifier.verify(f);
            assertEquals(0, r.count(Check.Status.FAIL), f.toString());
            assertEquals(0, r.count(Check.Status.NOT_CHECKED), f.toString());
            assertTrue(r.count(Check.Status.PASS) > 40, "logits, loss and every capture: " + r.count(Check.Status.PASS));
            assertTrue(r.lines().contains("sha256 fmt " + shaNpz), r.lines().toString());
        }
    }

    @Test
    void anExistingFileIsNeverReplacedWithoutOverwrite() throws IOException {
        Path f = dir.resolve("existing.npz");
        Files.writeString(f, "keep me");
        for (TensorBundle.Format fmt : TensorBundle.Format.values())
            assertThrows(FileAlreadyExistsException.class, () -> GoldenWriter.write(CFG, options(fmt, false), f));
        assertEquals("keep me", Files.readString(f));
        assertNoTemporaryFiles();
    }

    /** A write that fails half way leaves neither the target nor a temporary file. */
    @Test
    void aFailedWriteLeavesNothing() throws IOException {
        Path f = dir.resolve("broken.npz");
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(f, false, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertFalse(Files.exists(f));
        assertNoTemporaryFiles();
        Path g = dir.resolve("replaced.bin");
        Files.writeString(g, "old");
        assertThrows(IOException.class, () -> AtomicWrite.write(g, true, out -> { out.write(1); throw new IOException("boom"); }));
        assertEquals("old", Files.readString(g), "overwrite keeps the old file when the new one fails");
        AtomicWrite.write(g, true, out -> out.write("new".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("new", Files.readString(g));
        assertNoTemporaryFiles();
    }

    static void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporary files left: " + tmp);
        }
    }

    static boolean commandSucceeds(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
