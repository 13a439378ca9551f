package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code cipa explain scan} against values computed here from the printed inputs with a separate
 * hand-written double loop (no jcipa code): δ, Ā, B̄u, the ZOH alternative, h, y, the kernel K̄ and
 * the convolution outputs. Printed results have 6 decimals, so they must agree to 5e-7 (plus slack).
 */
class ExplainScanCommandTest {
    private static final double TOL = 6e-7;
    private static final Pattern ASSIGN = Pattern.compile("^\\s*(.+?)\\s+=\\s+(\\[[^\\]]*\\]|-?[0-9.]+(?:e[-+]?\\d+)?)(?:\\s.*)?$");
    private static final Pattern INPUT = Pattern.compile("^(A|D|Δbias|u|Δ|B|C)\\[(\\d+)\\]$");

    @Test
    void defaultExampleMatchesAnIndependentComputation() {
        check(InfoCommandTest.run("explain", "scan"), 2, 8, 3);
    }

    @Test
    void otherSizesAndSeeds() {
        check(InfoCommandTest.run("explain", "scan", "--channels", "3", "--length", "5", "--states", "2", "--seed", "7"), 3, 5, 2);
        check(InfoCommandTest.run("explain", "scan", "--channels", "1", "--length", "1", "--states", "1", "--seed", "3"), 1, 1, 1);
    }

    @Test
    void outOfRangeSizesAreUsageErrors() {
        String[] r = InfoCommandTest.run("explain", "scan", "--channels", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--channels must be between 1 and 4"), r[2]);
        assertEquals("2", InfoCommandTest.run("explain", "scan", "--length", "17")[0]);
        assertEquals("2", InfoCommandTest.run("explain", "scan", "--states", "9")[0]);
        assertEquals("0", InfoCommandTest.run("explain")[0]);       // usage
    }

    /** What one run printed: inputs, then per section and channel the step values and the summary lists. */
    private static final class Printed {
        final Map<String, double[]> inputs = new HashMap<>();
        /** key "section/channel/t/name" (section 1 selective, 2 time-invariant). */
        final Map<String, double[]> steps = new HashMap<>();
        /** key "section/channel/label". */
        final Map<String, double[]> lists = new HashMap<>();
        int stepCount;

        double[] in(String name, int i) {
            double[] v = inputs.get(name + "[" + i + "]");
            assertNotNull(v, "input " + name + "[" + i + "] not printed");
            return v;
        }
    }

    private static Printed parse(String text) {
        Printed p = new Printed();
        int section = 0, channel = -1, t = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("== 1.")) { section = 1; continue; }
            if (line.startsWith("== 2.")) { section = 2; continue; }
            if (line.startsWith("channel ")) { channel = Integer.parseInt(line.substring(8).trim()); t = -1; continue; }
            Matcher tm = Pattern.compile("^  t = (\\d+) ").matcher(line);
            if (tm.find()) { t = Integer.parseInt(tm.group(1)); p.stepCount++; continue; }
            if (line.startsWith("  a convolution with the kernel of t = 0 gives ")) {
                p.lists.put(section + "/" + channel + "/selective convolution", numbers(line.substring(line.indexOf('['))));
                continue;
            }
            Matcher m = ASSIGN.matcher(line);
            if (!m.matches()) continue;
            String name = m.group(1).trim();
            double[] v = numbers(m.group(2));
            if (section == 0) {
                if (INPUT.matcher(name).matches()) p.inputs.put(name, v);
            } else if (line.startsWith("    ")) {
                p.steps.put(section + "/" + channel + "/" + t + "/" + name, v);
            } else {
                p.lists.put(section + "/" + channel + "/" + name, v);
            }
        }
        return p;
    }

    private static double[] numbers(String s) {
        String body = s.replace("[", "").replace("]", "").trim();
        if (body.isEmpty()) return new double[0];
        String[] parts = body.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = Double.parseDouble(parts[i].trim());
        return v;
    }

    private static void check(String[] run, int channels, int length, int states) {
        assertEquals("0", run[0], run[2]);
        Printed p = parse(run[1]);
        assertEquals(2 * channels * length, p.stepCount, "time steps printed");
        double[][] b = new double[states][], c = new double[states][];
        for (int n = 0; n < states; n++) { b[n] = p.in("B", n); c[n] = p.in("C", n); }
        for (int section = 1; section <= 2; section++) {
            for (int ch = 0; ch < channels; ch++) {
                double[] a = p.in("A", ch), u = p.in("u", ch), delta = p.in("Δ", ch).clone();
                double d = p.in("D", ch)[0], bias = p.in("Δbias", ch)[0];
                double[][] bs = b.clone(), cs = c.clone();
                if (section == 2) {                       // held at t = 0
                    java.util.Arrays.fill(delta, delta[0]);
                    for (int n = 0; n < states; n++) { bs[n] = filled(length, b[n][0]); cs[n] = filled(length, c[n][0]); }
                }
                double[] y = new double[length], h = new double[states];
                for (int t = 0; t < length; t++) {
                    String key = section + "/" + ch + "/" + t + "/";
                    double x = delta[t] + bias;
                    double step = x > 20 ? x : Math.log(1 + Math.exp(x));
                    near(new double[] {step}, p.steps.get(key + "δ"), key + "δ");
                    double[] aBar = new double[states], bu = new double[states], zoh = new double[states];
                    y[t] = d * u[t];
                    for (int n = 0; n < states; n++) {
                        aBar[n] = Math.exp(step * a[n]);
                        bu[n] = step * bs[n][t] * u[t];
                        zoh[n] = (aBar[n] - 1) / a[n] * bs[n][t] * u[t];
                        h[n] = aBar[n] * h[n] + bu[n];
                        y[t] += cs[n][t] * h[n];
                    }
                    near(aBar, p.steps.get(key + "Ā"), key + "Ā");
                    near(bu, p.steps.get(key + "B̄u"), key + "B̄u");
                    near(zoh, p.steps.get(key + "zoh"), key + "zoh");
                    near(h, p.steps.get(key + "h"), key + "h");
                    near(new double[] {y[t]}, p.steps.get(key + "y"), key + "y");
                }
                String key = section + "/" + ch + "/";
                near(y, p.lists.get(key + "y, recurrence"), key + "y, recurrence");
                if (section == 1) {
                    near(y, p.lists.get(key + "y, SelectiveScanRef.forward"), key + "reference");
                    assertNotNull(p.lists.get(key + "selective convolution"), key + "selective convolution");
                } else {
                    double step0 = Math.log(1 + Math.exp(delta[0] + bias));
                    double[] kernel = new double[length];
                    for (int k = 0; k < length; k++)
                        for (int n = 0; n < states; n++) kernel[k] += c[n][0] * Math.pow(Math.exp(step0 * a[n]), k) * step0 * b[n][0];
                    near(kernel, p.lists.get(key + "K̄"), key + "K̄");
                    double[] conv = new double[length];
                    for (int t = 0; t < length; t++) {
                        conv[t] = d * u[t];
                        for (int k = 0; k <= t; k++) conv[t] += kernel[k] * u[t - k];
                    }
                    near(conv, p.lists.get(key + "y, convolution K̄ ∗ u + D·u"), key + "convolution");
                    near(y, conv, key + "convolution equals recurrence");
                }
            }
        }
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void near(double[] want, double[] got, String what) {
        assertNotNull(got, what + " not printed");
        assertEquals(want.length, got.length, what + " length");
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < want.length; i++) if (!(Math.abs(want[i] - got[i]) <= TOL)) bad.add(i + ": " + want[i] + " vs " + got[i]);
        assertTrue(bad.isEmpty(), what + " " + bad);
    }
}
