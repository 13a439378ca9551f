package jcipa.tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Profiles a run op by op: while started, each op's finish (its {@link Autograd#record}, which every
 * op calls, grad or not) charges the wall time since the previous op finished to the op's name, on the
 * thread that started the clock. So an op's figure is its own work plus the module code between it
 * and the op before it. Off by
 * default; one volatile read per op when off. Used by {@code cipa bench forward|train --profile}.
 */
public final class OpClock {
    private OpClock() {}

    private static volatile Thread owner;
    private static final Map<String, long[]> totals = new HashMap<>();   // op -> {nanos, calls}
    private static long last;
    private static String label;      // while a backward runs: the node whose backward is charged

    /**
     * Until restored, charges every op to "backward {@code op}" (a backward pass charges a node's whole backward, the
     * ops it calls included, to that node). Returns the previous label, to restore with {@link #restore}; builds no
     * label while the clock is off.
     */
    static String chargeBackward(String op) {
        if (owner != Thread.currentThread()) return null;
        synchronized (OpClock.class) {
            String prev = label;
            label = "backward " + op;
            return prev;
        }
    }

    /** Charges the time since the previous op to the current label, then restores {@code previous}. */
    static void restore(String previous) {
        if (owner != Thread.currentThread()) return;
        lap(null);
        synchronized (OpClock.class) {
            label = previous;
        }
    }

    /** Starts a fresh profile on this thread; the first op is charged from now. */
    public static synchronized void start() {
        totals.clear();
        label = null;
        last = System.nanoTime();
        owner = Thread.currentThread();
    }

    /** Stops charging and returns op -> {total nanoseconds, calls}. */
    public static synchronized Map<String, long[]> stop() {
        owner = null;
        Map<String, long[]> copy = new HashMap<>();
        totals.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * Charges the time since the previous op to {@code op} (or, inside a backward, to the node being differentiated);
     * a no-op unless started on this thread.
     */
    static void lap(String op) {
        if (owner != Thread.currentThread()) return;
        synchronized (OpClock.class) {
            long now = System.nanoTime();
            String key = label != null ? label : op;
            long[] v = totals.computeIfAbsent(key, k -> new long[2]);
            v[0] += now - last;
            v[1]++;
            last = now;
        }
    }
}
