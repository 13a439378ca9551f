package jcipa.tensor.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@link Parallel#forTasks} call: tasks 0..count−1, claimed in order by whichever thread asks next, each run
 * exactly once. Which thread runs a task never matters to the result (each task writes its own outputs).
 */
final class Job {
    final int count;
    /** How many helpers beside the caller may take part. */
    final int helpers;
    /** Set by {@link Crew} before it publishes the job: which of its jobs this is. */
    long generation;
    private final Parallel.TaskBody body;
    private final Thread caller = Thread.currentThread();
    private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int count, int helpers, Parallel.TaskBody body) {
        this.count = count;
        this.helpers = helpers;
        this.body = body;
    }

    /** Takes tasks until none is left. After a failure the remaining tasks are only counted, not run. */
    void work() {
        int t;
        while ((t = next.getAndIncrement()) < count) {
            try {
                if (failure.get() == null) body.run(t);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (done.incrementAndGet() == count) LockSupport.unpark(caller);
            }
        }
    }

    /** Called by the caller after its own {@link #work()}: returns once every task has ended. */
    void awaitAll() {
        // the helpers' last tasks usually end within microseconds: spin a little, then park
        for (int spin = 0; done.get() < count && spin < SPINS; spin++) Thread.onSpinWait();
        boolean interrupted = false;
        while (done.get() < count) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) caller.interrupt();
    }

    /** Rethrows the first failure of a task, if any (after {@link #awaitAll()}). */
    void rethrow() {
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }

    private static final int SPINS = 1 << 12;
}
