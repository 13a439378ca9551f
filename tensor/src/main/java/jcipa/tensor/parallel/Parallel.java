package jcipa.tensor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

    /** Runs tasks 0..count-1, each exactly once, on the calling thread and up to {@link #threads()} − 1 virtual threads. */
    public static void forTasks(int count, TaskBody body) {
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int t = 0; t < count; t++) body.run(t);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int t;
            while (failure.get() == null && (t = next.getAndIncrement()) < count) {
                try {
                    body.run(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        // the calling thread is one of the workers: one thread start and one wake-up fewer per call
        List<Thread> started = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) started.add(Thread.ofVirtual().name("jcipa-", w).start(worker));
        worker.run();
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for parallel work", e);
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }
}
