package jcipa.data.phantom;

import java.util.SplittableRandom;

/**
 * Standard normal draws by the Box–Muller transform with {@link StrictMath}, so the same seed gives
 * the same phantoms on every JVM and platform.
 */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom r) {
        double u = 1 - r.nextDouble(); // (0, 1]
        double v = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }
}
