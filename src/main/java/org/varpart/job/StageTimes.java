package org.varpart.job;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where a run's time goes, cheaply enough to be measured on every run: the driver's steps (plan,
 * shuffle, fitting, collect, tables, summary, report, commit) as wall time and as the process's
 * CPU time while each ran (on an embedded {@code local[N]} Spark the executors are threads of
 * the same process, so that is the whole cost of the step), and, inside the fitting tasks, the
 * CPU time of each thread spent parsing, fitting, testing and committing, summed over tasks
 * with Spark accumulators. A task adds to the accumulators once per chunk, not per feature.
 */
public final class StageTimes implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The task-side parts, in the order they are reported. */
    public static final String[] TASK_PARTS = {"parse", "fit", "tests", "commit"};

    private final LongAccumulator[] task = new LongAccumulator[TASK_PARTS.length];
    private transient Map<String, long[]> driver;
    private transient long lastWall, lastCpu;

    private StageTimes() {}

    /** Registers the task-side accumulators with the context and starts the driver's clock. */
    static StageTimes start(SparkContext sc) {
        StageTimes t = new StageTimes();
        for (int i = 0; i < TASK_PARTS.length; i++) t.task[i] = sc.longAccumulator("varpart " + TASK_PARTS[i] + " cpu ns");
        t.driver = new LinkedHashMap<>();
        t.lastWall = System.nanoTime();
        t.lastCpu = processCpu();
        return t;
    }

    /** Closes the driver step that just ended (named {@code step}), adding to it if it was met before. */
    void lap(String step) {
        long wall = System.nanoTime(), cpu = processCpu();
        long[] s = driver.computeIfAbsent(step, k -> new long[2]);
        s[0] += wall - lastWall;
        s[1] += cpu - lastCpu;
        lastWall = wall;
        lastCpu = cpu;
    }

    /** Adds CPU nanoseconds to one task-side part ({@link #TASK_PARTS} index); called once per chunk. */
    void addTask(int part, long ns) {
        if (ns > 0) task[part].add(ns);
    }

    /** The driver's steps in order: name → {wall ns, process CPU ns}. */
    public Map<String, long[]> driverSteps() {
        return driver == null ? Map.of() : java.util.Collections.unmodifiableMap(driver);
    }

    /** The CPU nanoseconds of each task-side part, summed over the run's tasks, in {@link #TASK_PARTS} order. */
    public long[] taskCpu() {
        long[] out = new long[task.length];
        for (int i = 0; i < task.length; i++) out[i] = task[i] == null ? 0 : task[i].value();
        return out;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The calling thread's CPU time in ns (wall time where the JVM cannot tell). */
    static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The CPU time of this whole process in ns, all threads (0 where the JVM cannot tell). */
    public static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
