package jcipa.tensor.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes torch.save-style zips (stored records) from a hand-built pickle and raw storages. */
final class PthFiles {
    private PthFiles() {}

    /** {@code archive/data.pkl}, {@code archive/data/<key>} per storage, byteorder "little" and the version records. */
    static Path checkpoint(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/data.pkl", pickle);
        records.put("archive/.format_version", ascii("1"));
        records.put("archive/byteorder", ascii("little"));
        storages.forEach((k, v) -> records.put("archive/data/" + k, v));
        records.put("archive/version", ascii("3\n"));
        return zip(file, records);
    }

    /** A zip of stored (uncompressed) records, in order. */
    static Path zip(Path file, Map<String, byte[]> records) throws IOException {
        return zip(file, records, ZipEntry.STORED);
    }

    /** A zip of records in order, stored or deflated. */
    static Path zip(Path file, Map<String, byte[]> records, int method) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (var r : records.entrySet()) {
                ZipEntry e = new ZipEntry(r.getKey());
                e.setMethod(method);
                if (method == ZipEntry.STORED) {
                    e.setSize(r.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(r.getValue());
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(r.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /** Overwrites the compressed and uncompressed sizes of {@code name} in the zip's central directory. */
    static void patchCentralSizes(Path file, String name, long size) throws IOException {
        byte[] z = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= z.length; i++) {
            if (b.getInt(i) != 0x02014b50 || b.getShort(i + 28) != want.length) continue;
            if (!java.util.Arrays.equals(z, i + 46, i + 46 + want.length, want, 0, want.length)) continue;
            b.putInt(i + 20, (int) size).putInt(i + 24, (int) size);
            Files.write(file, z);
            return;
        }
        throw new IllegalArgumentException("no central directory entry " + name);
    }

    /** Breaks the signature of {@code name}'s local header, so that reading that record fails. */
    static void breakLocalHeader(Path file, String name) throws IOException {
        byte[] z = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 <= z.length; i++) {
            if (b.getInt(i) != 0x04034b50 || b.getShort(i + 26) != want.length) continue;
            if (!java.util.Arrays.equals(z, i + 30, i + 30 + want.length, want, 0, want.length)) continue;
            b.putInt(i, 0x0badf00d);
            Files.write(file, z);
            return;
        }
        throw new IllegalArgumentException("no local header " + name);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] f64(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    static byte[] i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    /** 16-bit little-endian words (float16, bfloat16, int16 bit patterns). */
    static byte[] u16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] u8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
