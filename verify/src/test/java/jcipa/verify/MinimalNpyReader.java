package jcipa.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A reader for the tests, written from NumPy's format description and independent of the code
 * under test: an .npz is a zip of {@code NAME.npy}; each .npy is {@code \x93NUMPY}, version 1.0, a
 * u16 little-endian header length, a dict literal with descr, fortran_order and shape, then the
 * row-major data, with the data starting at a multiple of 64 bytes.
 */
final class MinimalNpyReader {
    private MinimalNpyReader() {}

    record Array(String descr, int[] shape, ByteBuffer data) {
        float[] floats() {
            if (!descr.equals("<f4")) throw new AssertionError("descr " + descr);
            float[] f = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }

        double[] doubles() {
            if (!descr.equals("<f8")) throw new AssertionError("descr " + descr);
            double[] d = new double[data.remaining() / 8];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(d);
            return d;
        }

        byte[] bytes() {
            if (!descr.equals("|u1")) throw new AssertionError("descr " + descr);
            byte[] b = new byte[data.remaining()];
            data.duplicate().get(b);
            return b;
        }
    }

    private static final Pattern DICT = Pattern.compile(
            "\\{'descr': '([^']+)', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\} *\\n");

    static Array parse(byte[] npy) {
        String magic = new String(npy, 1, 5, StandardCharsets.US_ASCII);
        if ((npy[0] & 0xff) != 0x93 || !magic.equals("NUMPY")) throw new AssertionError("no magic");
        if (npy[6] != 1 || npy[7] != 0) throw new AssertionError("version " + npy[6] + "." + npy[7]);
        int len = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        if ((10 + len) % 64 != 0) throw new AssertionError("data starts at " + (10 + len) + ", not a multiple of 64");
        String header = new String(npy, 10, len, StandardCharsets.US_ASCII);
        Matcher m = DICT.matcher(header);
        if (!m.matches()) throw new AssertionError("header: " + header);
        String dims = m.group(2).trim();
        int[] shape = dims.isEmpty() ? new int[0] : java.util.Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        return new Array(m.group(1), shape, ByteBuffer.wrap(npy, 10 + len, npy.length - 10 - len).slice());
    }

    /** Every .npy of an .npz by name (".npy" dropped), and the other entries' bytes under their full names. */
    static Map<String, Object> readNpz(Path file) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(".npy")) out.put(e.getName().substring(0, e.getName().length() - 4), parse(b));
                else out.put(e.getName(), b);
            }
        }
        return out;
    }
}
