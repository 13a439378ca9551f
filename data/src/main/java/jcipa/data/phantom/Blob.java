package jcipa.data.phantom;

import java.util.SplittableRandom;

/**
 * A star-shaped region: an ellipse with semi-axes (a, b) turned by {@code angle}, its radius along
 * each direction θ modulated by {@code 1 + Σₖ ampₖ·cos(k·θ + phaseₖ)} (k = 2, 3, …), which gives
 * organ outlines and irregular tumours. Pixels are covered partially at the edge (antialiased
 * over one pixel), so shapes have no staircase and a blur acts like a partial-volume effect.
 */
record Blob(double cx, double cy, double a, double b, double angle, double[] amps, double[] phases) {

    static Blob ellipse(double cx, double cy, double a, double b, double angle) {
        return new Blob(cx, cy, a, b, angle, new double[0], new double[0]);
    }

    /** A round blob of mean radius {@code r} with random lobes of relative size up to {@code irregularity}. */
    static Blob irregular(double cx, double cy, double r, double elongation, double irregularity, SplittableRandom rng) {
        int n = 4;
        double[] amps = new double[n], phases = new double[n];
        for (int k = 0; k < n; k++) {
            amps[k] = irregularity * rng.nextDouble() / (k + 1);
            phases[k] = 2 * Math.PI * rng.nextDouble();
        }
        return new Blob(cx, cy, r * elongation, r / elongation, Math.PI * rng.nextDouble(), amps, phases);
    }

    /** The boundary's distance from the centre in direction θ (image coordinates). */
    double radius(double theta) {
        double t = theta - angle, c = StrictMath.cos(t), s = StrictMath.sin(t);
        double r = a * b / StrictMath.sqrt(b * c * b * c + a * s * a * s);
        double m = 1;
        for (int k = 0; k < amps.length; k++) m += amps[k] * StrictMath.cos((k + 2) * t + phases[k]);
        return r * m;
    }

    /** The largest radius (bounds the region). */
    double reach() {
        double m = 1;
        for (double x : amps) m += Math.abs(x);
        return Math.max(a, b) * m;
    }

    /** Fraction of pixel (x, y) inside, from its centre's distance to the boundary along the ray. */
    double coverage(int x, int y) {
        double dx = x + 0.5 - cx, dy = y + 0.5 - cy, rho = StrictMath.hypot(dx, dy);
        double edge = radius(StrictMath.atan2(dy, dx));
        return Math.max(0, Math.min(1, 0.5 + edge - rho));
    }

    /** Paints {@code value} over {@code img} (w × h) weighted by coverage. */
    void paint(double[] img, int w, int h, double value) {
        paint(img, w, h, value, 1);
    }

    void paint(double[] img, int w, int h, double value, double opacity) {
        int r = (int) Math.ceil(reach()) + 2;
        for (int y = Math.max(0, (int) cy - r); y < Math.min(h, (int) cy + r + 1); y++)
            for (int x = Math.max(0, (int) cx - r); x < Math.min(w, (int) cx + r + 1); x++) {
                double c = coverage(x, y) * opacity;
                if (c > 0) img[y * w + x] += c * (value - img[y * w + x]);
            }
    }

    /** The coverage of every pixel (w × h). */
    double[] coverageMap(int w, int h) {
        double[] m = new double[w * h];
        paint(m, w, h, 1);
        return m;
    }

    /** A copy scaled by {@code s} about its own centre. */
    Blob scaled(double s) {
        return new Blob(cx, cy, a * s, b * s, angle, amps, phases);
    }
}
