package jcipa.viz;

/**
 * The viridis colour map (perceptually uniform, readable in grey and by colour-blind readers),
 * as linear interpolation in sRGB between its nine standard samples #440154 … #FDE725.
 */
public final class Viridis {
    private Viridis() {}

    private static final int[] ANCHORS = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725};

    /** 0xRRGGBB for v in [0, 1] (clamped; NaN maps to 0). */
    public static int rgb(double v) {
        double x = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v)) * (ANCHORS.length - 1);
        int i = Math.min((int) x, ANCHORS.length - 2);
        double f = x - i;
        int a = ANCHORS[i], b = ANCHORS[i + 1], out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
            out |= (int) Math.round(ca + f * (cb - ca)) << shift;
        }
        return out;
    }
}
