package jcipa.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.GarbageCollectionNotificationInfo;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Peak memory of this process: the heap pools' summed peak usage (an upper bound, garbage included),
 * the largest heap occupancy right after a collection (close to the live high-water mark), and the
 * resident set high-water mark VmHWM from /proc/self/status (Linux; the figure `cipa segment` is held to).
 */
public final class PeakMemory {
    private volatile long afterGcMax;
    private final NotificationListener listener = (n, h) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (var u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
        if (used > afterGcMax) afterGcMax = used;
    };

    /** Starts watching collections and resets the pools' peaks. */
    public PeakMemory() {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans())
            if (gc instanceof NotificationEmitter e) e.addNotificationListener(listener, null, null);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    /** Sum of the heap pools' peak usage, bytes. */
    public long heapPoolPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }

    /** Largest heap occupancy after a collection seen so far, bytes (0 if no collection ran). */
    public long heapAfterGcMax() { return afterGcMax; }

    /** VmHWM (peak resident set) in bytes, or -1 where /proc/self/status has none. */
    public static long residentPeak() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** "peak memory: heap pools … MiB, heap after GC max … MiB, RSS (VmHWM) … MiB". */
    public String line() {
        long rss = residentPeak();
        return String.format("peak memory: heap pools %.0f MiB, heap after GC max %.0f MiB, RSS (VmHWM) %s",
                heapPoolPeak() / MIB, afterGcMax / MIB, rss < 0 ? "n/a" : String.format("%.0f MiB", rss / MIB));
    }

    static final double MIB = 1024.0 * 1024.0;
}
