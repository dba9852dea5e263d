package org.varpart.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
import org.varpart.job.VarPartJob;
import org.varpart.simulate.StudySimulator;

/**
 * The whole job end to end on an embedded Spark: a simulated assay on the reference design
 * (400 samples) written as gzip TSV, then read, fitted and written as Parquet on
 * {@code local[2]}; wall time includes Spark's start-up. Peak heap is the JVM's, which in local
 * mode holds driver and executors.
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {}

    /** Prints the figures on {@code out}; the job's progress and notes go to {@code log}. */
    public static void run(int features, PrintStream out, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("varpart-e2e");
        try {
            StudySimulator.Spec spec = new StudySimulator.Spec(80, 5, 4, 4, features, new String[] {"assay"}, 0.0, 1);
            StudySimulator.write(spec, dir);
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long t0 = System.nanoTime();
            SparkSession spark = SparkSession.builder().master("local[2]").appName("varpart-bench")
                    .config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Map<String, String> c = new LinkedHashMap<>();
            c.put("samples", dir.resolve("samples.tsv").toString());
            c.put("assay.assay", dir.resolve("assay.tsv.gz").toString());
            c.put("formula", StudySimulator.FORMULA);
            c.put("output", dir.resolve("out").toString());
            c.put("partitions", "16");
            VarPartJob.Outcome o;
            try {
                o = VarPartJob.run(spark, JobConfig.of(c, "bench"), log);
            } finally {
                spark.stop();
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
            }
            out.println(String.format(Locale.ROOT,
                    "  end to end on local[2]: %d features x %d samples, gzip TSV in, Parquet out: %.1f s wall including Spark start-up (job %.1f s); peak heap %.0f MiB (max %.0f MiB); statuses %s",
                    o.features(), spec.samples(), wall, o.seconds(), peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, o.statusCounts()));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }
}
