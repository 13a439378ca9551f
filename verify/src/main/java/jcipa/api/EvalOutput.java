package jcipa.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jcipa.data.Pclt20k;
import jcipa.data.Problem;
import jcipa.viz.AtomicPng;

/**
 * What {@code cipa eval} leaves in its output folder: {@code metrics.csv} (per image),
 * {@code summary.txt} (the table, and any skipped slices), {@code worst.png} (the gallery of the
 * worst cases). Existing results are never replaced without {@code overwrite}: the check runs
 * before any work, and each file is written whole or not at all.
 */
public final class EvalOutput {
    private EvalOutput() {}

    public static final String CSV = "metrics.csv", SUMMARY = "summary.txt", GALLERY = "worst.png";

    /** The files an evaluation writes under {@code out}. */
    public static List<Path> files(Path out) {
        return List.of(out.resolve(CSV), out.resolve(SUMMARY), out.resolve(GALLERY));
    }

    /** IOException if {@code out} is not a folder or (without overwrite) already holds results; writes nothing. */
    public static void checkWritable(Path out, boolean overwrite) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + " exists and is not a folder");
        List<String> existing = new ArrayList<>();
        for (Path f : files(out)) if (Files.exists(f)) existing.add(f.toString());
        if (!existing.isEmpty() && !overwrite)
            throw new IOException("not overwriting " + String.join(", ", existing) + " (pass --overwrite to replace); nothing was written");
    }

    /** Writes the three files; the gallery shows the {@code worst} lowest-IoU cases. */
    public static void write(Path out, boolean overwrite, Evaluation ev, Segmenter segmenter, Pclt20k data, int worst) throws IOException {
        checkWritable(out, overwrite);
        Files.createDirectories(out);
        AtomicText.write(out.resolve(CSV), ev.csv());
        StringBuilder summary = new StringBuilder(ev.table());
        for (Problem p : ev.skipped()) summary.append("skipped ").append(p.name()).append(": ").append(p.reason()).append('\n');
        AtomicText.write(out.resolve(SUMMARY), summary.toString());
        AtomicPng.write(out.resolve(GALLERY), Gallery.render(segmenter, data, ev.worst(worst)));
    }
}
