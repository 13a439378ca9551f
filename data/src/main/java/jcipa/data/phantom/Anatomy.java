package jcipa.data.phantom;

import java.util.SplittableRandom;

/**
 * One synthetic patient: the sizes, positions and tracer uptakes that stay the same over all its
 * slices (lengths in units of the image side, intensities on the 0–255 scale of the PNGs).
 * Drawn once per case so neighbouring slices look like one body.
 */
record Anatomy(double bodyX, double bodyY, double bodyA, double bodyB, double lungDx, double lungA, double lungB, double lungTilt,
        double heartSize, double heartUptake, double bodyUptake, double liverUptake, double tumourUptake, double[] lungAmps, double[] lungPhases) {

    static Anatomy draw(SplittableRandom r) {
        double[] amps = new double[4], phases = new double[4];
        for (int k = 0; k < 4; k++) {
            amps[k] = 0.06 * r.nextDouble() / (k + 1);
            phases[k] = 2 * Math.PI * r.nextDouble();
        }
        return new Anatomy(0.5 + 0.01 * Gaussian.next(r), 0.52 + 0.01 * Gaussian.next(r), r.nextDouble(0.40, 0.46), r.nextDouble(0.29, 0.34),
                r.nextDouble(0.15, 0.18), r.nextDouble(0.10, 0.125), r.nextDouble(0.15, 0.18), r.nextDouble(-0.15, 0.15),
                r.nextDouble(0.085, 0.11), r.nextDouble(50, 170), r.nextDouble(22, 36), r.nextDouble(50, 75), r.nextDouble(160, 235), amps, phases);
    }

    /** The body outline at slice height z ∈ [0, 1] (0 = diaphragm, 1 = apex), in pixels of an s × s image. */
    Blob body(int s) {
        return Blob.ellipse(bodyX * s, bodyY * s, bodyA * s, bodyB * s, 0);
    }

    /** A lung ({@code side} −1 = image left, +1 = image right); lungs are smallest at both ends of the stack. */
    Blob lung(int s, int side, double z) {
        double grow = 0.7 + 0.3 * StrictMath.sin(Math.PI * (0.2 + 0.75 * z));
        double x = (bodyX + side * lungDx) * s, y = (bodyY - 0.02) * s;
        double[] mirrored = lungPhases.clone();
        if (side > 0) for (int k = 0; k < mirrored.length; k++) mirrored[k] = Math.PI - mirrored[k];
        return new Blob(x, y, lungA * grow * s, lungB * grow * s, side * lungTilt, lungAmps, mirrored);
    }

    /** The heart, present in the lower half of the stack and largest at its bottom (null above). */
    Blob heart(int s, double z) {
        if (z > 0.55) return null;
        double k = 0.55 + 0.45 * (0.55 - z) / 0.55;
        return Blob.ellipse((bodyX + 0.05) * s, (bodyY + 0.05) * s, heartSize * 1.15 * k * s, heartSize * k * s, 0.5);
    }

    /** The liver under the right lung (image left), only in the lowest slices (null above). */
    Blob liver(int s, double z) {
        if (z > 0.2) return null;
        double k = 1 - z / 0.2;
        return Blob.ellipse((bodyX - 0.16) * s, (bodyY + 0.04) * s, 0.16 * k * s + 1, 0.14 * k * s + 1, 0.2);
    }

    Blob spine(int s) {
        return Blob.ellipse(bodyX * s, (bodyY + bodyB - 0.1) * s, 0.05 * s, 0.045 * s, 0);
    }

    Blob aorta(int s) {
        return Blob.ellipse((bodyX + 0.06) * s, (bodyY + bodyB - 0.17) * s, 0.028 * s, 0.028 * s, 0);
    }
}
