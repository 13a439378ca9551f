package jcipa.api;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with rate and ETA, redrawn with {@code \r} (no terminal library):
 * {@code [########------------]  40/100  40%  2.1 it/s  ETA 0:28  loss 0.41}.
 * Redraws at most every 200 ms, and always at the end.
 */
public final class ProgressBar implements Progress {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String label;
    private final long startNanos = System.nanoTime();
    private long lastDraw, startDone = -1;
    private int lastLength;

    /** A bar on {@code out} (usually System.err) whose lines start with {@code label}. */
    public ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public synchronized void update(long done, long total, String note) {
        long now = System.nanoTime();
        if (startDone < 0) startDone = done;
        if (done < total && now - lastDraw < 200_000_000L && lastDraw != 0) return;
        lastDraw = now;
        String line = label + " " + render(done, total, (now - startNanos) / 1e9, done - startDone, note);
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        out.flush();
    }

    /** The text of the bar after {@code seconds}, {@code counted} units of which were done in this run. */
    static String render(long done, long total, double seconds, long counted, String note) {
        int filled = total <= 0 ? 0 : (int) (WIDTH * Math.min(1.0, (double) done / total));
        double rate = seconds > 0 ? counted / seconds : 0;
        String eta = rate > 0 ? clock((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "[%s%s] %d/%d %3d%% %.2f it/s ETA %s%s", "#".repeat(filled), "-".repeat(WIDTH - filled),
                done, total, total <= 0 ? 100 : (int) (100 * done / total), rate, eta, note == null || note.isEmpty() ? "" : "  " + note);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void finish() {
        out.println();
        out.flush();
    }
}
