package jcipa.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import jcipa.tensor.io.StDType;

/**
 * A NumPy {@code .npz} read into memory: every {@code <name>.npy} entry is a tensor named
 * {@code <name>} (slashes kept), in zip order; {@code __metadata__.json}, if present, is the
 * metadata (a JSON object of strings). Stored and deflated entries are both read.
 */
final class NpzFile implements TensorFile {
    private final Path file;
    private final Map<String, Npy.Array> arrays;
    private final Map<String, String> metadata;

    private NpzFile(Path file, Map<String, Npy.Array> arrays, Map<String, String> metadata) {
        this.file = file;
        this.arrays = arrays;
        this.metadata = metadata;
    }

    static NpzFile read(Path file) throws IOException {
        return read(file, entryBudget());
    }

    /** {@link #read(Path)} with at most {@code budget} inflated bytes per entry. */
    static NpzFile read(Path file, long budget) throws IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(raw, StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String n = e.getName();
                byte[] bytes = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, budget + 1));
                if (bytes.length > budget || zip.read() >= 0)
                    throw new IOException(file + ": entry " + n + " inflates to more than " + budget
                            + " bytes, more than this JVM can hold (a damaged or hostile archive, or give the JVM more heap)");
                boolean resaved = n.equals(TensorBundle.NPZ_METADATA + ".npy");       // np.savez of np.load(ours)
                if (n.equals(TensorBundle.NPZ_METADATA) || resaved) {
                    JsonNode m;
                    try {
                        m = ModelGolden.JSON.readTree(resaved ? Npy.readText(bytes, file + ": " + n) : new String(bytes, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException | IOException ex) {
                        throw new IOException(file + ": " + n + " is not the metadata JSON object: " + ex.getMessage(), ex);
                    }
                    if (m == null || !m.isObject()) throw new IOException(file + ": " + n + " is not a JSON object");
                    m.fields().forEachRemaining(kv -> metadata.put(kv.getKey(), kv.getValue().isTextual() ? kv.getValue().asText() : kv.getValue().toString()));
                } else if (n.endsWith(".npy")) {
                    String name = n.substring(0, n.length() - 4);
                    try {
                        arrays.put(name, Npy.read(bytes, file + ": " + n));
                    } catch (IllegalArgumentException | ArithmeticException ex) {
                        throw new IOException(ex.getMessage(), ex);
                    }
                }
            }
        }
        return new NpzFile(file, arrays, metadata);
    }

    /** The most bytes one entry may inflate to: half the heap this JVM may still grow to (a zip bomb stops there). */
    static long entryBudget() {
        Runtime r = Runtime.getRuntime();
        return Math.max(1 << 20, (r.maxMemory() - (r.totalMemory() - r.freeMemory())) / 2);
    }

    private Npy.Array array(String name) {
        Npy.Array a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException(file + ": no array named '" + name + "'");
        return a;
    }

    @Override public List<String> names() { return new ArrayList<>(arrays.keySet()); }
    @Override public boolean has(String name) { return arrays.containsKey(name); }
    @Override public Map<String, String> metadata() { return metadata; }
    @Override public StDType dtype(String name) { return array(name).dtype(); }
    @Override public long[] shape(String name) { return array(name).shape().clone(); }
    @Override public byte[] rawBytes(String name) { return array(name).littleEndian().clone(); }
    @Override public Path file() { return file; }
    @Override public void close() {}

    @Override
    public double[] values(String name) {
        Npy.Array a = array(name);
        ByteBuffer b = ByteBuffer.wrap(a.littleEndian()).order(ByteOrder.LITTLE_ENDIAN);
        int n = a.littleEndian().length / a.dtype().byteSize();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (a.dtype()) {
                case F64 -> b.getDouble(8 * i);
                case F32 -> b.getFloat(4 * i);
                case F16 -> Float.float16ToFloat(b.getShort(2 * i));
                case I64 -> b.getLong(8 * i);
                case U64 -> { long x = b.getLong(8 * i); yield x >= 0 ? x : x + 0x1p64; }
                case I32 -> b.getInt(4 * i);
                case U32 -> Integer.toUnsignedLong(b.getInt(4 * i));
                case I16 -> b.getShort(2 * i);
                case U16 -> Short.toUnsignedInt(b.getShort(2 * i));
                case I8 -> b.get(i);
                case U8, BOOL -> Byte.toUnsignedInt(b.get(i));
                default -> throw new IllegalArgumentException(file + ": " + name + " has dtype " + a.dtype());
            };
        }
        return v;
    }
}
