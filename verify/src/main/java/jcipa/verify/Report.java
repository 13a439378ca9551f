package jcipa.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks of one golden file, printed as a table: our maximum absolute error, our error
 * relative to the reference tensor's largest magnitude, the GPU build's error against the same
 * fp64 twin (in the measure the tolerance uses: absolute for "abs", relative for "rel"), the
 * tolerance, and the result.
 */
public final class Report {
    private final String file;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    public Report(String file) { this.file = file; }

    public String file() { return file; }

    public void add(Check c) { checks.add(c); }

    /** An extra line printed after the table (e.g. {@code sha256 <case> <hex>}). */
    public void line(String s) { lines.add(s); }

    public List<Check> checks() { return List.copyOf(checks); }

    public List<String> lines() { return List.copyOf(lines); }

    public long count(Check.Status s) { return checks.stream().filter(c -> c.status() == s).count(); }

    public void print(PrintStream out) {
        out.println("== " + file);
        out.printf(Locale.ROOT, "%-32s %-26s %-5s %11s %11s %11s %11s  %s%n", "part", "tensor", "vs", "max|err|", "rel err", "gpu err", "tolerance", "result");
        for (Check c : checks) {
            if (c.ours() == null) {
                out.printf(Locale.ROOT, "%-32s %-26s %-5s %11s %11s %11s %11s  %s (%s)%n", c.part(), c.tensor(), "-", "-", "-", "-", "-",
                        c.status() == Check.Status.NOT_CHECKED ? "not checked" : "FAIL", c.note());
                continue;
            }
            out.printf(Locale.ROOT, "%-32s %-26s %-5s %11.3e %11.3e %11s %11s  %s%n", c.part(), c.tensor(), c.against(),
                    c.ours().maxAbs(), c.ours().relative(),
                    c.gpu() == null ? "-" : String.format(Locale.ROOT, "%.3e", c.absolute() ? c.gpu().maxAbs() : c.gpu().relative()),
                    (c.absolute() ? "abs " : "rel ") + String.format(Locale.ROOT, "%.0e", c.tolerance()),
                    c.status() == Check.Status.PASS ? "ok" : "FAIL");
        }
        for (String l : lines) out.println(l);
    }
}
