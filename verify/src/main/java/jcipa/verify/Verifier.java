package jcipa.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jcipa.tensor.io.SafeTensors;

/** Recognises what a golden file holds (safetensors, or the same tensors as a NumPy .npz) and runs the matching checks. */
public final class Verifier {
    private Verifier() {}

    /** Checks one file; an unreadable or unrecognised file gives a report with one failing row. */
    public static Report verify(Path file) {
        return verify(file, false);
    }

    /** Like {@link #verify(Path)}; {@code quick} checks a model file's forward pass only (no gradients or training step). */
    public static Report verify(Path file, boolean quick) {
        Report report = new Report(file.toString());
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                ArchitecturesGolden.check(file, report);
                return report;
            }
            Path npzCopy = null;
            try (TensorFile tf = TensorFile.open(file)) {
                if (tf instanceof NpzFile npz) npzCopy = asSafeTensors(npz);
            }
            try (SafeTensors st = SafeTensors.open(npzCopy != null ? npzCopy : file)) {
                if (ScanGolden.recognises(st)) ScanGolden.check(st, report);
                else if (ModelGolden.recognises(st)) ModelGolden.check(file, st, report, quick);
                else if (MetricsGolden.recognises(st)) MetricsGolden.check(st, report);
                else report.add(Check.notChecked("-", file.getFileName().toString(), "not a file this build can check yet"));
            } finally {
                if (npzCopy != null) Files.deleteIfExists(npzCopy);
            }
        } catch (IOException | RuntimeException e) {
            report.add(new Check("-", file.getFileName().toString(), "-", null, null, Double.NaN, false, Check.Status.FAIL,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return report;
    }

    /** The same tensors and metadata as a temporary safetensors file (the checks read safetensors). */
    private static Path asSafeTensors(NpzFile npz) throws IOException {
        SafeTensors.Writer w = SafeTensors.writer();
        npz.metadata().forEach(w::metadata);
        for (String n : npz.names()) w.putRaw(n, npz.dtype(n), npz.rawBytes(n), npz.shape(n));
        Path tmp = Files.createTempFile("jcipa-npz-", ".safetensors");
        w.write(tmp, true);
        return tmp;
    }
}
