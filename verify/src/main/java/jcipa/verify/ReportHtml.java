package jcipa.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verification table as one self-contained HTML page for a person: pass/fail counts, the
 * failures, the {@code sha256} lines, then per file a bar per module (its worst check) and every check, worst
 * first. Each bar shows an error on a log scale from 1e-16 to 1, ours dark (green within the
 * tolerance, red beyond), the GPU build's error against the same fp64 reference in grey below it,
 * and the tolerance as a red tick. No scripts, no external resources.
 */
public final class ReportHtml {
    private ReportHtml() {}

    /** Decades shown by the bars: 10^-12 … 10^0. */
    static final int LOW = -16, HIGH = 0;

    public static String render(List<Report> reports) {
        StringBuilder h = new StringBuilder(1 << 16);
        long pass = ReportJson.total(reports, Check.Status.PASS), fail = ReportJson.total(reports, Check.Status.FAIL),
                nc = ReportJson.total(reports, Check.Status.NOT_CHECKED);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jcipa verify: ")
                .append(fail == 0 ? "all passed" : fail + " failed").append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        h.append("<h1>jcipa verify</h1>\n<p class=\"summary\"><span class=\"pill ").append(fail == 0 ? "ok" : "bad").append("\">")
                .append(fail == 0 ? "PASS" : "FAIL").append("</span> <span id=\"passed\">").append(pass).append("</span> passed, <span id=\"failed\">")
                .append(fail).append("</span> failed, <span id=\"not-checked\">").append(nc).append("</span> not checked, in ")
                .append(reports.size()).append(reports.size() == 1 ? " file" : " files").append("</p>\n");
        h.append("<p class=\"legend\">Each bar is an error on a log scale from 10<sup>").append(LOW).append("</sup> (left) to 1 (right): ")
                .append("<span class=\"key ours-ok\"></span> ours within the tolerance, <span class=\"key ours-bad\"></span> ours beyond it, ")
                .append("<span class=\"key gpu\"></span> the GPU build's error against the same fp64 reference, ")
                .append("<span class=\"key tol\"></span> the tolerance. Errors are relative to the reference's largest magnitude (rel) or absolute (abs), as the tolerance is stated.</p>\n");
        if (reports.size() > 1) {
            h.append("<table class=\"files\"><thead><tr><th>file</th><th>passed</th><th>failed</th><th>not checked</th></tr></thead><tbody>\n");
            for (int i = 0; i < reports.size(); i++) {
                Report r = reports.get(i);
                h.append("<tr class=\"").append(r.count(Check.Status.FAIL) > 0 ? "fail" : "pass").append("\"><td><a href=\"#file").append(i).append("\">")
                        .append(esc(r.file())).append("</a></td><td class=\"num\">").append(r.count(Check.Status.PASS)).append("</td><td class=\"num\">")
                        .append(r.count(Check.Status.FAIL)).append("</td><td class=\"num\">").append(r.count(Check.Status.NOT_CHECKED)).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        if (fail > 0) {
            h.append("<h3 class=\"failures\">Failures</h3>\n<table class=\"failures\"><thead><tr><th>file</th><th>part</th><th>tensor</th><th>vs</th>")
                    .append("<th>error</th><th>tolerance</th><th>why</th></tr></thead><tbody>\n");
            for (int i = 0; i < reports.size(); i++)
                for (Check c : reports.get(i).checks()) {
                    if (c.status() != Check.Status.FAIL) continue;
                    double e = ReportJson.error(c);
                    h.append("<tr class=\"failure fail\"><td><a href=\"#file").append(i).append("\">").append(esc(shortName(reports.get(i).file())))
                            .append("</a></td><td>").append(esc(c.part())).append("</td><td>").append(esc(c.tensor())).append("</td><td>").append(esc(c.against()))
                            .append("</td><td class=\"num\">").append(Double.isNaN(e) ? "-" : sci(e)).append("</td><td class=\"num\">")
                            .append(Double.isNaN(c.tolerance()) ? "-" : (c.absolute() ? "abs " : "rel ") + String.format(Locale.ROOT, "%.0e", c.tolerance()))
                            .append("</td><td>").append(esc(c.note().isEmpty() ? String.format(Locale.ROOT, "%.3g times the tolerance", ratioValue(c)) : c.note()))
                            .append("</td></tr>\n");
                }
            h.append("</tbody></table>\n");
        }
        for (int i = 0; i < reports.size(); i++) file(h, reports.get(i), i);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void file(StringBuilder h, Report r, int index) {
        long pass = r.count(Check.Status.PASS), fail = r.count(Check.Status.FAIL), nc = r.count(Check.Status.NOT_CHECKED);
        h.append("<section class=\"file\" id=\"file").append(index).append("\"><h2>").append(esc(r.file())).append("</h2>\n<p class=\"counts\">")
                .append(pass).append(" passed, ").append(fail).append(" failed, ").append(nc).append(" not checked</p>\n");
        if (!r.lines().isEmpty()) {
            h.append("<pre class=\"lines\">");
            for (String l : r.lines()) h.append(esc(l)).append('\n');
            h.append("</pre>\n");
        }
        List<Check> worstFirst = new ArrayList<>(r.checks());
        worstFirst.sort(WORST_FIRST);

        Map<String, List<Check>> byModule = new LinkedHashMap<>();
        for (Check c : worstFirst) byModule.computeIfAbsent(c.part(), k -> new ArrayList<>()).add(c);
        h.append("<h3>Per module (its worst check)</h3>\n<table class=\"modules\"><thead><tr><th>result</th><th>module / part</th><th>checks</th>")
                .append("<th>worst tensor</th><th>error / tolerance</th><th>").append(axis()).append("</th></tr></thead><tbody>\n");
        for (Map.Entry<String, List<Check>> e : byModule.entrySet()) {
            Check w = e.getValue().get(0);
            long bad = e.getValue().stream().filter(c -> c.status() == Check.Status.FAIL).count();
            h.append("<tr class=\"module ").append(cls(w)).append("\"><td>").append(result(w)).append("</td><td class=\"part\">").append(esc(e.getKey()))
                    .append("</td><td>").append(e.getValue().size()).append(bad > 0 ? " (" + bad + " failed)" : "").append("</td><td>")
                    .append(esc(w.tensor())).append("</td><td class=\"num\">").append(ratio(w)).append("</td><td>").append(bar(w)).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        h.append("<h3>All checks, worst first</h3>\n<table class=\"checks\"><thead><tr><th>result</th><th>part</th><th>tensor</th><th>vs</th>")
                .append("<th>max|err|</th><th>rel err</th><th>gpu err</th><th>tolerance</th><th>").append(axis()).append("</th></tr></thead><tbody>\n");
        for (Check c : worstFirst) {
            h.append("<tr class=\"check ").append(cls(c)).append("\"><td>").append(result(c)).append("</td><td class=\"part\">").append(esc(c.part()))
                    .append("</td><td>").append(esc(c.tensor())).append(c.note().isEmpty() ? "" : "<div class=\"note\">" + esc(c.note()) + "</div>")
                    .append("</td><td>").append(esc(c.against())).append("</td>");
            if (c.ours() == null) {
                h.append("<td class=\"num\">-</td><td class=\"num\">-</td><td class=\"num\">-</td><td class=\"num\">-</td><td></td></tr>\n");
                continue;
            }
            double gpu = ReportJson.gpuError(c);
            h.append("<td class=\"num\">").append(sci(c.ours().maxAbs())).append("</td><td class=\"num\">").append(sci(c.ours().relative()))
                    .append("</td><td class=\"num\">").append(Double.isNaN(gpu) ? "-" : sci(gpu)).append("</td><td class=\"num\">")
                    .append(c.absolute() ? "abs " : "rel ").append(String.format(Locale.ROOT, "%.0e", c.tolerance())).append("</td><td>")
                    .append(bar(c)).append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");
    }

    /** Failures first, then by error / tolerance, largest first; rows without a number last. */
    static final Comparator<Check> WORST_FIRST = Comparator
            .comparingInt((Check c) -> c.status() == Check.Status.FAIL ? 0 : c.status() == Check.Status.PASS ? 1 : 2)
            .thenComparing(Comparator.comparingDouble(ReportHtml::ratioValue).reversed());

    static double ratioValue(Check c) {
        double e = ReportJson.error(c), r = e == 0 ? 0 : e / c.tolerance();    // an exact check (0 of 0 allowed) is 0
        return Double.isNaN(r) ? Double.NEGATIVE_INFINITY : r;
    }

    private static String ratio(Check c) {
        double v = ratioValue(c);
        return v == Double.NEGATIVE_INFINITY ? "-" : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String axis() {
        return "<div class=\"axis\"><span style=\"left:0%\">1e-16</span><span style=\"left:50%\">1e-8</span><span style=\"left:100%\">1</span></div>";
    }

    /** Horizontal position (percent) of a value on the log axis; 0 for zero. */
    static double position(double v) {
        if (!(v > 0)) return 0;
        double p = (Math.log10(v) - LOW) / (HIGH - LOW) * 100;
        return Math.max(0.5, Math.min(100, p));
    }

    private static String bar(Check c) {
        double err = ReportJson.error(c), gpu = ReportJson.gpuError(c);
        if (Double.isNaN(err)) return "";
        StringBuilder b = new StringBuilder("<div class=\"track\" title=\"ours ").append(sci(err));
        if (!Double.isNaN(gpu)) b.append(", gpu ").append(sci(gpu));
        b.append(", tolerance ").append(sci(c.tolerance())).append("\">");
        b.append(String.format(Locale.ROOT, "<div class=\"ours %s\" style=\"width:%.1f%%\"></div>", c.status() == Check.Status.PASS ? "ours-ok" : "ours-bad", position(err)));
        if (!Double.isNaN(gpu)) b.append(String.format(Locale.ROOT, "<div class=\"gpu\" style=\"width:%.1f%%\"></div>", position(gpu)));
        if (Double.isFinite(c.tolerance()))
            b.append(String.format(Locale.ROOT, "<div class=\"tol\" style=\"left:%.1f%%\"></div>", position(c.tolerance())));
        return b.append("</div>").toString();
    }

    private static String cls(Check c) {
        return switch (c.status()) { case PASS -> "pass"; case FAIL -> "fail"; case NOT_CHECKED -> "unchecked"; };
    }

    private static String result(Check c) {
        return switch (c.status()) { case PASS -> "ok"; case FAIL -> "FAIL"; case NOT_CHECKED -> "not checked"; };
    }

    private static String sci(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.3e", v);
    }

    private static String shortName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return file.substring(slash + 1);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px 32px;color:#1d232a;background:#fff}
            h1{margin:0 0 8px;font-size:26px}h2{font-size:18px;margin:28px 0 4px;font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
            h3{font-size:15px;margin:18px 0 6px;color:#39424d}
            .summary{font-size:18px;margin:4px 0 8px}.pill{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
            .pill.ok{background:#1f883d}.pill.bad{background:#cf222e}
            .legend{color:#57606a;max-width:1100px}.key{display:inline-block;width:22px;height:10px;vertical-align:middle;margin-right:3px}
            .key.ours-ok,.ours-ok{background:#2da44e}.key.ours-bad,.ours-bad{background:#cf222e}.key.gpu,.gpu{background:#8c959f}
            .key.tol{width:3px;height:14px;background:#9a1d1d}
            .counts{margin:0 0 6px;color:#39424d}pre.lines{background:#f6f8fa;padding:8px 10px;border-radius:6px;white-space:pre-wrap;margin:6px 0}
            table{border-collapse:collapse;margin:4px 0 10px}th,td{padding:3px 8px;border-bottom:1px solid #e5e8eb;text-align:left;vertical-align:middle;white-space:nowrap}
            th{background:#f6f8fa;font-weight:600;position:sticky;top:0}td.num{text-align:right;font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}
            tr.fail td{background:#ffebe9}tr.unchecked td{color:#6e7781;background:#fbfbfc}tr.fail td:first-child{color:#cf222e;font-weight:700}
            tr.pass td:first-child{color:#1f883d}td.part{white-space:normal;overflow-wrap:anywhere;max-width:430px}.note{font-size:12px;color:#6e7781;white-space:normal;max-width:480px}
            .track{position:relative;width:260px;height:16px;background:#eef1f4;border-radius:2px}
            .track .ours{position:absolute;left:0;top:2px;height:7px}.track .gpu{position:absolute;left:0;top:11px;height:3px}
            .track .tol{position:absolute;top:0;width:2px;height:16px;background:#9a1d1d}
            .axis{position:relative;width:260px;height:14px;font-weight:400;font-size:11px;color:#57606a}
            .axis span{position:absolute;transform:translateX(-50%)}.axis span:first-child{transform:none}.axis span:last-child{transform:translateX(-100%)}
            """;
}
