package jcipa.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Two tensor files compared name by name ({@code cipa compare A B}): for each name in both, the
 * largest |A − B| and that relative to max|B| against a tolerance (verify's table), the float32
 * ulp distances as a histogram, and the first module, in forward order, whose output differs
 * beyond the tolerance. Names in only one file are listed and not counted.
 */
public final class TensorCompare {
    private TensorCompare() {}

    /** One compared name: its row of the table and its ulp histogram (null for a shape mismatch). */
    public record Row(String name, Check check, UlpHistogram ulps) {}

    /**
     * @param report     the table, rows in forward order (captures) after the other names (file order of A)
     * @param rows       the same rows with their histograms
     * @param onlyA      names only A has
     * @param onlyB      names only B has
     * @param order      how captures were ordered ("forward pass of the model in the metadata" or "file order of A")
     * @param firstModule the first capture row beyond the tolerance, if any
     * @param total      every compared element's ulp distance
     */
    public record Result(Report report, List<Row> rows, List<String> onlyA, List<String> onlyB, String order,
                         Optional<Row> firstModule, UlpHistogram total, double tolerance) {

        public long failed() { return report.count(Check.Status.FAIL); }

        /** True when something was compared and every compared tensor is within the tolerance. */
        public boolean passed() { return !rows.isEmpty() && failed() == 0; }

        public void print(PrintStream out) {
            report.print(out);
            out.println();
            if (rows.stream().anyMatch(r -> r.name().startsWith("act/"))) out.println("order of captures: " + order);
            if (firstModule.isPresent()) {
                Row r = firstModule.get();
                out.printf(Locale.ROOT, "FIRST DIVERGING MODULE: %s (%s, rel err %.3e > %.0e)%n",
                        r.check().part(), r.name(), r.check().ours().relative(), tolerance);
            } else if (rows.stream().anyMatch(r -> r.name().startsWith("act/"))) {
                out.println("first diverging module: none (every capture within the tolerance)");
            }
            rows.stream().filter(r -> r.check().status() == Check.Status.FAIL && !r.name().startsWith("act/")).findFirst()
                    .ifPresent(r -> out.println("first diverging other tensor: " + r.name()));
            if (!onlyA.isEmpty()) out.println("only in A (" + onlyA.size() + "): " + String.join(", ", abbreviate(onlyA)));
            if (!onlyB.isEmpty()) out.println("only in B (" + onlyB.size() + "): " + String.join(", ", abbreviate(onlyB)));
            out.println();
            out.println("float32 ulp distance, all " + total.total() + " compared elements (max " + ulps(total.maxUlps()) + "):");
            out.print(total.bars());
            List<Row> worst = rows.stream().filter(r -> r.ulps() != null && r.ulps().maxUlps() > 0)
                    .sorted(Comparator.comparingLong((Row r) -> r.ulps().maxUlps()).reversed()).limit(20).toList();
            if (!worst.isEmpty()) {
                out.println("per tensor, largest ulp distance first (up to 20):");
                for (Row r : worst) out.printf(Locale.ROOT, "  %-60s max %-10s %s%n", r.name(), ulps(r.ulps().maxUlps()), r.ulps().compact());
            }
            out.println(report.count(Check.Status.PASS) + " within tolerance, " + failed() + " beyond; "
                    + rows.size() + " compared, " + onlyA.size() + " only in A, " + onlyB.size() + " only in B");
        }

        private static String ulps(long u) { return u == Long.MAX_VALUE ? "NaN" : Long.toString(u); }

        private static List<String> abbreviate(List<String> names) {
            if (names.size() <= 12) return names;
            List<String> l = new ArrayList<>(names.subList(0, 10));
            l.add("... " + (names.size() - 10) + " more");
            return l;
        }
    }

    /** Compares A with B (the reference: relative errors are to max|B|) at relative tolerance {@code tol}. */
    public static Result compare(TensorFile a, TensorFile b, double tol) {
        List<String> common = new ArrayList<>(), onlyA = new ArrayList<>(), onlyB = new ArrayList<>();
        for (String n : a.names()) (b.has(n) ? common : onlyA).add(n);
        for (String n : b.names()) if (!a.has(n)) onlyB.add(n);

        List<String> captures = new ArrayList<>(common.stream().filter(n -> n.startsWith("act/")).toList());
        Optional<List<String>> traced = captures.isEmpty() ? Optional.empty() : ForwardOrder.of(a.metadata());
        if (traced.isEmpty() && !captures.isEmpty()) traced = ForwardOrder.of(b.metadata());
        String order = traced.isPresent() ? "forward pass of the CIPA model in the metadata" : "file order of A";
        Map<String, Integer> rank = new HashMap<>();
        traced.ifPresent(t -> { for (int i = 0; i < t.size(); i++) rank.put(t.get(i), i); });
        captures.sort(Comparator.comparingInt(n -> rank.getOrDefault(callKey(n), Integer.MAX_VALUE)));  // stable: file order otherwise
        List<String> sorted = new ArrayList<>(common.stream().filter(n -> !n.startsWith("act/")).toList());
        sorted.addAll(captures);

        Report report = new Report(a.file() + "  vs  " + b.file());
        List<Row> rows = new ArrayList<>();
        UlpHistogram total = new UlpHistogram();
        for (String n : sorted) {
            Row r = row(a, b, n, tol);
            rows.add(r);
            report.add(r.check());
            if (r.ulps() != null) total.addAll(r.ulps());
        }
        Optional<Row> first = rows.stream().filter(r -> r.name().startsWith("act/") && r.name().contains("/out")
                && r.check().status() == Check.Status.FAIL).findFirst();
        if (first.isEmpty())
            first = rows.stream().filter(r -> r.name().startsWith("act/") && r.check().status() == Check.Status.FAIL).findFirst();
        return new Result(report, rows, onlyA, onlyB, order, first, total, tol);
    }

    private static Row row(TensorFile a, TensorFile b, String n, double tol) {
        boolean capture = n.startsWith("act/");
        String part = capture ? n.substring(4, n.indexOf('#') < 0 ? n.lastIndexOf('/') : n.indexOf('#')) : n.substring(0, Math.max(n.indexOf('/'), 0));
        String tensor = capture && n.indexOf('#') > 0 ? n.substring(n.indexOf('#')) : n;
        if (part.isEmpty()) part = "-";
        long[] sa = a.shape(n), sb = b.shape(n);
        if (!Arrays.equals(sa, sb) && numel(sa) != numel(sb))
            return new Row(n, new Check(part, tensor, "B", null, null, tol, false, Check.Status.FAIL,
                    "shape " + Arrays.toString(sa) + " in A, " + Arrays.toString(sb) + " in B"), null);
        double[] va = a.values(n), vb = b.values(n);
        UlpHistogram u = null;
        if (a.dtype(n).isFloatingPoint() || b.dtype(n).isFloatingPoint()) {
            u = new UlpHistogram();
            u.add(va, vb);
        }
        return new Row(n, Check.of(part, tensor, "B", Comparison.of(va, vb), null, tol, false), u);
    }

    private static long numel(long[] s) {
        long n = 1;
        for (long d : s) n *= d;
        return n;
    }

    /** {@code act/<path>#<k>/x} → {@code <path>#<k>}. */
    static String callKey(String name) {
        return name.substring(4, name.lastIndexOf('/'));
    }
}
