package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FMath against the float64 reference (StrictMath or DMath, rounded to float), in ulps of the
 * float result: dense sweeps of each function's active range, a sparse sweep of all 2^32 bit
 * patterns, and the special values. The bounds asserted are the documented ones (FMath's
 * *_MAX_ULPS constants, also the table in docs/math.md, which measured them on every float).
 */
class FMathAccuracyTest {

    /** Asserts max error over xs <= the documented bound, naming the worst input on failure. */
    static void assertWithinBound(MathFn fn, float[] xs) {
        double worst = -1;
        float worstX = 0;
        for (float x : xs) {
            double e = fn.error(x);
            if (!(e <= worst)) {
                worst = e;
                worstX = x;
            }
        }
        float at = worstX, f = fn.scalar.apply(at);
        double ref = fn.reference.applyAsDouble(at), err = worst;
        assertTrue(err <= fn.maxUlps, () -> String.format(
            "%s: %.3f ulp > bound %.2f at x=%s (%a): got %s (%a), float64 reference %s",
            fn, err, fn.maxUlps, at, at, f, f, ref));
    }

    @ParameterizedTest
    @EnumSource(MathFn.class)
    void denseSweepOfActiveRange(MathFn fn) {
        assertWithinBound(fn, Ulps.sweep(fn.lo, fn.hi, 2_000_000));
    }

    @ParameterizedTest
    @EnumSource(MathFn.class)
    void sparseSweepOfAllFloats(MathFn fn) {
        assertWithinBound(fn, Ulps.allBits(4099, 1234));
    }

    @ParameterizedTest
    @EnumSource(MathFn.class)
    void specialValues(MathFn fn) {
        assertWithinBound(fn, Ulps.specials());
    }

    @ParameterizedTest
    @EnumSource(MathFn.class)
    void nanInGivesTheSameNanOut(MathFn fn) {
        for (int bits : new int[] {0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0xff812345}) {
            float nan = Float.intBitsToFloat(bits);
            assertEquals(bits, Float.floatToRawIntBits(fn.scalar.apply(nan)), fn + " of NaN " + Integer.toHexString(bits));
        }
    }

    @Test
    void limitsAndSignedZeros() {
        assertEquals(1f, FMath.exp(0f));
        assertEquals(0f, FMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FMath.exp(89f));
        assertEquals(0f, FMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, FMath.log(-0f));
        assertTrue(Float.isNaN(FMath.log(-Float.MIN_VALUE)));
        assertEquals(Float.NEGATIVE_INFINITY, FMath.log1p(-1f));
        assertTrue(Float.isNaN(FMath.log1p(-1.0000001f)));
        assertEquals(1f, FMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FMath.erf(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, FMath.softplus(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FMath.softplus(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FMath.gelu(Float.POSITIVE_INFINITY));
        for (MathFn fn : new MathFn[] {MathFn.LOG1P, MathFn.TANH, MathFn.ERF, MathFn.SILU, MathFn.GELU}) {
            assertEquals(0x80000000, Float.floatToRawIntBits(fn.scalar.apply(-0f)), fn + "(-0) keeps the sign");
        }
        assertEquals(0x80000000, Float.floatToRawIntBits(FMath.silu(Float.NEGATIVE_INFINITY)));
        assertEquals(0x80000000, Float.floatToRawIntBits(FMath.gelu(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void softplusIsTheIdentityAboveTwenty() {
        for (float x : new float[] {Math.nextUp(20f), 21f, 1e6f, Float.MAX_VALUE}) assertEquals(x, FMath.softplus(x));
        assertEquals(FMath.log1p(FMath.exp(20f)), FMath.softplus(20f));
    }

    @Test
    void scaledExpRoundsOnceLikeExp() {
        for (float x : Ulps.sweep(-110f, 0f, 200_000)) {
            float scaled = FMath.expTimesPow2(x, 64) * 0x1p-64f;
            assertEquals(Float.floatToRawIntBits(FMath.exp(x)), Float.floatToRawIntBits(scaled), "x=" + x);
        }
    }

    /** The table in docs/math.md lists the same bounds as the constants the tests assert. */
    @Test
    void documentedTableMatchesTheConstants() throws IOException {
        Path doc = Path.of("..", "docs", "math.md");
        if (!Files.exists(doc)) doc = Path.of("docs", "math.md");
        String text = Files.readString(doc);
        for (MathFn fn : MathFn.values()) {
            Matcher m = Pattern.compile("\\|\\s*`?" + fn.name().toLowerCase() + "`?\\s*\\|[^|\\n]*\\|\\s*([0-9.]+)\\s*\\|")
                .matcher(text);
            assertTrue(m.find(), "docs/math.md has a row for " + fn);
            assertEquals(fn.maxUlps, Double.parseDouble(m.group(1)), "documented bound of " + fn);
        }
    }
}
