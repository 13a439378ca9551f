package jcipa.verify;

import java.io.IOException;
import java.nio.file.Path;

import jcipa.tensor.io.SafeTensors;

/** Recognises what a golden file holds and runs the matching checks. */
public final class Verifier {
    private Verifier() {}

    /** Checks one file; an unreadable or unrecognised file gives a report with one failing row. */
    public static Report verify(Path file) {
        Report report = new Report(file.toString());
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                ArchitecturesGolden.check(file, report);
                return report;
            }
            try (SafeTensors st = SafeTensors.open(file)) {
                if (ScanGolden.recognises(st)) ScanGolden.check(st, report);
                else if (ModelGolden.recognises(st)) ModelGolden.check(file, st, report);
                else report.add(Check.notChecked("-", file.getFileName().toString(), "not a file this build can check yet"));
            }
        } catch (IOException | RuntimeException e) {
            report.add(new Check("-", file.getFileName().toString(), "-", null, null, Double.NaN, false, Check.Status.FAIL,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return report;
    }
}
