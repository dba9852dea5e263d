package org.varpart.job;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs a piece of code starts. Listener events arrive asynchronously, so a count
 * ends with a marker job of its own and waits until the listener has seen it: every job started
 * before the marker has been seen by then.
 */
final class SparkJobs extends SparkListener {
    private static final String MARKER = "varpart-test-marker-";
    private static SparkJobs instance;
    private final AtomicInteger others = new AtomicInteger();
    private final Set<String> markers = ConcurrentHashMap.newKeySet();
    private final SparkSession spark;

    private SparkJobs(SparkSession spark) {
        this.spark = spark;
    }

    static synchronized SparkJobs on(SparkSession spark) {
        if (instance == null) {
            instance = new SparkJobs(spark);
            spark.sparkContext().addSparkListener(instance);
        }
        return instance;
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
        if (group != null && group.startsWith(MARKER)) markers.add(group);
        else others.incrementAndGet();
    }

    /** Every job (other than the markers) started so far, exactly. */
    int count() {
        String marker = MARKER + UUID.randomUUID();
        spark.sparkContext().setJobGroup(marker, "marker", false);
        try {
            spark.range(1).count();
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!markers.contains(marker)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the listener did not see the marker job");
            Thread.onSpinWait();
        }
        return others.get();
    }

    /** The number of Spark jobs that {@code r} starts (whether it returns or throws). */
    int during(Runnable r) {
        int before = count();
        try {
            r.run();
        } catch (RuntimeException e) {
            int after = count();
            throw new Counted(after - before, e);
        }
        return count() - before;
    }

    /** An exception thrown by the code counted, with the number of jobs it started. */
    static final class Counted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int jobs;

        Counted(int jobs, RuntimeException cause) {
            super(cause);
            this.jobs = jobs;
        }
    }
}
