package jcipa.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.io.StDType;

/**
 * A file of named tensors, safetensors or NumPy {@code .npz} (told apart by their first bytes):
 * names in file order, dtypes, shapes, values and the string metadata.
 */
public interface TensorFile extends AutoCloseable {
    /** Tensor names in file order. */
    List<String> names();

    boolean has(String name);

    /** The safetensors {@code __metadata__} (for npz: the {@code __metadata__.json} entry), or empty. */
    Map<String, String> metadata();

    StDType dtype(String name);

    long[] shape(String name);

    /** The little-endian bytes of a tensor as stored. */
    byte[] rawBytes(String name);

    /** Any number dtype widened to double (exactly, except 64-bit integers beyond 2^53). */
    double[] values(String name);

    @Override
    void close();

    Path file();

    /** Opens a safetensors file or an npz (a zip: first bytes {@code PK\3\4}). */
    static TensorFile open(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (Arrays.equals(head, new byte[] {'P', 'K', 3, 4})) return NpzFile.read(file);
        return new OfSafeTensors(SafeTensors.open(file));
    }

    /** A safetensors file as a TensorFile. */
    record OfSafeTensors(SafeTensors st) implements TensorFile {
        @Override public List<String> names() { return List.copyOf(st.names()); }
        @Override public boolean has(String name) { return st.has(name); }
        @Override public Map<String, String> metadata() { return st.metadata(); }
        @Override public StDType dtype(String name) { return st.entry(name).dtype(); }
        @Override public long[] shape(String name) { return st.entry(name).shape(); }
        @Override public byte[] rawBytes(String name) { return st.rawBytes(name); }
        @Override public Path file() { return st.file(); }
        @Override public void close() { st.close(); }

        @Override
        public double[] values(String name) {
            if (dtype(name).isFloatingPoint()) return st.asDoubles(name);
            long[] l = st.longs(name);
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) d[i] = l[i];
            return d;
        }
    }
}
