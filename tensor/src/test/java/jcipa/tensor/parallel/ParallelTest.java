package jcipa.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** forTasks runs every task once, returns only when all have run (their writes visible), and passes failures on. */
class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(saved); }

    @Test
    void anyTaskRunsEveryTaskAndSaysWhetherOneAnsweredTrue() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int count : new int[] {0, 1, 5, 100}) {
                for (int yes = -1; yes < count; yes += Math.max(1, count / 3)) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                    int only = yes;
                    boolean any = Parallel.anyTask(count, t -> { runs.incrementAndGet(t); return t == only; });
                    assertEquals(yes >= 0, any, "task " + yes + " of " + count + " answers true, " + threads + " threads");
                    for (int t = 0; t < count; t++) assertEquals(1, runs.get(t), "task " + t + " runs once, after a true answer too");
                }
            }
        }
    }

    @Test
    void everyTaskRunsExactlyOnceAndItsWritesAreVisibleOnReturn() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            Parallel.setThreads(threads);
            for (int count : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
                for (int round = 0; round < 50; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                    int[] plain = new int[Math.max(count, 1)];
                    int spin = round % 3 == 0 ? 2000 : 0;                    // some rounds with tasks long enough to overlap
                    Parallel.forTasks(count, t -> {
                        long x = 0;
                        for (int i = 0; i < spin; i++) x += i ^ t;
                        plain[t] = t + 1 + (int) (x & 0);
                        runs.incrementAndGet(t);
                    });
                    for (int t = 0; t < count; t++) {
                        assertEquals(1, runs.get(t), "task " + t + " of " + count + " with " + threads + " threads");
                        assertEquals(t + 1, plain[t], "the write of task " + t + " is visible after forTasks returns");
                    }
                }
            }
        }
    }

    @Test
    void aFailingTaskIsRethrownAndTheCallStillWaitsForRunningTasks() throws InterruptedException {
        Parallel.setThreads(2);
        IllegalArgumentException boom = new IllegalArgumentException("task 5");
        AtomicInteger finished = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forTasks(40, t -> {
            if (t == 5) throw boom;
            long x = 0;
            for (int i = 0; i < 20000; i++) x += i ^ t;
            if (x != 0) finished.incrementAndGet();
        }));
        assertSame(boom, e);
        int atReturn = finished.get();
        Thread.sleep(20);
        assertEquals(atReturn, finished.get(), "no task is still running after forTasks threw");
        assertThrows(AssertionError.class, () -> Parallel.forTasks(4, t -> { throw new AssertionError("error " + t); }));
    }

    @Test
    void tasksMayRunForTasksThemselves() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(12 * 9);
        Parallel.forTasks(12, outer -> Parallel.forTasks(9, inner -> runs.incrementAndGet(outer * 9 + inner)));
        for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i));
        assertTrue(Parallel.threads() == 2);
    }
    @Test
    void callsFromSeveralThreadsAtOnceEachRunEveryTaskOnce() throws InterruptedException {
        // one call holds the kept helpers; the others meanwhile start helpers of their own
        Parallel.setThreads(3);
        AtomicInteger wrong = new AtomicInteger();
        Thread[] callers = new Thread[4];
        for (int c = 0; c < callers.length; c++) {
            int id = c;
            callers[c] = (id % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                for (int round = 0; round < 300; round++) {
                    int count = 1 + (round * 7 + id) % 40;
                    AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    Parallel.forTasks(count, t -> runs.incrementAndGet(t));
                    for (int t = 0; t < count; t++) if (runs.get(t) != 1) wrong.incrementAndGet();
                }
            });
        }
        for (Thread t : callers) t.join();
        assertEquals(0, wrong.get(), "tasks not run exactly once");
    }

    @Test
    void fewerThreadsThanBeforeUseFewerHelpers() {
        Parallel.setThreads(4);
        Parallel.forTasks(64, t -> { });                                 // three helpers now exist
        Parallel.setThreads(2);
        AtomicInteger sink = new AtomicInteger();
        for (int round = 0; round < 200; round++) {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            Parallel.forTasks(32, t -> {
                ran.add(Thread.currentThread());
                long x = 0;
                for (int i = 0; i < 3000; i++) x += i ^ t;
                sink.addAndGet((int) x);                                 // tasks long enough for every helper to join
            });
            assertTrue(ran.size() <= 2, "2 threads: the caller and at most one helper ran tasks, not " + ran.size());
        }
    }
}
