package org.varpart.job;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.varpart.InputException;
import org.varpart.io.AssayReader;
import org.varpart.io.HadoopConf;
import scala.Tuple2;

/**
 * The driver of a variance-partition run, step by step: the output must be one varpart may write
 * ({@link OutputGuard}); everything that needs no Spark job is checked ({@link Plan}); the work
 * directory beside the output is opened, locked and matched against the run's
 * {@link Fingerprint} ({@link WorkDir}, {@link RunLock}); every feature of every assay is fitted
 * in {@code mapPartitions} and committed chunk by chunk ({@link ChunkCommitter}; a killed run is
 * continued from there with {@code resume}); the tables ({@link OutputTables}), {@code run.json}
 * ({@link RunRecord}) and what the caller adds (an {@link OutputStep}: {@code varpart run} adds the
 * report) are written inside the work directory and renamed into place last, so that a run that
 * dies leaves nothing that looks complete.
 */
public final class VarPartJob {
    /** The response's name in the model: each feature's values. */
    static final String RESPONSE = "feature";

    private VarPartJob() {}

    /**
     * What a finished run reports.
     *
     * @param resumed features whose results an interrupted run had committed, taken over without refitting
     */
    public record Outcome(String output, long features, Map<String, Long> statusCounts, double seconds, long resumed, StageTimes times) {}

    /**
     * Something a caller adds to a run's output directory after the tables and {@code run.json}
     * are written and before the output is committed (the command line adds {@code report.html}).
     */
    @FunctionalInterface
    public interface OutputStep {
        void write(SparkSession spark, Path dir, PrintStream log) throws IOException;
    }

    /** Runs the job, writing the tables and {@code run.json} only; see {@link #run(SparkSession, JobConfig, PrintStream, OutputStep)}. */
    public static Outcome run(SparkSession spark, JobConfig cfg, PrintStream log) {
        return run(spark, cfg, log, (s, dir, l) -> { });
    }

    /**
     * Runs the job; a problem with the whole run is an {@link InputException} raised before any
     * fitting. {@code extra} writes into the finished output before it is committed.
     */
    public static Outcome run(SparkSession spark, JobConfig cfg, PrintStream log, OutputStep extra) {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        StageTimes times = StageTimes.start(spark.sparkContext());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(cfg.output());
        OutputGuard.check(hadoop, out, cfg.overwrite(), Plan.inputs(cfg));
        Plan plan = Plan.of(spark, cfg);
        List<CountsStage.Prepared> countsAssays = CountsStage.prepare(spark, plan);
        plan.print(log);
        WorkDir work = openWorkDir(plan, hadoop, out, log);
        long resumed = work.doneCount();
        times.lap("plan");
        try {
            Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HadoopConf(hadoop));
            Map<String, Long> featuresPerAssay = fitAndCommit(spark, plan, work, conf, log, times);
            CountsTables.Parts countsParts = CountsStage.run(spark, cfg, countsAssays, partitions(spark, cfg), work, conf, log, times);
            times.lap("counts assays");
            Map<String, Long> counts = OutputTables.write(spark, work, conf, featuresPerAssay, cfg.fdr(), countsParts, times);
            featuresPerAssay.putAll(countsParts.featureCounts());
            countsParts.release();
            CollinearityTable.write(spark, plan, CountsStage.models(countsAssays), work.output());
            times.lap("tables");
            double seconds = (System.nanoTime() - t0) / 1e9;
            RunRecord.write(work.fs, new Path(work.output(), "run.json"), plan, countsAssays, featuresPerAssay, counts, started, seconds, spark.version(), resumed);
            extra.write(spark, work.output(), log);
            times.lap("report");
            work.publish(out, cfg.overwrite(), hadoop, Plan.inputs(cfg));
            times.lap("commit");
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            return new Outcome(out.toString(), total, counts, seconds, resumed, times);
        } catch (IOException e) {
            throw new IllegalStateException("writing the results failed: " + e.getMessage() + "; the features fitted so far are kept in "
                    + work.root + ": rerun with --resume to continue from them", e);
        } catch (RuntimeException e) {
            log.println("varpart: the run stopped; the features committed so far are kept in " + work.root
                    + ": rerun with --resume to continue from them");
            throw e;
        } finally {
            work.release();
        }
    }

    /** The run's work directory (see {@link WorkDir}), with the results an interrupted run committed when resuming. */
    private static WorkDir openWorkDir(Plan plan, Configuration hadoop, Path out, PrintStream log) {
        WorkDir work;
        try {
            work = WorkDir.open(out.getFileSystem(hadoop), out, Fingerprint.of(plan.config(), plan, hadoop), plan.config().resume(), log);
        } catch (IOException e) {
            throw new InputException("Cannot use the work directory beside the output " + out + " (" + WorkDir.of(out) + "): " + e.getMessage(), e);
        }
        if (work.doneCount() > 0) {
            log.println("varpart: resuming: the results of " + work.doneCount() + " features fitted by the interrupted run are kept; the others are fitted now");
        }
        return work;
    }

    /**
     * Fits every feature not committed yet and commits the results chunk by chunk to the run's
     * directory (see {@link ChunkCommitter}). A text assay in several splits is fitted split by
     * split in the file's order; other records are spread over partitions by the hash of their ID
     * and sorted by ID within each. Either way a partition's features and their order do not
     * depend on the order in which records arrive. Returns the number of features of each assay.
     */
    static Map<String, Long> fitAndCommit(SparkSession spark, Plan plan, WorkDir work, Broadcast<HadoopConf> conf, PrintStream log,
                                          StageTimes times) {
        Map<String, Long> featuresPerAssay = new LinkedHashMap<>();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = partitions(spark, plan.config());
        HashPartitioner byId = new HashPartitioner(partitions);
        List<JavaPairRDD<String, Object>> cached = new ArrayList<>();
        List<Boolean> unsorted = new ArrayList<>();
        long total = 0;
        for (AssayReader.Assay assay : plan.assays()) {
            AssayReader.Parser parser = assay.parser();
            JavaPairRDD<String, Object> rows = assay.records().mapToPair(r -> new Tuple2<>(parser.id(r), r));
            boolean split = parser.stableOrder() && assay.featureCount() >= 0 && assay.records().getNumPartitions() >= jsc.defaultParallelism();
            long count;
            if (split) {
                // a text file read in splits is fitted split by split, in the file's order, which
                // fixes the chunks a task commits; its features were counted by the driver's check
                count = assay.featureCount();
            } else {
                // other records are spread first, so that parsing and fitting both run in
                // parallel; the shuffle sorts each partition by feature ID (spilling to disk if
                // need be), which fixes the chunks a task commits
                rows = rows.repartitionAndSortWithinPartitions(byId).persist(StorageLevel.MEMORY_AND_DISK_SER());
                count = rows.count();
            }
            unsorted.add(split);
            cached.add(rows);
            featuresPerAssay.put(assay.name(), count);
            total += count;
        }
        times.lap("shuffle");
        if (plan.assays().isEmpty()) return featuresPerAssay; // counts assays only
        LongAccumulator done = spark.sparkContext().longAccumulator("features fitted");
        JavaRDD<Long> all = null;
        for (int i = 0; i < plan.assays().size(); i++) {
            AssayReader.Assay assay = plan.assays().get(i);
            Broadcast<AssayModel> b = jsc.broadcast(plan.models().get(i));
            JavaPairRDD<String, Object> todo = cached.get(i);
            Set<String> committed = work.done.getOrDefault(assay.name(), Set.of());
            if (!committed.isEmpty()) {
                Broadcast<Set<String>> skip = jsc.broadcast(committed);
                todo = todo.filter(t -> !skip.value().contains(t._1()));
            }
            JavaRDD<Long> r = todo.mapPartitionsWithIndex(new ChunkCommitter(i, b, assay.parser(), done, work.run.toString(), conf,
                    plan.config().chunkFeatures(), times, !unsorted.get(i)), true);
            all = all == null ? r : all.union(r);
        }
        Progress progress = new Progress(done, total - work.doneCount(), plan.config().progressSeconds(), log);
        progress.start();
        try {
            all.foreach(n -> { });
        } finally {
            progress.finish();
            cached.forEach(r -> {
                if (r.getStorageLevel().useMemory() || r.getStorageLevel().useDisk()) r.unpersist();
            });
        }
        log.println(progress.line(progress.total()));
        times.lap("fit");
        return featuresPerAssay;
    }

    /** Partitions of features: the setting, or 4 per core of the cluster when it is 0. */
    static int partitions(SparkSession spark, JobConfig cfg) {
        int p = cfg.partitions();
        return p == 0 ? 4 * spark.sparkContext().defaultParallelism() : p;
    }
}
