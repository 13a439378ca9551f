package jcipa.tensor.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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

    /**
     * Runs tasks 0..count-1, each exactly once, on the calling thread and up to {@link #threads()} − 1 virtual
     * threads, and returns when all have run. It waits for the tasks, not for the helper threads: a helper that
     * starts after the caller has taken the last task finds nothing and ends on its own, so a short call does
     * not wait on a thread's start and exit (about 0.1 ms each on a 2-core VM, more than many ops take).
     */
    public static void forTasks(int count, TaskBody body) {
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int t = 0; t < count; t++) body.run(t);
            return;
        }
        AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        Runnable worker = () -> {
            int t;
            while ((t = next.getAndIncrement()) < count) {
                try {
                    if (failure.get() == null) body.run(t);                    // after a failure the rest are skipped
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (done.incrementAndGet() == count) LockSupport.unpark(caller);
                }
            }
        };
        // the calling thread is one of the workers: one thread start and one wake-up fewer per call
        for (int w = 1; w < workers; w++) Thread.ofVirtual().name("jcipa-", w).start(worker);
        worker.run();
        // the helpers' last tasks: spin a little (they usually end within microseconds), then park
        for (int spin = 0; done.get() < count && spin < SPINS; spin++) Thread.onSpinWait();
        boolean interrupted = false;
        while (done.get() < count) {
            LockSupport.park(done);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) caller.interrupt();
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }

    /** Spin-wait steps before the caller parks for the helpers' last tasks. */
    private static final int SPINS = 1 << 12;
}
