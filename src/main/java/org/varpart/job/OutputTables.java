package org.varpart.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.apache.spark.storage.StorageLevel;
import org.varpart.io.HadoopConf;
import org.varpart.io.OutputSchemas;
import org.varpart.io.ResultFile;
import org.varpart.stats.GenomicInflation;
import scala.Tuple2;

/**
 * The output tables of a run, written with Spark from the committed per-feature results into the
 * attempt's output directory: {@code fits}, {@code fractions}, {@code fixed_effects},
 * {@code term_tests} and {@code component_tests} (with Benjamini–Hochberg q-values) and the
 * {@code summary} (fractions' quantiles, features significant at the FDR, genomic inflation).
 */
final class OutputTables {
    private OutputTables() {}

    /**
     * Writes every table of the run into {@code work.output()} from the results committed in the
     * work directory, after checking that every feature has exactly one; returns the count of
     * each status. The committed results are read once into Spark's cache and every table is
     * made from there: nothing is written to be read back.
     */
    static Map<String, Long> write(SparkSession spark, WorkDir work, Broadcast<HadoopConf> conf, Map<String, Long> featuresPerAssay,
                                   double fdr, CountsTables.Parts countsAssays, StageTimes times) throws IOException {
        Path tmp = work.output();
        work.fs.delete(tmp, true); // what an interrupted run had begun to write
        Dataset<Row> fitted = committedResults(spark, work, conf, featuresPerAssay).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (times != null) times.lap("collect");
            Dataset<Row> all = countsAssays.withFeatures(fitted);
            writeTables(all, tmp, fdr, countsAssays, times);
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Row r : all.groupBy("status").count().orderBy("status").collectAsList()) counts.put(r.getString(0), r.getLong(1));
            return counts;
        } finally {
            fitted.unpersist();
        }
    }

    /**
     * Every committed result, of this attempt and of the interrupted ones it continues, each
     * feature once. The chunks' headers (their feature IDs) are read on the driver first: every
     * feature of every assay must have a result (anything else is a fault, never written as
     * output), and a feature found in two chunks (a killed driver's task that committed after the
     * resumed run had listed the chunks; the same result both times) is read from the first only.
     */
    static Dataset<Row> committedResults(SparkSession spark, WorkDir work, Broadcast<HadoopConf> conf, Map<String, Long> expected)
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
        JavaRDD<Row> rows = jsc.parallelize(chunks, Math.max(1, Math.min(chunks.size(), 4 * jsc.defaultParallelism()))).flatMap(c -> {
            Path path = new Path(c._1());
            try (InputStream in = path.getFileSystem(conf.value().get()).open(path)) {
                List<Row> all = ResultFile.rows(in);
                if (!c._2().isEmpty()) all.removeIf(r -> c._2().contains(r.getString(1)));
                return all.iterator();
            }
        });
        return spark.createDataFrame(rows, OutputSchemas.FEATURE);
    }

    static void writeTables(Dataset<Row> all, Path dir, double fdr) {
        writeTables(all, dir, fdr, new CountsTables.Parts(), null);
    }

    /** The tables, with the rows and columns of the counts assays (see {@link CountsTables}). */
    static void writeTables(Dataset<Row> all, Path dir, double fdr, CountsTables.Parts countsAssays, StageTimes times) {
        countsAssays.fits(all.select(cols(OutputSchemas.FITS))).write().parquet(new Path(dir, "fits").toString());
        explode(all, "fractions", "component", "variance", "fraction", "ci_lower", "ci_upper")
                .write().parquet(new Path(dir, "fractions").toString());
        countsAssays.fixedEffects(withQValues(explode(all, "fixed_effects", "term", "estimate", "std_error", "df", "t_value", "p_value"), "term")
                .select(cols(OutputSchemas.FIXED_EFFECTS))).write().parquet(new Path(dir, "fixed_effects").toString());
        Dataset<Row> terms = withQValues(explode(all, "term_tests", "term", "num_df", "den_df", "f_value", "p_value"), "term")
                .select(cols(OutputSchemas.TERM_TESTS));
        terms.write().parquet(new Path(dir, "term_tests").toString());
        Dataset<Row> comps = withQValues(explode(all, "component_tests", "component", "lrt_statistic", "df", "p_value"), "component")
                .select(cols(OutputSchemas.COMPONENT_TESTS));
        comps.write().parquet(new Path(dir, "component_tests").toString());
        if (times != null) times.lap("tables");

        SparkSession spark = all.sparkSession();
        Dataset<Row> usable = all.filter(functions.col("status").isin("ok", "singular"))
                .select(functions.col("assay"), functions.explode(functions.col("fractions")).as("c"))
                .select(functions.col("assay"), functions.col("c.component").as("component"), functions.col("c.fraction").as("fraction"));
        Dataset<Row> fractionSummary = usable.groupBy("assay", "component").agg(
                functions.count("fraction").as("n_features"),
                // summed in sorted order, so that the mean does not depend on partitions or task order
                functions.expr("aggregate(array_sort(collect_list(fraction)), 0D, (acc, x) -> acc + x) / count(fraction)").as("mean"),
                // the five quantiles from one aggregate (one buffer of the values, not five)
                functions.expr("percentile(fraction, array(0.5, 0.05, 0.25, 0.75, 0.95))").as("quantiles"))
                .select(functions.col("assay"), functions.col("component"), functions.col("n_features"), functions.col("mean"),
                        functions.col("quantiles").getItem(0).as("median"), functions.col("quantiles").getItem(1).as("q05"),
                        functions.col("quantiles").getItem(2).as("q25"), functions.col("quantiles").getItem(3).as("q75"),
                        functions.col("quantiles").getItem(4).as("q95"));
        // per assay × component: features significant at the FDR, and λ from the median p-value
        // (the median of the χ²₁ quantiles is the quantile of the median p); one row per group
        Dataset<Row> testsByComponent = spark.read().parquet(new Path(dir, "term_tests").toString())
                .select(functions.col("assay"), functions.col("term").as("component"), functions.col("p_value"), functions.col("q_value"))
                .union(spark.read().parquet(new Path(dir, "component_tests").toString())
                        .select("assay", "component", "p_value", "q_value"));
        List<Row> groups = testsByComponent.groupBy("assay", "component").agg(
                functions.sum(functions.when(functions.col("q_value").lt(fdr), 1).otherwise(0)).cast("long").as("n_significant"),
                functions.expr("percentile(p_value, 0.5)").as("median_p")).collectAsList();
        List<Row> lambda = new ArrayList<>();
        for (Row g : groups) {
            Double lam = g.isNullAt(3) ? null : GenomicInflation.fromMedianP(g.getDouble(3));
            lambda.add(org.apache.spark.sql.RowFactory.create(g.getString(0), g.getString(1), g.isNullAt(2) ? null : g.getLong(2), lam));
        }
        Dataset<Row> significance = spark.createDataFrame(lambda, new org.apache.spark.sql.types.StructType()
                .add("assay", "string").add("component", "string").add("n_significant", "long").add("lambda", "double"));
        countsAssays.summary(fractionSummary.join(significance, scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "component")).toSeq(), "left")
                .select(cols(OutputSchemas.SUMMARY))).orderBy("assay", "component").coalesce(1)
                .write().parquet(new Path(dir, "summary").toString());
        countsAssays.meanVariance(spark).orderBy("assay", "feature").write().parquet(new Path(dir, "mean_variance").toString());
        if (times != null) times.lap("summary");
    }

    /** One row per element of an array-of-struct column, with the struct's fields as columns. */
    private static Dataset<Row> explode(Dataset<Row> all, String array, String... fields) {
        Dataset<Row> e = all.select(functions.col("assay"), functions.col("feature"), functions.explode(functions.col(array)).as("x"));
        List<org.apache.spark.sql.Column> c = new ArrayList<>(List.of(functions.col("assay"), functions.col("feature")));
        for (String f : fields) c.add(functions.col("x." + f).as(f));
        return e.select(c.toArray(new org.apache.spark.sql.Column[0]));
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

    private static org.apache.spark.sql.Column[] cols(String[] names) {
        return Arrays.stream(names).map(functions::col).toArray(org.apache.spark.sql.Column[]::new);
    }
}
