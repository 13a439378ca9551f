package jcipa.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cipa explain scan}: a selective scan worked through step by step — δ after softplus, Ā,
 * B̄u, the states h_t and outputs y_t — first selective (Δ, B, C change with t), then time-invariant
 * (Δ, B, C held at their t = 0 values), where the convolution form gives the same outputs.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"A selective scan worked through step by step: softplus, discretisation, states, outputs;",
                "then the time-invariant case and its convolution form (docs/ssm-math.md, equations 1 and 2)."})
final class ExplainScanCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "2", description = "channels, 1 to 4 (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--length", paramLabel = "L", defaultValue = "8", description = "sequence length, 1 to 16 (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--states", paramLabel = "N", defaultValue = "3", description = "state size, 1 to 8 (default: ${DEFAULT-VALUE})")
    int states;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the example's inputs (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        check("--channels", channels, 4);
        check("--length", length, 16);
        check("--states", states, 8);
        // UTF-8 whatever the platform's default, so that δ, Ā, B̄ print as such
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        print(ScanExample.random(channels, length, states, seed), seed, out);
        out.flush();
        return 0;
    }

    private void check(String name, int value, int max) {
        if (value < 1 || value > max)
            throw new CommandLine.ParameterException(spec.commandLine(), name + " must be between 1 and " + max + ", got " + value);
    }

    static void print(ScanExample ex, long seed, PrintStream out) {
        out.printf(Locale.ROOT, "Selective scan (Mamba's S6, as VMamba and CIPA run it), worked example%n");
        out.printf(Locale.ROOT, "%d channel(s) sharing B and C (like the channels of one scan direction), L = %d steps, N = %d states, seed %d.%n",
                ex.channels(), ex.length(), ex.states(), seed);
        out.println("Inputs are multiples of 0.01, so the arithmetic can be redone by hand; results have 6 decimals.");
        out.println();
        out.println("  δ_t      = softplus(Δ_t + Δbias)             softplus(x) = log(1 + eˣ), and x itself above 20");
        out.println("  Ā_t[n]   = exp(δ_t · A[n])                   zero-order hold for A");
        out.println("  B̄u_t[n]  = δ_t · B_t[n] · u_t                Euler step for B: what the Mamba kernels compute");
        out.println("             (\"zoh\": zero-order hold would take (exp(δ_t·A[n]) − 1) / A[n] · B_t[n] · u_t instead)");
        out.println("  h_t[n]   = Ā_t[n] · h_{t−1}[n] + B̄u_t[n]    from h_{−1} = 0      (equation 1)");
        out.println("  y_t      = Σ_n C_t[n] · h_t[n] + D · u_t");
        out.println();
        out.println("inputs");
        for (int ch = 0; ch < ex.channels(); ch++) {
            out.println("  A[" + ch + "]     = " + list(ex.a()[ch], 2));
            out.println("  D[" + ch + "]     = " + num(ex.d()[ch], 2));
            out.println("  Δbias[" + ch + "] = " + num(ex.deltaBias()[ch], 2));
            out.println("  u[" + ch + "]     = " + list(ex.u()[ch], 2));
            out.println("  Δ[" + ch + "]     = " + list(ex.delta()[ch], 2));
        }
        for (int n = 0; n < ex.states(); n++) out.println("  B[" + n + "]     = " + list(ex.b()[n], 2) + "    (state " + n + ", t = 0.." + (ex.length() - 1) + ")");
        for (int n = 0; n < ex.states(); n++) out.println("  C[" + n + "]     = " + list(ex.c()[n], 2));

        out.println();
        out.println("== 1. selective: Δ, B and C change with t ==");
        double[][] reference = ex.reference();
        for (int ch = 0; ch < ex.channels(); ch++) {
            double[] y = walk(ex, ch, out);
            out.println("  y, SelectiveScanRef.forward = " + list(reference[ch], 6));
            out.println("  largest |difference|        = " + sci(maxDiff(y, reference[ch])));
            double[] conv = ex.convolution(ch);
            out.println("  a convolution with the kernel of t = 0 gives " + list(conv, 6));
            out.println("  off by up to " + sci(maxDiff(y, conv)) + ": a selective scan has no convolution form");
        }

        ScanExample ti = ex.timeInvariant();
        out.println();
        out.println("== 2. time-invariant: Δ, B and C held at their t = 0 values ==");
        out.println("  K̄_k = Σ_n C[n] · Ā[n]^k · B̄[n],  B̄[n] = δ · B[n]     y = K̄ ∗ u + D·u   (equation 2)");
        for (int ch = 0; ch < ti.channels(); ch++) {
            double[] y = walk(ti, ch, out);
            double[] conv = ti.convolution(ch);
            out.println("  K̄                           = " + list(ti.kernel(ch), 6));
            out.println("  y, convolution K̄ ∗ u + D·u   = " + list(conv, 6));
            out.println("  largest |difference|        = " + sci(maxDiff(y, conv)));
        }
    }

    /** Prints channel {@code ch} step by step; returns its outputs. */
    private static double[] walk(ScanExample ex, int ch, PrintStream out) {
        out.println("channel " + ch);
        ScanExample.Step[] steps = ex.walk(ch);
        double[] y = new double[steps.length];
        for (int t = 0; t < steps.length; t++) {
            ScanExample.Step s = steps[t];
            out.printf(Locale.ROOT, "  t = %d   u = %s   Δ + Δbias = %s%n", t, num(ex.u()[ch][t], 2), num(ex.delta()[ch][t] + ex.deltaBias()[ch], 2));
            out.println("    δ    = " + num(s.delta(), 6));
            out.println("    Ā    = " + list(s.aBar(), 6));
            out.println("    B̄u   = " + list(s.bBarU(), 6));
            out.println("    zoh  = " + list(s.zohBBarU(), 6));
            out.println("    h    = " + list(s.h(), 6));
            out.println("    y    = " + num(s.y(), 6));
            y[t] = s.y();
        }
        out.println("  y, recurrence               = " + list(y, 6));
        return y;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    private static String list(double[] v, int decimals) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(num(v[i], decimals));
        return s.append(']').toString();
    }
}
