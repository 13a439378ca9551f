package jcipa.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jcipa.tensor.io.SafeTensors;
import jcipa.tensor.io.TorchCheckpoint;
import jcipa.tensor.io.TorchTensor;

/**
 * Reads a state dict from a weight file, recognised by its first bytes: safetensors (an 8-byte
 * header length and a JSON header) or a PyTorch checkpoint (a zip, as torch.save writes it — read
 * by a restricted unpickler that runs nothing). Float tensors come back as float32.
 */
public final class WeightFiles {
    private WeightFiles() {}

    public static Map<String, StoredTensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such weight file");
        byte[] head = new byte[4];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, 4);
        }
        boolean zip = got == 4 && head[0] == 'P' && head[1] == 'K';
        return zip ? fromCheckpoint(TorchCheckpoint.read(file)) : fromSafeTensors(file);
    }

    static Map<String, StoredTensor> fromCheckpoint(TorchCheckpoint ckpt) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : ckpt.stateDict().entrySet()) {
            TorchTensor t = e.getValue();
            if (t.longs() != null) out.put(e.getKey(), StoredTensor.ofLongs(t.longs(), t.shape()));
            else if (t.floats() != null) out.put(e.getKey(), StoredTensor.ofFloats(t.floats(), t.shape()));
            else {
                double[] d = t.doubles();
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                out.put(e.getKey(), StoredTensor.ofFloats(f, t.shape()));
            }
        }
        return out;
    }

    static Map<String, StoredTensor> fromSafeTensors(Path file) throws IOException {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(file)) {
            for (String n : st.names()) {
                int[] shape = st.shapeInt(n);
                if (st.entry(n).dtype().isFloatingPoint()) {
                    double[] d = st.asDoubles(n);
                    float[] f = new float[d.length];
                    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                    out.put(n, StoredTensor.ofFloats(f, shape));
                } else {
                    out.put(n, StoredTensor.ofLongs(st.longs(n), shape));
                }
            }
        }
        return out;
    }
}
