package jcipa.tensor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * DMath.erf and erfc against 60-digit values from mpmath (erf-mpmath.txt, written by
 * docs/math-fit.py: a grid over [-30, 30], random magnitudes 2^-40..2^5, the piece boundaries),
 * in float64 ulps; and the reference activations against their textbook formulas.
 */
class DMathTest {

    record Row(double x, double erf, double erfc) {}

    static List<Row> table() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (var in = DMathTest.class.getResourceAsStream("erf-mpmath.txt");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                rows.add(new Row(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
            }
        }
        return rows;
    }

    /** |got - want| in ulps of want (the double spacing at want; subnormals have spacing 2^-1074). */
    static double ulps(double got, double want) {
        if (got == want) return 0;
        int e = Math.max(Math.getExponent(want), Double.MIN_EXPONENT);
        return Math.abs(got - want) / Math.scalb(1.0, e - 52);
    }

    static double maxUlps(List<Row> rows, DoubleUnaryOperator f, java.util.function.ToDoubleFunction<Row> want) {
        double worst = 0;
        Row at = null;
        for (Row row : rows) {
            double e = ulps(f.applyAsDouble(row.x()), want.applyAsDouble(row));
            if (e > worst) { worst = e; at = row; }
        }
        System.out.printf("max %.3f ulp at x=%s%n", worst, at == null ? "-" : at.x());
        return worst;
    }

    @Test
    void erfWithinBoundOfMpmath() throws IOException {
        assertTrue(maxUlps(table(), DMath::erf, Row::erf) <= DMath.ERF_MAX_ULPS);
    }

    @Test
    void erfcWithinBoundOfMpmath() throws IOException {
        assertTrue(maxUlps(table(), DMath::erfc, Row::erfc) <= DMath.ERFC_MAX_ULPS);
    }

    @Test
    void erfIsOddAndErfcReflects() {
        for (double x = -7; x <= 7; x += 0.000937) {
            assertEquals(-DMath.erf(x), DMath.erf(-x));
            assertEquals(2.0, DMath.erfc(x) + DMath.erfc(-x), 4e-16);
        }
        assertEquals(1.0, DMath.erf(Double.POSITIVE_INFINITY));
        assertEquals(0.0, DMath.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, DMath.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DMath.erf(-0.0)));
        assertTrue(Double.isNaN(DMath.erf(Double.NaN)));
    }

    @Test
    void activationsMatchTheirTextbookFormulas() {
        for (double x = -30; x <= 30; x += 0.01237) {
            double sig = 1 / (1 + StrictMath.exp(-x));
            assertEquals(sig, DMath.sigmoid(x), 1e-15 * sig);
            assertEquals(x * sig, DMath.silu(x), 1e-15 * Math.abs(x * sig) + 1e-300);
            double ex = StrictMath.exp(x), s = 1 + ex;       // log(1 + e^x), with the rounding of 1 + e^x added back
            double softplus = x > 20 ? x : StrictMath.log(s) + (ex - (s - 1)) / s;
            assertEquals(softplus, DMath.softplus(x), 1e-15 * softplus);
            if (x > -5) { // where 1 + erf does not cancel badly
                double gelu = 0.5 * x * (1 + DMath.erf(x / Math.sqrt(2)));
                assertEquals(gelu, DMath.gelu(x), 1e-15 * Math.abs(x) + 1e-300);
            }
        }
        assertEquals(20.5, DMath.softplus(20.5));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DMath.gelu(Double.NEGATIVE_INFINITY)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DMath.silu(Double.NEGATIVE_INFINITY)));
    }
}
