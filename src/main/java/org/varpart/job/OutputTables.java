package org.varpart.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.varpart.io.HadoopConf;
import org.varpart.io.ResultFile;
import scala.Tuple2;

/**
 * The output tables of a run, written with Spark from the committed per-feature results into the
 * attempt's output directory: {@code fits}, {@code fractions}, {@code fixed_effects},
 * {@code term_tests} and {@code component_tests} (with Benjamini–Hochberg q-values) and the
 * {@code summary} (fractions' quantiles, features significant at the FDR, genomic inflation),
 * each table's rows made straight from the committed chunks ({@link TableRows}) and the q-values
 * and summary from one small pass over them ({@link ResultValues}).
 */
final class OutputTables {
    private OutputTables() {}

    /**
     * Writes every table of the run into {@code work.output()} from the results committed in the
     * work directory, after checking that every feature has exactly one; returns the count of
     * each status. Nothing is written to be read back: see {@link #writeTables}.
     */
    static Map<String, Long> write(SparkSession spark, WorkDir work, Broadcast<HadoopConf> conf, Map<String, Long> featuresPerAssay,
                                   double fdr, CountsTables.Parts countsAssays, StageTimes times) throws IOException {
        Path tmp = work.output();
        work.fs.delete(tmp, true); // what an interrupted run had begun to write
        JavaRDD<Row> results = countsAssays.withFeatures(committedResults(spark, work, conf, featuresPerAssay));
        return writeTables(spark, results, tmp, fdr, countsAssays, times);
    }

    /**
     * Every committed result, of this attempt and of the interrupted ones it continues, each
     * feature once. The chunks' headers (their feature IDs) are read on the driver first: every
     * feature of every assay must have a result (anything else is a fault, never written as
     * output), and a feature found in two chunks (a killed driver's task that committed after the
     * resumed run had listed the chunks; the same result both times) is read from the first only.
     */
    static JavaRDD<Row> committedResults(SparkSession spark, WorkDir work, Broadcast<HadoopConf> conf, Map<String, Long> expected)
            throws IOException {
        List<String> paths = new ArrayList<>();
        List<Set<String>> skips = new ArrayList<>();
        Map<String, Set<String>> seen = new HashMap<>();
        Map<String, Long> results = new HashMap<>();
        for (Path p : work.resultFiles()) {
            ResultFile.Index index;
            try (org.apache.hadoop.fs.FSDataInputStream in = work.fs.open(p)) {
                index = ResultFile.index(in, work.fs.getFileStatus(p).getLen());
            }
            if (index == null) throw new IllegalStateException("the committed chunk " + p + " is not whole; nothing was written. Please report this.");
            Set<String> ids = seen.computeIfAbsent(index.assay(), k -> new HashSet<>());
            results.merge(index.assay(), (long) index.ids().size(), Long::sum);
            Set<String> skip = new HashSet<>();
            for (String id : index.ids()) if (!ids.add(id)) skip.add(id);
            paths.add(p.toString());
            skips.add(skip);
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            int found = seen.getOrDefault(e.getKey(), Set.of()).size();
            if (found != e.getValue()) {
                throw new IllegalStateException("assay " + e.getKey() + " has " + e.getValue() + " features but " + results.getOrDefault(e.getKey(), 0L)
                        + " results for " + found + " of them in " + work.root + "; nothing was written. Please report this.");
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Tuple2<String, Set<String>>> chunks = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) chunks.add(new Tuple2<>(paths.get(i), skips.get(i)));
        return jsc.parallelize(chunks, Math.max(1, Math.min(chunks.size(), 4 * jsc.defaultParallelism()))).flatMap(c -> {
            Path path = new Path(c._1());
            try (InputStream in = path.getFileSystem(conf.value().get()).open(path)) {
                List<Row> all = ResultFile.rows(in);
                if (!c._2().isEmpty()) all.removeIf(r -> c._2().contains(r.getString(1)));
                return all.iterator();
            }
        });
    }

    /**
     * The tables from the per-feature results {@code results} (read once per table; nothing of
     * them is cached), with the rows and columns of the counts assays (see {@link CountsTables}).
     * One pass gathers each test group's p-values and each component's fractions
     * ({@link ResultValues}); the driver turns them into Benjamini–Hochberg q-values (looked up
     * by each row as it is written: no sort of the tables) and the {@code summary}'s rows.
     * Returns the count of each status.
     */
    static Map<String, Long> writeTables(SparkSession spark, JavaRDD<Row> results, Path dir, double fdr, CountsTables.Parts counts,
                                         StageTimes times) {
        ResultValues values = new ResultValues();
        for (ResultValues v : results.mapPartitions(it -> {
            ResultValues part = new ResultValues();
            it.forEachRemaining(part::add);
            return List.of(part).iterator();
        }).collect()) {
            values.merge(v);
        }
        if (times != null) times.lap("collect");
        Map<String, double[][]> q = values.qTables();
        Broadcast<Map<String, double[][]>> bq = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(q);
        boolean plain = counts.isEmpty(); // no counts assay: the columns only they fill are null in every row
        Dataset<Row> fits = spark.createDataFrame(results.map(r -> TableRows.fitsRow(r, plain)), TableRows.fits(plain));
        (plain ? fits : counts.fits(fits)).write().parquet(new Path(dir, "fits").toString());
        spark.createDataFrame(results.flatMap(TableRows::fractionRows), TableRows.fractions())
                .write().parquet(new Path(dir, "fractions").toString());
        Dataset<Row> fixed = spark.createDataFrame(results.flatMap(r -> TableRows.fixedEffectRows(r, bq.value(), plain)),
                TableRows.fixedEffects(plain));
        (plain ? fixed : counts.fixedEffects(fixed)).write().parquet(new Path(dir, "fixed_effects").toString());
        spark.createDataFrame(results.flatMap(r -> TableRows.termTestRows(r, bq.value())), TableRows.termTests())
                .write().parquet(new Path(dir, "term_tests").toString());
        spark.createDataFrame(results.flatMap(r -> TableRows.componentTestRows(r, bq.value())), TableRows.componentTests())
                .write().parquet(new Path(dir, "component_tests").toString());
        bq.destroy();
        if (times != null) times.lap("tables");

        spark.createDataFrame(values.summary(q, fdr, counts.priors()), TableRows.SUMMARY).coalesce(1)
                .write().parquet(new Path(dir, "summary").toString());
        counts.meanVariance(spark).orderBy("assay", "feature").write().parquet(new Path(dir, "mean_variance").toString());
        if (times != null) times.lap("summary");
        return values.statusCounts();
    }

    /**
     * Benjamini–Hochberg q-values within each assay × {@code group}: with the p-values ranked
     * 1..m, q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1. Computed with window functions, so
     * the p-values are never collected; missing p-values stay missing and are not counted in m.
     */
    static Dataset<Row> withQValues(Dataset<Row> df, String group) {
        org.apache.spark.sql.expressions.WindowSpec whole = org.apache.spark.sql.expressions.Window.partitionBy("assay", group);
        org.apache.spark.sql.expressions.WindowSpec byP = whole.orderBy(functions.col("p_value").asc_nulls_last(), functions.col("feature"));
        org.apache.spark.sql.expressions.WindowSpec fromLargest = org.apache.spark.sql.expressions.Window.partitionBy("assay", group)
                .orderBy(functions.col("q_rank").desc())
                .rowsBetween(org.apache.spark.sql.expressions.Window.unboundedPreceding(), org.apache.spark.sql.expressions.Window.currentRow());
        return df.withColumn("q_m", functions.count("p_value").over(whole))
                .withColumn("q_rank", functions.row_number().over(byP))
                .withColumn("q_bh", functions.col("p_value").multiply(functions.col("q_m")).divide(functions.col("q_rank")))
                .withColumn("q_value", functions.when(functions.col("p_value").isNull(), functions.lit(null))
                        .otherwise(functions.least(functions.lit(1.0), functions.min("q_bh").over(fromLargest))))
                .drop("q_m", "q_rank", "q_bh");
    }
}
