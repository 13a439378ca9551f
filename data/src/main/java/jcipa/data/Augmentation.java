package jcipa.data;

import java.util.SplittableRandom;

/**
 * The training augmentations of the official loader ({@code utils/PCLT_dataset.py}), applied to
 * PET and CT stacked as two channels (PET first) and, with the same parameters, to the mask:
 * <ol>
 * <li>with probability ½, a shift–scale warp: {@code scale, aspect ~ U(0.9, 1.1)}; both axes are
 * scaled by {@code scale·aspect/√aspect} about the centre (the official rotation matrix uses the
 * x factor on both axes, and its rotation limit is 0°), then shifted by
 * {@code dx = round(U(−0.1, 0.1)·w)}, {@code dy = round(U(−0.1, 0.1)·h)} pixels (round half to
 * even, as Python's {@code round}); {@link WarpLinear} with a black border;</li>
 * <li>with probability ½, a left–right {@link Flip};</li>
 * <li>a crop rate {@code U(0.7, 0.9)} is drawn every time; with probability ½ a square of side
 * {@code ⌊h·rate⌋} at {@code y ~ U{0..h−side}}, {@code x ~ U{0..w−side}} is cut out and resized
 * back with {@link CubicResize} to width h and height w (the official {@code dsize=(h, w)}).</li>
 * </ol>
 * Nothing else: no rotation, vertical flip or intensity change. The mask goes through the same
 * interpolations and is thresholded afterwards by {@link Preprocess#mask}.
 * <p>
 * All randomness comes from a {@link SplittableRandom} seeded with the given seed, drawn in the
 * official order ({@code U(a, b) = a + (b − a)·u}); the same seed gives the same bits.
 */
public final class Augmentation {
    private Augmentation() {}

    public static final double P_WARP = 0.5, P_FLIP = 0.5, P_CROP = 0.5;
    public static final double SHIFT = 0.1, SCALE = 0.1, ASPECT = 0.1, CROP_MIN = 0.7, CROP_MAX = 0.9;

    /** The random choices of one application. */
    public record Draw(boolean warp, double scale, double aspect, int dx, int dy, boolean flip, double cropRate, boolean crop, int cropX, int cropY,
            int cropSide) {
        /** The isotropic scale factor the warp applies. */
        public double warpScale() {
            return scale * aspect / Math.sqrt(aspect);
        }
    }

    /** Draws the parameters for an image of {@code w × h}, in the order the official code draws them. */
    public static Draw draw(long seed, int w, int h) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean warp = r.nextDouble() < P_WARP;
        double scale = 1, aspect = 1;
        int dx = 0, dy = 0;
        if (warp) {
            uniform(r, 0, 0); // the rotation angle, limit 0°
            scale = uniform(r, 1 - SCALE, 1 + SCALE);
            aspect = uniform(r, 1 - ASPECT, 1 + ASPECT);
            dx = (int) Math.rint(uniform(r, -SHIFT, SHIFT) * w);
            dy = (int) Math.rint(uniform(r, -SHIFT, SHIFT) * h);
        }
        boolean flip = r.nextDouble() < P_FLIP;
        double rate = uniform(r, CROP_MIN, CROP_MAX);
        int side = (int) (h * rate);
        boolean crop = r.nextDouble() < P_CROP;
        int y = 0, x = 0;
        if (crop) {
            y = r.nextInt(h - side + 1);
            x = r.nextInt(w - side + 1);
        }
        return new Draw(warp, scale, aspect, dx, dy, flip, rate, crop, x, y, side);
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** The sample augmented with everything drawn from {@code seed}. */
    public static Sample apply(Sample s, long seed) {
        return apply(s, draw(seed, s.width(), s.height()));
    }

    /** The sample augmented with the given choices. */
    public static Sample apply(Sample s, Draw d) {
        int w = s.width(), h = s.height();
        byte[] img = interleave(s.pet().pixels(), s.ct().pixels());
        byte[] mask = s.mask() == null ? null : s.mask().pixels();
        if (d.warp()) {
            double[] m = warpMatrix(d, w, h);
            img = WarpLinear.warp(img, w, h, 2, m);
            if (mask != null) mask = WarpLinear.warp(mask, w, h, 1, m);
        }
        if (d.flip()) {
            img = Flip.horizontal(img, w, h, 2);
            if (mask != null) mask = Flip.horizontal(mask, w, h, 1);
        }
        if (d.crop()) {
            int side = d.cropSide(), outW = h, outH = w;
            img = CubicResize.resize(cut(img, w, 2, d.cropX(), d.cropY(), side), side, side, 2, outW, outH);
            if (mask != null) mask = CubicResize.resize(cut(mask, w, 1, d.cropX(), d.cropY(), side), side, side, 1, outW, outH);
            w = outW;
            h = outH;
        }
        U8Image pet = new U8Image(w, h, channel(img, 0)), ct = new U8Image(w, h, channel(img, 1));
        return new Sample(s.name(), ct, pet, mask == null ? null : new U8Image(w, h, mask));
    }

    /**
     * The homography of the warp: the image corners, centred, scaled by {@link Draw#warpScale} on
     * both axes and moved by (dx, dy), rounded to float32 as the official code passes them.
     */
    static double[] warpMatrix(Draw d, int w, int h) {
        double s = d.warpScale();
        float[] from = new float[8], to = new float[8];
        int[][] corners = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        for (int i = 0; i < 4; i++) {
            from[2 * i] = corners[i][0];
            from[2 * i + 1] = corners[i][1];
            to[2 * i] = (float) ((corners[i][0] - w / 2.0) * s + (w / 2.0 + d.dx()));
            to[2 * i + 1] = (float) ((corners[i][1] - h / 2.0) * s + (h / 2.0 + d.dy()));
        }
        return PerspectiveTransform.between(from, to);
    }

    private static byte[] interleave(byte[] a, byte[] b) {
        byte[] out = new byte[2 * a.length];
        for (int i = 0; i < a.length; i++) {
            out[2 * i] = a[i];
            out[2 * i + 1] = b[i];
        }
        return out;
    }

    private static byte[] channel(byte[] img, int c) {
        byte[] out = new byte[img.length / 2];
        for (int i = 0; i < out.length; i++) out[i] = img[2 * i + c];
        return out;
    }

    private static byte[] cut(byte[] img, int w, int cn, int x, int y, int side) {
        byte[] out = new byte[side * side * cn];
        for (int r = 0; r < side; r++) System.arraycopy(img, ((y + r) * w + x) * cn, out, r * side * cn, side * cn);
        return out;
    }
}
