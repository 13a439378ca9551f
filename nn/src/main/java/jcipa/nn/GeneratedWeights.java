package jcipa.nn;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden files' generated-weights scheme ({@code splitmix64-v1}): every floating-point tensor of
 * a state dict is a function of its name, so full-size cases need no weight file. For tensor NAME
 * with n elements, element i = float32(base + scale·(2u − 1)) computed in float64, where
 * u = (splitmix64(h + i) >>> 40)·2⁻²⁴ and h = fnv1a64(SALT + ":" + NAME); integer buffers are 0.
 */
public final class GeneratedWeights {
    private GeneratedWeights() {}

    public static final String SCHEME = "splitmix64-v1";

    /** One state-dict entry to generate: its name, shape, dtype, and [base, scale] for floats. */
    public record Spec(String name, int[] shape, String dtype, double base, double scale) {}

    /** FNV-1a, 64-bit, over the bytes. */
    public static long fnv1a64(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's output function for state x (x is advanced by the golden gamma first). */
    public static long splitmix64(long x) {
        x += 0x9E3779B97F4A7C15L;
        long z = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed h of a tensor. */
    public static long seed(String salt, String name) {
        return fnv1a64((salt + ":" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** The n values of tensor {@code name}. */
    public static float[] values(String salt, String name, int n, double base, double scale) {
        long h = seed(salt, name);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = (splitmix64(h + i) >>> 40) * 0x1.0p-24;
            v[i] = (float) (base + scale * (2 * u - 1));
        }
        return v;
    }

    /** A whole state dict. */
    public static Map<String, StoredTensor> generate(String salt, List<Spec> specs) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Spec s : specs) {
            int n = 1;
            for (int d : s.shape()) n = Math.multiplyExact(n, d);
            if (s.dtype().startsWith("int") || s.dtype().equals("long")) out.put(s.name(), StoredTensor.ofLongs(new long[n], s.shape()));
            else out.put(s.name(), StoredTensor.ofFloats(values(salt, s.name(), n, s.base(), s.scale()), s.shape()));
        }
        return out;
    }
}
