package org.varpart.gwas;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The wall-clock and CPU time of a {@code gwas} run's stages (reading and checking, GRM,
 * eigendecomposition, null models, per-SNP tests and their table, the other tables, the report),
 * for the log line that says where a run spends its time. CPU time is the driver JVM's (all its
 * threads): on {@code local[k]} that includes the tasks, on a cluster it does not.
 */
final class StageClock {
    private final Map<String, double[]> stages = new LinkedHashMap<>();
    private final long wallStart = System.nanoTime();
    private long wall = wallStart, cpu = cpuNanos();

    /** Charges the time since the previous lap (or the start) to {@code stage}; repeated names add up. */
    void lap(String stage) {
        long w = System.nanoTime(), c = cpuNanos();
        double[] t = stages.computeIfAbsent(stage, s -> new double[2]);
        t[0] += (w - wall) / 1e9;
        t[1] += c < 0 ? Double.NaN : (c - cpu) / 1e9;
        wall = w;
        cpu = c;
    }

    /** Seconds since the clock was made. */
    double seconds() {
        return (System.nanoTime() - wallStart) / 1e9;
    }

    /** One line: each stage's wall and CPU seconds, and the total. */
    String breakdown() {
        StringBuilder s = new StringBuilder("time by stage, wall/CPU s:");
        double w = 0, c = 0;
        for (Map.Entry<String, double[]> e : stages.entrySet()) {
            s.append(String.format(Locale.ROOT, " %s %.1f/%.1f;", e.getKey(), e.getValue()[0], e.getValue()[1]));
            w += e.getValue()[0];
            c += e.getValue()[1];
        }
        return s.append(String.format(Locale.ROOT, " total %.1f/%.1f", w, c)).toString();
    }

    /** The JVM's CPU time in nanoseconds, or −1 where the platform does not say. */
    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        return -1;
    }
}
