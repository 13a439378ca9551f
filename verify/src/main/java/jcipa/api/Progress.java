package jcipa.api;

/** Told how far a long job has come (e.g. {@link ProgressBar}); {@link #NONE} ignores it. */
public interface Progress {
    Progress NONE = (done, total, note) -> {};

    /** {@code done} of {@code total} units finished; {@code note} is a short status (may be empty). */
    void update(long done, long total, String note);

    /** The job is over (a bar ends its line). */
    default void finish() {}
}
