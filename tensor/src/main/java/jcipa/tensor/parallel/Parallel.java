package jcipa.tensor.parallel;

/**
 * Runs fixed chunks of work on virtual threads.
 *
 * <p>Determinism rule: the caller chooses the chunks (their count and boundaries) from the problem
 * size alone, never from the thread count. Each chunk writes its own outputs; any reduction across
 * chunks is done by the caller afterwards, in chunk order. So the result bits are the same for 1, 2
 * or 64 threads; only the wall time changes.
 *
 * <p>The thread count is a process-wide setting ({@code --threads N} on the command line, or the
 * system property {@code jcipa.threads}); the default is the number of available processors.
 */
public final class Parallel {
    private Parallel() {}

    private static volatile int threads = initialThreads();

    private static int initialThreads() {
        String p = System.getProperty("jcipa.threads");
        if (p != null && !p.isBlank()) {
            int n = Integer.parseInt(p.trim());
            if (n < 1) throw new IllegalArgumentException("jcipa.threads must be >= 1, got " + n);
            return n;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of worker threads used for chunked work. */
    public static int threads() { return threads; }

    /** Sets the number of worker threads (at least 1). Results do not depend on it. */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        threads = n;
    }

    /** A body of work over the half-open range [start, end). */
    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /** A body of work for one task index. */
    @FunctionalInterface
    public interface TaskBody { void run(int task); }

    /** A task that answers yes or no (such as "did this part of the output get a NaN"). */
    @FunctionalInterface
    public interface TaskTest { boolean test(int task); }

    /**
     * {@link #forTasks}, then whether any task answered true. Every task runs, whatever the others answer, so the
     * work done (and what the tasks write) does not depend on the threads.
     */
    public static boolean anyTask(int count, TaskTest body) {
        boolean[] answers = new boolean[count];
        forTasks(count, t -> answers[t] = body.test(t));
        for (boolean a : answers) if (a) return true;
        return false;
    }

    /** Number of chunks of size {@code chunk} covering {@code n} items. */
    public static int chunkCount(int n, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        return n == 0 ? 0 : (int) (((long) n + chunk - 1) / chunk);
    }

    /**
     * Runs {@code body} on the chunks [0,chunk), [chunk,2·chunk), ... of [0,n). The chunk size is
     * part of the caller's algorithm (it must not be derived from {@link #threads()}).
     */
    public static void forChunks(int n, int chunk, RangeBody body) {
        int count = chunkCount(n, chunk);
        forTasks(count, t -> body.run(t * chunk, (int) Math.min((long) n, (long) (t + 1) * chunk)));
    }

    /**
     * Runs tasks 0..count-1, each exactly once, on the calling thread and up to {@link #threads()} − 1 helper
     * virtual threads, and returns when all have run. The helpers are kept between calls ({@link Crew}); it waits
     * for the tasks, not for the helpers: a helper that joins after the caller has taken the last task finds
     * nothing, so a short call does not wait on a thread's start (about 0.1 ms on a 2-core VM, more than many
     * ops take).
     */
    public static void forTasks(int count, TaskBody body) {
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int t = 0; t < count; t++) body.run(t);
            return;
        }
        Job job = new Job(count, workers - 1, body);
        if (!Crew.run(job)) {
            // the kept helpers are busy (a call from inside a task, or from another thread): helpers of its own;
            // the calling thread is one of the workers
            for (int w = 1; w < workers; w++) Thread.ofVirtual().name("jcipa-", w).start(job::work);
            job.work();
            job.awaitAll();
        }
        job.rethrow();
    }
}
