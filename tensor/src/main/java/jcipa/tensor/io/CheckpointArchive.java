package jcipa.tensor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip container of torch.save: {@code <archive>/data.pkl}, {@code <archive>/data/<key>} per
 * storage, {@code <archive>/byteorder}. Sizes come from the central directory and are checked
 * against the file before anything is read; reads grow their buffer only as bytes arrive, so a
 * false size cannot make us allocate.
 */
final class CheckpointArchive implements AutoCloseable {
    /** Largest data.pkl accepted. */
    static final long MAX_PICKLE_BYTES = 1L << 30;

    private final Path file;
    private final ZipFile zip;
    private final long fileSize;
    private final String prefix;
    private final Map<String, PickledStorage> storages = new HashMap<>();

    private CheckpointArchive(Path file, ZipFile zip, long fileSize, String prefix) {
        this.file = file;
        this.zip = zip;
        this.fileSize = fileSize;
        this.prefix = prefix;
    }

    static CheckpointArchive open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new TorchCheckpointException(file, "no such file, or not a regular file");
        long size = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TorchCheckpointException(file, notAZip(file) + " (" + e.getMessage() + ")", e);
        }
        try {
            String prefix = findPrefix(file, zip);
            CheckpointArchive a = new CheckpointArchive(file, zip, size, prefix);
            a.checkByteOrder();
            return a;
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The record name prefix, e.g. {@code "cipa-mini-checkpoint/"}. */
    String prefix() {
        return prefix;
    }

    byte[] readPickle() throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data.pkl");
        return read(e, checkedSize(e, MAX_PICKLE_BYTES), "data.pkl");
    }

    /** The resolver the unpickler checks persistent ids with: the record exists and has exactly numel · itemSize bytes. */
    CheckpointGlobals.StorageResolver resolver() {
        return (key, type, numel) -> {
            PickledStorage seen = storages.get(key);
            if (seen != null) {
                if (seen.type() != type || seen.numel() != numel) {
                    throw new PickleError("storage '" + CheckpointGlobal.printable(key) + "' named as " + type.pythonName() + " of " + numel
                            + " elements, earlier as " + seen.type().pythonName() + " of " + seen.numel());
                }
                return seen;
            }
            if (key.isEmpty() || key.contains("/")) throw new PickleError("storage key '" + CheckpointGlobal.printable(key) + "' is not a record name");
            ZipEntry e = zip.getEntry(prefix + "data/" + key);
            if (e == null || e.isDirectory()) {
                throw new PickleError("storage '" + CheckpointGlobal.printable(key) + "' is missing: no record " + prefix + "data/" + CheckpointGlobal.printable(key));
            }
            long expected;
            try {
                expected = Math.multiplyExact(numel, (long) type.itemSize);
            } catch (ArithmeticException overflow) {
                throw new PickleError("storage '" + key + "' declares " + numel + " elements, overflowing 64 bits");
            }
            if (e.getSize() != expected) {
                throw new PickleError("storage '" + CheckpointGlobal.printable(key) + "' declares " + numel + " " + type.dtype + " elements ("
                        + expected + " bytes) but its record holds " + e.getSize() + " bytes");
            }
            if (e.getMethod() == ZipEntry.STORED && expected > fileSize) {
                throw new PickleError("storage '" + CheckpointGlobal.printable(key) + "' record declares " + expected + " bytes but the file has " + fileSize);
            }
            if (expected > CheckpointGlobals.MAX_ELEMENTS) {
                throw new PickleError("storage '" + key + "' has " + expected + " bytes, more than one Java array holds");
            }
            PickledStorage s = new PickledStorage(key, type, numel);
            storages.put(key, s);
            return s;
        };
    }

    /** The bytes of a storage the resolver accepted. */
    byte[] readStorage(PickledStorage s) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
        return read(e, s.byteLength(), "storage '" + s.key() + "'");
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private void checkByteOrder() throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) return; // written since torch 1.x; absent means little-endian
        String order = new String(read(e, checkedSize(e, 16), "byteorder"), StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
            throw new TorchCheckpointException(file, "byteorder record says '" + CheckpointGlobal.printable(order) + "': only little-endian checkpoints are supported");
        }
    }

    /** The entry's size from the central directory, checked against a limit and (stored entries) the file. */
    private long checkedSize(ZipEntry e, long limit) throws TorchCheckpointException {
        long n = e.getSize();
        String name = e.getName();
        if (n < 0) throw new TorchCheckpointException(file, "record " + name + " has no size in the zip directory");
        if (n > limit) throw new TorchCheckpointException(file, "record " + name + " declares " + n + " bytes, more than " + limit);
        if (e.getMethod() == ZipEntry.STORED && n > fileSize) {
            throw new TorchCheckpointException(file, "record " + name + " declares " + n + " bytes but the file has " + fileSize);
        }
        return n;
    }

    /** Reads exactly {@code n} bytes; the buffer grows as data arrive (readNBytes reads in chunks). */
    private byte[] read(ZipEntry e, long n, String what) throws IOException {
        if (e.getMethod() == ZipEntry.STORED && n > fileSize) {
            throw new TorchCheckpointException(file, what + " declares " + n + " bytes but the file has " + fileSize);
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) n);
            if (b.length != n || in.read() != -1) {
                throw new TorchCheckpointException(file, what + ": record " + e.getName() + " does not hold the " + n + " bytes it declares");
            }
            return b;
        } catch (ZipException | java.io.EOFException ex) {
            throw new TorchCheckpointException(file, what + ": record " + e.getName() + " cannot be read (" + ex.getMessage() + ")", ex);
        }
    }

    private static String findPrefix(Path file, ZipFile zip) throws TorchCheckpointException {
        List<String> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (names.size() < 5) names.add(n);
            int slash = n.indexOf('/');
            if (slash > 0 && n.indexOf('/', slash + 1) < 0 && n.endsWith("/data.pkl") && !e.isDirectory()) found.add(n.substring(0, slash + 1));
        }
        if (found.isEmpty()) {
            throw new TorchCheckpointException(file, "zip has no <archive>/data.pkl record, so it is not a torch.save checkpoint (first records: " + names + ")");
        }
        if (found.size() > 1) throw new TorchCheckpointException(file, "zip has several data.pkl records: " + found);
        return found.getFirst();
    }

    private static String notAZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && (head[0] & 0xFF) == 0x80) {
                return "not a zip archive: this looks like the legacy (before torch 1.6) torch.save format, which is not supported";
            }
        } catch (IOException ignored) {
            // fall through to the plain message
        }
        return "not a zip archive (torch.save writes a zip), or a truncated one";
    }
}
