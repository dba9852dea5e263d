package org.varpart.job;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.design.InputException;
import org.varpart.design.ReTerm;
import org.varpart.formula.ModelSpec;
import org.varpart.io.AssayReader;
import org.varpart.io.FeatureRow;
import org.varpart.io.Json;
import org.varpart.io.OutputSchemas;
import org.varpart.lmm.FitOptions;
import org.varpart.stats.GenomicInflation;

/**
 * The driver of a variance-partition run: validates everything it can before any Spark job,
 * fits every feature of every assay in {@code mapPartitions}, writes the Parquet tables, the
 * summary and {@code run.json} to a temporary directory beside the output, and renames it into
 * place last, so that a run that dies leaves nothing that looks complete.
 */
public final class VarPartJob {
    /** The response's name in the model: each feature's values. */
    static final String RESPONSE = "feature";

    private VarPartJob() {}

    /** What a finished run reports. */
    public record Outcome(String output, long features, Map<String, Long> statusCounts, double seconds) {}

    /** Everything checked on the driver, ready to run. */
    record Plan(JobConfig config, ModelSpec spec, DataTable sheet, List<AssayReader.Assay> assays,
                List<AssayModel> models, List<String> warnings) {}

    public static Outcome run(SparkSession spark, JobConfig cfg, PrintStream log) {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(cfg.get("output"));
        checkOutput(hadoop, out, cfg.flag("overwrite"));
        Plan plan = plan(spark, cfg);
        plan.warnings().forEach(w -> log.println("varpart: warning: " + w));
        Path tmp = new Path(out.getParent() == null ? new Path(".") : out.getParent(),
                "." + out.getName() + ".varpart-" + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        FileSystem fs;
        try {
            fs = tmp.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new InputException("Cannot reach the output location " + out + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Long> featuresPerAssay = new LinkedHashMap<>();
            Fitted results = fit(spark, plan, log, featuresPerAssay);
            Path features = new Path(tmp, "features.work");
            try {
                results.dataset().write().mode(SaveMode.ErrorIfExists).parquet(features.toString());
            } finally {
                results.progress().finish();
                results.cached().forEach(JavaRDD::unpersist);
            }
            log.println(results.progress().line(results.progress().total()));
            Dataset<Row> all = spark.read().parquet(features.toString());
            writeTables(all, tmp, Double.parseDouble(cfg.get("fdr")));
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Row r : all.groupBy("status").count().orderBy("status").collectAsList()) counts.put(r.getString(0), r.getLong(1));
            fs.delete(features, true);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            double seconds = (System.nanoTime() - t0) / 1e9;
            writeRunRecord(fs, new Path(tmp, "run.json"), plan, featuresPerAssay, counts, started, seconds, spark.version());
            org.varpart.report.Report.write(spark, tmp, log);
            try (OutputStream o = fs.create(new Path(tmp, "_SUCCESS"), true)) {
                o.flush();
            }
            commit(fs, tmp, out, cfg.flag("overwrite"));
            return new Outcome(out.toString(), total, counts, seconds);
        } catch (IOException e) {
            deleteQuietly(fs, tmp);
            throw new IllegalStateException("writing the results failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(fs, tmp);
            throw e;
        }
    }

    static void checkOutput(Configuration hadoop, Path out, boolean overwrite) {
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            if (fs.exists(out) && !overwrite) {
                throw new InputException("The output " + out + " exists; choose another output, or pass --overwrite=true to replace it.");
            }
        } catch (IOException e) {
            throw new InputException("Cannot reach the output location " + out + ": " + e.getMessage(), e);
        }
    }

    /** All the checks that need no Spark job: files, columns, IDs, samples, formula, designs. */
    static Plan plan(SparkSession spark, JobConfig cfg) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String formula = cfg.get("formula").strip();
        if (!formula.startsWith("~")) {
            throw new InputException("formula: give the right-hand side only, starting with '~' (the response is each feature), e.g. ~ age + (1 | patient); found '" + formula + "'.");
        }
        // each feature is the response; its name is never looked up in the sheet
        ModelSpec spec = ModelSpec.parse(RESPONSE + " " + formula);
        DataTable sheet = AssayReader.readTable(hadoop, cfg.get("samples"), "sample sheet");
        for (String c : spec.columns().subList(1, spec.columns().size())) {
            if (!sheet.has(c)) {
                throw new InputException("formula: the column '" + c + "' is not in the sample sheet " + cfg.get("samples")
                        + "; its columns are: " + String.join(", ", sheet.names()) + ".");
            }
        }
        Map<String, Integer> rowOf = sampleRows(sheet, cfg.get("sample_id_column"), cfg.get("samples"));
        AssayReader.ParquetColumns pc = new AssayReader.ParquetColumns(cfg.get("feature_id_column"),
                cfg.get("long.feature_column"), cfg.get("long.sample_column"), cfg.get("long.value_column"));
        FitOptions options = (cfg.reml() ? FitOptions.remlDefaults() : FitOptions.mlDefaults()).withoutConditionalVariances();
        List<AssayReader.Assay> assays = new ArrayList<>();
        List<AssayModel> models = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> a : cfg.assays().entrySet()) {
            AssayReader.Assay assay = AssayReader.open(spark, a.getKey(), a.getValue(), cfg.format(a.getKey()), pc);
            models.add(assayModel(a.getKey(), a.getValue(), spec, sheet, rowOf, assay.samples(), options,
                    cfg.flag("tests"), cfg.flag("drop_unmatched_samples"), warnings));
            assays.add(assay);
        }
        return new Plan(cfg, spec, sheet, assays, models, warnings);
    }

    /**
     * Matches an assay's samples to the sheet and builds what its tasks need. Samples missing
     * from the sheet are an error listing them, or, when {@code dropUnmatched}, a warning.
     *
     * @param rowOf the sheet's row of each sample ID
     */
    static AssayModel assayModel(String name, String path, ModelSpec spec, DataTable sheet, Map<String, Integer> rowOf,
                                 List<String> assaySamples, FitOptions options, boolean tests, boolean dropUnmatched,
                                 List<String> warnings) {
        List<Integer> cols = new ArrayList<>(), rows = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (int j = 0; j < assaySamples.size(); j++) {
            Integer r = rowOf.get(assaySamples.get(j));
            if (r == null) {
                unmatched.add(assaySamples.get(j));
            } else {
                cols.add(j);
                rows.add(r);
            }
        }
        if (!unmatched.isEmpty()) {
            String list = String.join(", ", unmatched.subList(0, Math.min(10, unmatched.size()))) + (unmatched.size() > 10 ? ", ..." : "");
            if (!dropUnmatched) {
                throw new InputException("assay " + name + " (" + path + "): " + unmatched.size()
                        + " sample(s) are not in the sample sheet: " + list
                        + ". Add them to the sheet, or set drop_unmatched_samples = true to leave them out.");
            }
            warnings.add("assay " + name + ": " + unmatched.size() + " sample(s) not in the sample sheet are left out: " + list);
        }
        if (cols.isEmpty()) throw new InputException("assay " + name + ": none of its samples is in the sample sheet.");
        DataTable samples = sheet.select(rows.stream().mapToInt(Integer::intValue).toArray());
        Design complete = completeDesign(spec, samples, name);
        return new AssayModel(name, spec, samples, cols.stream().mapToInt(Integer::intValue).toArray(), complete, options, tests);
    }

    /** Each sample ID's row in the sheet; missing or repeated IDs are an error naming the line. */
    static Map<String, Integer> sampleRows(DataTable sheet, String idColumn, String source) {
        if (!sheet.has(idColumn)) {
            throw new InputException("The sample sheet " + source + " has no column '" + idColumn
                    + "' (sample_id_column); its columns are: " + String.join(", ", sheet.names()) + ".");
        }
        Map<String, Integer> rowOf = new HashMap<>();
        String[] ids = sheet.column(idColumn).text();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) throw new InputException(source + " line " + (i + 2) + ", column " + idColumn + ": the sample ID is missing.");
            Integer prev = rowOf.put(ids[i], i);
            if (prev != null) {
                throw new InputException(source + " line " + (i + 2) + ", column " + idColumn + ": the sample ID '" + ids[i]
                        + "' appears twice (first on line " + (prev + 2) + ").");
            }
        }
        return rowOf;
    }

    /** The design of a feature observed in every sample; problems with the model on this assay stop the run here. */
    static Design completeDesign(ModelSpec spec, DataTable samples, String assay) {
        double[] ones = new double[samples.rows()];
        Arrays.fill(ones, 1.0);
        Design d;
        try {
            d = DesignBuilder.build(spec, samples, RESPONSE, ones);
        } catch (InputException e) {
            throw new InputException("assay " + assay + ": " + e.getMessage(), e);
        }
        if (d.terms().isEmpty()) {
            throw new InputException("formula: there is no random-effects term; add at least one, such as (1 | patient).");
        }
        for (ReTerm t : d.terms()) {
            if (t.levels() < 2) {
                throw new InputException("assay " + assay + ": the grouping factor '" + t.group() + "' has a single level ("
                        + t.level(0) + ") among the samples used; a random effect needs at least two levels.");
            }
        }
        return d;
    }

    /** The per-feature results (lazy), with the progress reporter and the cached inputs to release after writing. */
    record Fitted(Dataset<Row> dataset, Progress progress, List<JavaRDD<Object>> cached) {}

    static Fitted fit(SparkSession spark, Plan plan, PrintStream log, Map<String, Long> featuresPerAssay) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = plan.config().integer("partitions");
        if (partitions == 0) partitions = 4 * jsc.defaultParallelism();
        JavaRDD<Row> all = null;
        List<JavaRDD<Object>> cached = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < plan.assays().size(); i++) {
            AssayReader.Assay assay = plan.assays().get(i);
            // spread the raw records first, so that parsing and fitting both run in parallel
            JavaRDD<Object> rows = assay.records().repartition(partitions).persist(StorageLevel.MEMORY_AND_DISK_SER());
            cached.add(rows);
            long count = rows.count();
            featuresPerAssay.put(assay.name(), count);
            total += count;
        }
        LongAccumulator done = spark.sparkContext().longAccumulator("features fitted");
        for (int i = 0; i < plan.assays().size(); i++) {
            Broadcast<AssayModel> b = jsc.broadcast(plan.models().get(i));
            AssayReader.Parser parser = plan.assays().get(i).parser();
            JavaRDD<Row> r = cached.get(i).map(parser::parse).mapPartitions(new FeatureFitter(b, done));
            all = all == null ? r : all.union(r);
        }
        Progress progress = new Progress(done, total, plan.config().integer("progress_seconds"), log);
        progress.start();
        return new Fitted(spark.createDataFrame(all, OutputSchemas.FEATURE), progress, cached);
    }

    static void writeTables(Dataset<Row> all, Path dir, double fdr) {
        all.select(cols(OutputSchemas.FITS)).write().parquet(new Path(dir, "fits").toString());
        explode(all, "fractions", "component", "variance", "fraction")
                .write().parquet(new Path(dir, "fractions").toString());
        withQValues(explode(all, "fixed_effects", "term", "estimate", "std_error", "df", "t_value", "p_value"), "term")
                .select(cols(OutputSchemas.FIXED_EFFECTS)).write().parquet(new Path(dir, "fixed_effects").toString());
        Dataset<Row> terms = withQValues(explode(all, "term_tests", "term", "num_df", "den_df", "f_value", "p_value"), "term")
                .select(cols(OutputSchemas.TERM_TESTS));
        terms.write().parquet(new Path(dir, "term_tests").toString());
        Dataset<Row> comps = withQValues(explode(all, "component_tests", "component", "lrt_statistic", "df", "p_value"), "component")
                .select(cols(OutputSchemas.COMPONENT_TESTS));
        comps.write().parquet(new Path(dir, "component_tests").toString());

        SparkSession spark = all.sparkSession();
        Dataset<Row> usable = all.filter(functions.col("status").isin("ok", "singular"))
                .select(functions.col("assay"), functions.explode(functions.col("fractions")).as("c"))
                .select(functions.col("assay"), functions.col("c.component").as("component"), functions.col("c.fraction").as("fraction"));
        Dataset<Row> fractionSummary = usable.groupBy("assay", "component").agg(
                functions.count("fraction").as("n_features"), functions.avg("fraction").as("mean"),
                functions.expr("percentile(fraction, 0.5)").as("median"), functions.expr("percentile(fraction, 0.05)").as("q05"),
                functions.expr("percentile(fraction, 0.25)").as("q25"), functions.expr("percentile(fraction, 0.75)").as("q75"),
                functions.expr("percentile(fraction, 0.95)").as("q95"));
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
        fractionSummary.join(significance, scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "component")).toSeq(), "left")
                .select(cols(OutputSchemas.SUMMARY)).orderBy("assay", "component").coalesce(1)
                .write().parquet(new Path(dir, "summary").toString());
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

    static void writeRunRecord(FileSystem fs, Path file, Plan plan, Map<String, Long> features, Map<String, Long> counts,
                               Instant started, double seconds, String sparkVersion) throws IOException {
        Json j = new Json(true).beginObject();
        j.field("varpart_version", Version.get());
        j.field("spark_version", sparkVersion);
        j.field("java_version", System.getProperty("java.version"));
        j.field("started", started.toString());
        j.field("finished", Instant.now().toString());
        j.field("wall_seconds", seconds);
        j.key("config").beginObject();
        plan.config().recorded().forEach(j::field);
        j.endObject();
        j.key("assays").beginArray();
        for (int i = 0; i < plan.assays().size(); i++) {
            AssayReader.Assay a = plan.assays().get(i);
            j.beginObject().field("name", a.name()).field("path", a.path())
                    .field("samples", plan.models().get(i).columns().length)
                    .field("features", features.getOrDefault(a.name(), 0L)).endObject();
        }
        j.endArray();
        j.key("status_counts").beginObject();
        counts.forEach(j::field);
        j.endObject();
        j.endObject();
        try (OutputStream o = fs.create(file, true)) {
            o.write((j + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Moves the finished temporary directory into place (replacing the old output when asked). */
    static void commit(FileSystem fs, Path tmp, Path out, boolean overwrite) throws IOException {
        if (fs.exists(out)) {
            if (!overwrite) throw new InputException("The output " + out + " appeared while the run was going; the results are left in " + tmp + ".");
            fs.delete(out, true);
        }
        if (!fs.rename(tmp, out)) throw new IOException("could not rename " + tmp + " to " + out);
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover temporary directory is hidden and never looks complete
        }
    }
}
