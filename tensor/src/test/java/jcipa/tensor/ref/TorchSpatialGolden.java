package jcipa.tensor.ref;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch 2.11 CPU results (AVX-512 build, 4 threads) for conv2d, pooling and bilinear cases, written
 * by {@code torch_spatial_golden.py} next to the data. Each record is a key (the op and its sizes) and
 * a list of arrays (inputs, then float32 / float64 results, as listed in the script).
 */
public final class TorchSpatialGolden {
    private TorchSpatialGolden() {}

    /** One array: float32 ('f'), float64 ('d') or int64 ('q'). */
    public record Array(char type, int[] dims, float[] f, double[] d, long[] q) {
        public double[] asDouble() {
            if (d != null) return d;
            double[] r = new double[f.length];
            for (int i = 0; i < r.length; i++) r[i] = f[i];
            return r;
        }
    }

    public record Record(String key, List<Array> arrays) {
        public String[] words() { return key.split(" "); }
        public String op() { return words()[0]; }
        public int intArg(int i) { return Integer.parseInt(words()[i + 1]); }
        public double doubleArg(int i) { return Double.parseDouble(words()[i + 1]); }
        public Array get(int i) { return arrays.get(i); }
    }

    public static List<Record> load() {
        try (InputStream in = TorchSpatialGolden.class.getResourceAsStream("/jcipa/tensor/torch_spatial_golden.bin")) {
            if (in == null) throw new IllegalStateException("torch_spatial_golden.bin not on the test class path");
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            List<Record> out = new ArrayList<>();
            while (b.hasRemaining()) {
                byte[] key = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(key);
                int count = Byte.toUnsignedInt(b.get());
                List<Array> arrays = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    char type = (char) b.get();
                    int[] dims = new int[Byte.toUnsignedInt(b.get())];
                    int n = 1;
                    for (int j = 0; j < dims.length; j++) { dims[j] = b.getInt(); n *= dims[j]; }
                    float[] f = null; double[] d = null; long[] q = null;
                    switch (type) {
                        case 'f' -> { f = new float[n]; b.asFloatBuffer().get(f); b.position(b.position() + 4 * n); }
                        case 'd' -> { d = new double[n]; b.asDoubleBuffer().get(d); b.position(b.position() + 8 * n); }
                        case 'q' -> { q = new long[n]; b.asLongBuffer().get(q); b.position(b.position() + 8 * n); }
                        default -> throw new IllegalStateException("unknown array type " + type);
                    }
                    arrays.add(new Array(type, dims, f, d, q));
                }
                out.add(new Record(new String(key, StandardCharsets.UTF_8), arrays));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records whose op is {@code op}. */
    public static List<Record> of(String op) {
        return load().stream().filter(r -> r.op().equals(op)).toList();
    }

    /** Fails unless |a − b| ≤ tol·(1 + |b|) elementwise. */
    public static void assertClose(String what, double[] a, double[] b, double tol) {
        if (a.length != b.length) throw new AssertionError(what + ": length " + a.length + " vs " + b.length);
        for (int i = 0; i < a.length; i++)
            if (!(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i]))))
                throw new AssertionError(what + ": element " + i + " " + a[i] + " vs " + b[i]);
    }
}
