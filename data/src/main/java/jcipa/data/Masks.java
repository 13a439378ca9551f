package jcipa.data;

/** Binary masks (row-major, true = foreground) from stored 8-bit images. */
public final class Masks {
    private Masks() {}

    /**
     * {@code pred.py}'s rule for a 0–255 image: foreground where the value exceeds 255·0.5, i.e.
     * u8 ≥ 128. Reads {@code n} pixels of {@code u8} from {@code from}.
     */
    public static boolean[] fromPng(byte[] u8, int from, int n) {
        check("fromPng", u8, from, n);
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = (u8[from + i] & 0xff) > 127;
        return m;
    }

    /** Foreground where the value is non-zero (masks stored as 0/1). */
    public static boolean[] nonzero(byte[] u8, int from, int n) {
        check("nonzero", u8, from, n);
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = u8[from + i] != 0;
        return m;
    }

    /** Foreground where a probability exceeds 0.5 ({@code pred.py}: σ(logit)·255 > 255·0.5). */
    public static boolean[] fromProbabilities(float[] p, int from, int n) {
        if (from < 0 || n < 0 || from + n > p.length)
            throw new IllegalArgumentException("Masks.fromProbabilities: " + n + " pixels from " + from + " of " + p.length);
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = p[from + i] * 255f > 255 * 0.5;
        return m;
    }

    /** Number of foreground pixels. */
    public static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) if (b) c++;
        return c;
    }

    private static void check(String op, byte[] u8, int from, int n) {
        if (from < 0 || n < 0 || from + n > u8.length)
            throw new IllegalArgumentException("Masks." + op + ": " + n + " pixels from " + from + " of " + u8.length);
    }
}
