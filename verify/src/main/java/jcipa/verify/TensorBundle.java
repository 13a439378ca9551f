package jcipa.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.io.StDType;

/**
 * Named tensors in a fixed order plus string metadata, written as safetensors or as a NumPy
 * {@code .npz}. Both writers are deterministic: the same puts give the same bytes.
 *
 * <p>The {@code .npz} is a zip of uncompressed (stored) entries {@code <name>.npy} (format 1.0,
 * see {@link Npy}), names kept as they are, slashes included, in put order; the metadata comes
 * first as the entry {@code __metadata__.json}, a JSON object of strings (the safetensors
 * {@code __metadata__}). Every entry carries the fixed time 2000-01-01 00:00 (a DOS time, the same in every time zone) and no extra fields.
 */
public final class TensorBundle {
    public enum Format {
        SAFETENSORS, NPZ;

        /** npz for a {@code .npz} name, else safetensors. */
        public static Format forName(Path p) {
            return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz") ? NPZ : SAFETENSORS;
        }
    }

    /** The npz entry that holds the metadata. */
    static final String NPZ_METADATA = "__metadata__.json";
    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(2000, 1, 1, 0, 0, 0);

    private record Entry(StDType dtype, long[] shape, byte[] littleEndian) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    TensorBundle metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    TensorBundle put(String name, float[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return raw(name, StDType.F32, b.array(), shape);
    }

    TensorBundle put(String name, double[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return raw(name, StDType.F64, b.array(), shape);
    }

    TensorBundle put(String name, byte[] u8, long... shape) {
        return raw(name, StDType.U8, u8.clone(), shape);
    }

    TensorBundle raw(String name, StDType dtype, byte[] littleEndian, long... shape) {
        if (tensors.putIfAbsent(name, new Entry(dtype, shape.clone(), littleEndian)) != null)
            throw new IllegalArgumentException("tensor '" + name + "' put twice");
        return this;
    }

    int size() { return tensors.size(); }

    void write(Path file, Format format, boolean overwrite) throws IOException {
        if (format == Format.SAFETENSORS) {
            SafeTensors.Writer w = SafeTensors.writer();
            metadata.forEach(w::metadata);
            tensors.forEach((n, e) -> w.putRaw(n, e.dtype(), e.littleEndian(), e.shape()));
            AtomicWrite.refuseExisting(file, overwrite);
            w.write(file, overwrite);
        } else {
            AtomicWrite.write(file, overwrite, this::writeNpz);
        }
    }

    private void writeNpz(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        store(zip, NPZ_METADATA, ModelGolden.JSON.writeValueAsBytes(metadata), null);
        for (Map.Entry<String, Entry> t : tensors.entrySet())
            store(zip, t.getKey() + ".npy", Npy.header(t.getValue().dtype(), t.getValue().shape()), t.getValue().littleEndian());
        zip.finish();
    }

    /** One stored (uncompressed) entry: {@code head} then {@code body}. */
    private static void store(ZipOutputStream zip, String name, byte[] head, byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(head);
        long size = head.length;
        if (body != null) {
            crc.update(body);
            size += body.length;
        }
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc.getValue());
        e.setTimeLocal(ZIP_TIME);
        zip.putNextEntry(e);
        zip.write(head);
        if (body != null) zip.write(body);
        zip.closeEntry();
    }
}
