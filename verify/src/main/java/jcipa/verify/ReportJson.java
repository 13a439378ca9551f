package jcipa.verify;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The verification table as JSON: totals, then per file its counts, its extra lines (the
 * {@code sha256} lines) and one object per check. Errors are numbers, or null where there is none
 * (a row that could not be computed); {@code error} is in the tolerance's measure
 * ({@code tolerance_kind} "abs" or "rel"), and so is {@code gpu_error}.
 */
public final class ReportJson {
    private ReportJson() {}

    public static byte[] render(List<Report> reports) throws IOException {
        ObjectNode root = ModelGolden.JSON.createObjectNode();
        root.put("tool", "jcipa cipa verify");
        root.put("passed", total(reports, Check.Status.PASS));
        root.put("failed", total(reports, Check.Status.FAIL));
        root.put("not_checked", total(reports, Check.Status.NOT_CHECKED));
        ArrayNode files = root.putArray("files");
        for (Report r : reports) {
            ObjectNode f = files.addObject();
            f.put("file", r.file());
            f.put("passed", r.count(Check.Status.PASS));
            f.put("failed", r.count(Check.Status.FAIL));
            f.put("not_checked", r.count(Check.Status.NOT_CHECKED));
            ArrayNode lines = f.putArray("lines");
            r.lines().forEach(lines::add);
            ArrayNode checks = f.putArray("checks");
            for (Check c : r.checks()) {
                ObjectNode o = checks.addObject();
                o.put("part", c.part());
                o.put("tensor", c.tensor());
                o.put("against", c.against());
                o.put("status", c.status().name());
                number(o, "max_abs", c.ours() == null ? Double.NaN : c.ours().maxAbs());
                number(o, "relative", c.ours() == null ? Double.NaN : c.ours().relative());
                number(o, "error", error(c));
                number(o, "gpu_error", gpuError(c));
                number(o, "tolerance", c.tolerance());
                o.put("tolerance_kind", c.absolute() ? "abs" : "rel");
                o.put("note", c.note());
            }
        }
        return ModelGolden.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** Our error in the tolerance's measure, NaN if there is none. */
    static double error(Check c) {
        return c.ours() == null ? Double.NaN : c.absolute() ? c.ours().maxAbs() : c.ours().relative();
    }

    /** The GPU build's error in the tolerance's measure, NaN if the file has none. */
    static double gpuError(Check c) {
        return c.gpu() == null ? Double.NaN : c.absolute() ? c.gpu().maxAbs() : c.gpu().relative();
    }

    static long total(List<Report> reports, Check.Status s) {
        return reports.stream().mapToLong(r -> r.count(s)).sum();
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else if (Double.isInfinite(v)) o.put(key, v > 0 ? "Infinity" : "-Infinity");
        else o.putNull(key);
    }
}
