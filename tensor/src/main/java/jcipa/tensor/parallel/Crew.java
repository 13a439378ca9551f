package jcipa.tensor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper virtual threads kept between {@link Parallel#forTasks} calls. After a job each helper spins for a short
 * while ({@code jcipa.spinMicros}, 200 µs by default) watching for the next one before it parks: a forward pass
 * makes thousands of parallel calls, often back to back, and waking a parked thread costs tens of microseconds
 * on a VM (the idle virtual CPU has to be woken too), during which the caller works alone.
 *
 * <p>One job at a time holds the crew; a call made meanwhile (from inside a task, or from another thread) starts
 * helpers of its own instead. Helpers only spin while there are fewer of them than processors, so they never
 * take a core the caller needs.
 */
final class Crew {
    private Crew() {}

    private static final long SPIN_NANOS = Long.getLong("jcipa.spinMicros", 200) * 1000;
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    private static final AtomicBoolean held = new AtomicBoolean();
    private static final List<Helper> helpers = new ArrayList<>();   // grown by the holder only
    /** The job being run, or null; helpers join a job whose generation they have not seen. */
    private static volatile Job current;

    private static long generation;   // written by the holder only

    /** Runs the job with the kept helpers and returns true, or returns false if another job holds them. */
    static boolean run(Job job) {
        if (!held.compareAndSet(false, true)) return false;
        try {
            while (helpers.size() < job.helpers) helpers.add(new Helper(helpers.size()));
            job.generation = ++generation;                    // before it is published
            current = job;
            for (int i = 0; i < job.helpers; i++) helpers.get(i).wake();
            job.work();
            job.awaitAll();
        } finally {
            current = null;                                   // no helper keeps the job's arrays alive
            held.set(false);
        }
        return true;
    }

    private static final class Helper implements Runnable {
        private final int index;
        private final Thread thread;
        private volatile boolean parked;

        Helper(int index) {
            this.index = index;
            this.thread = Thread.ofVirtual().name("jcipa-helper-", index).start(this);
        }

        void wake() { if (parked) LockSupport.unpark(thread); }

        @Override public void run() {
            long seen = 0;
            while (true) {
                Job job = awaitNew(seen);
                seen = job.generation;                        // a number, not the job: nothing of it is kept
                if (index < job.helpers) job.work();
            }
        }

        /** The next job this helper has not seen: spins while it may, then parks until woken. */
        private Job awaitNew(long seen) {
            boolean spin = index + 1 < PROCESSORS;
            long deadline = System.nanoTime() + SPIN_NANOS;
            for (int k = 0; ; k++) {
                Job p = current;
                if (p != null && p.generation != seen) return p;
                if (spin && ((k & 63) != 0 || System.nanoTime() < deadline)) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;                                 // then look once more: a job published before
                p = current;                                   // this flag was seen is taken here, one after
                if (p == null || p.generation == seen) LockSupport.park(this);   // it finds the flag set
                parked = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
