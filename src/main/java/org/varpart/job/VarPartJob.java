package org.varpart.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
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
import org.varpart.formula.FormulaException;
import org.varpart.formula.ModelSpec;
import org.varpart.io.AssayReader;
import org.varpart.io.Json;
import org.varpart.io.OutputSchemas;
import org.varpart.io.ResultFile;
import org.varpart.lmm.FitOptions;
import org.varpart.stats.GenomicInflation;
import scala.Tuple2;

/**
 * The driver of a variance-partition run: validates everything it can before any Spark job,
 * fits every feature of every assay in {@code mapPartitions}, committing the results chunk by
 * chunk to a work directory beside the output (see {@link WorkDir}; a killed run is continued
 * from there with {@code resume}), writes the Parquet tables, the summary and {@code run.json}
 * inside it, and renames them into place last, so that a run that dies leaves nothing that looks
 * complete.
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
    public record Outcome(String output, long features, Map<String, Long> statusCounts, double seconds, long resumed) {}

    /** Everything checked on the driver, ready to run; notes and warnings are printed before any Spark job. */
    record Plan(JobConfig config, ModelSpec spec, DataTable sheet, List<AssayReader.Assay> assays,
                List<AssayModel> models, List<String> notes, List<String> warnings) {}

    /** The settings the per-feature results depend on; a resumed run must have the same (with the same input files). */
    static final List<String> RESULT_KEYS = List.of("formula", "method", "samples", "sample_id_column", "drop_unmatched_samples",
            "tests", "feature_id_column", "long.feature_column", "long.sample_column", "long.value_column");

    public static Outcome run(SparkSession spark, JobConfig cfg, PrintStream log) {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(cfg.get("output"));
        OutputGuard.check(hadoop, out, cfg.flag("overwrite"), inputs(cfg));
        Plan plan = plan(spark, cfg);
        plan.notes().forEach(n -> log.println("varpart: " + Redaction.text(n)));
        plan.warnings().forEach(w -> log.println("varpart: warning: " + Redaction.text(w)));
        FileSystem fs;
        WorkDir work;
        try {
            fs = out.getFileSystem(hadoop);
            work = WorkDir.open(fs, out, fingerprint(cfg, plan, hadoop), cfg.flag("resume"), log);
        } catch (IOException e) {
            throw new InputException("Cannot use the work directory beside the output " + out + " (" + WorkDir.of(out) + "): " + e.getMessage(), e);
        }
        long resumed = work.doneCount();
        if (resumed > 0) log.println("varpart: resuming: the results of " + resumed + " features fitted by the interrupted run are kept; the others are fitted now");
        try {
            Map<String, Long> featuresPerAssay = new LinkedHashMap<>();
            Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HadoopConf(hadoop));
            fitAndCommit(spark, plan, work, conf, log, featuresPerAssay);
            Path tmp = work.output();
            fs.delete(tmp, true); // what an interrupted run had begun to write
            Path features = new Path(tmp, "features.work");
            committedResults(spark, work, conf).write().mode(SaveMode.ErrorIfExists).parquet(features.toString());
            Dataset<Row> all = spark.read().parquet(features.toString());
            checkComplete(all, featuresPerAssay, work.root);
            writeTables(all, tmp, Double.parseDouble(cfg.get("fdr")));
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Row r : all.groupBy("status").count().orderBy("status").collectAsList()) counts.put(r.getString(0), r.getLong(1));
            fs.delete(features, true);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            double seconds = (System.nanoTime() - t0) / 1e9;
            writeRunRecord(fs, new Path(tmp, "run.json"), plan, featuresPerAssay, counts, started, seconds, spark.version(), resumed);
            org.varpart.report.Report.write(spark, tmp, log);
            commit(fs, tmp, out, cfg.flag("overwrite"), hadoop, inputs(cfg));
            // written after the rename: on object stores a directory is renamed file by file, so
            // only _SUCCESS, written alone and last, says that the output is complete
            try (OutputStream o = fs.create(new Path(out, "_SUCCESS"), true)) {
                o.flush();
            }
            work.delete();
            return new Outcome(out.toString(), total, counts, seconds, resumed);
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

    /**
     * What the per-feature results depend on: the result settings, varpart's version, each input
     * file's size and time, and the content of the sample sheet and of text assays (a digest
     * taken as the driver checks them), so that a file rewritten with the same size and time is
     * noticed too. Parquet assays are known by size and time only.
     */
    static Map<String, String> fingerprint(JobConfig cfg, Plan plan, Configuration hadoop) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("varpart_version", Version.get());
        for (String k : RESULT_KEYS) f.put(k, cfg.get(k));
        f.put("file of samples", describeFile(cfg.get("samples"), hadoop));
        f.put("content of samples", plan.sheet().digest());
        for (AssayReader.Assay a : plan.assays()) {
            f.put(JobConfig.ASSAY + a.name(), a.path());
            f.put(JobConfig.FORMAT + a.name(), cfg.format(a.name()));
            f.put("file of " + JobConfig.ASSAY + a.name(), describeFile(a.path(), hadoop));
            if (a.digest() != null) f.put("content of " + JobConfig.ASSAY + a.name(), a.digest());
        }
        return f;
    }

    /** A file's (or a directory's files') size and last modification, to notice an input that changed. */
    static String describeFile(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            FileStatus st = fs.getFileStatus(p);
            if (st.isFile()) return st.getLen() + " bytes, modified " + Instant.ofEpochMilli(st.getModificationTime());
            long files = 0, bytes = 0, modified = 0;
            for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true); it.hasNext(); ) {
                LocatedFileStatus f = it.next();
                files++;
                bytes += f.getLen();
                modified = Math.max(modified, f.getModificationTime());
            }
            return files + " files, " + bytes + " bytes, last modified " + Instant.ofEpochMilli(modified);
        } catch (IOException e) {
            throw new InputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The paths of every input of the run: the sample sheet and the assays. */
    static List<String> inputs(JobConfig cfg) {
        List<String> in = new ArrayList<>();
        in.add(cfg.get("samples"));
        in.addAll(cfg.assays().values());
        return in;
    }

    /** All the checks that need no Spark job: files, columns, IDs, samples, formula, designs. */
    static Plan plan(SparkSession spark, JobConfig cfg) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String formula = cfg.get("formula").strip();
        if (!formula.startsWith("~")) {
            throw new InputException("formula: give the right-hand side only, starting with '~' (the response is each feature), e.g. ~ age + (1 | patient); found '" + formula + "'.");
        }
        // each feature is the response; its name is never looked up in the sheet
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(RESPONSE + " " + formula);
        } catch (FormulaException e) {
            throw e.withoutPrefix(RESPONSE + " ");
        }
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
        List<String> notes = new ArrayList<>();
        Set<String> measured = new HashSet<>();
        for (Map.Entry<String, String> a : cfg.assays().entrySet()) {
            long t0 = System.nanoTime();
            AssayReader.Assay assay = AssayReader.open(spark, a.getKey(), a.getValue(), cfg.format(a.getKey()), pc);
            notes.add(String.format(Locale.ROOT, "assay %s (%s): %s%d samples, checked in %.1f s", a.getKey(), a.getValue(),
                    assay.featureCount() >= 0 ? assay.featureCount() + " features x " : "", assay.samples().size(), (System.nanoTime() - t0) / 1e9));
            AssayModel model = assayModel(a.getKey(), a.getValue(), spec, sheet, rowOf, assay.samples(), options,
                    cfg.flag("tests"), cfg.flag("drop_unmatched_samples"), warnings);
            models.add(model);
            if (model.complete().dropped() > 0) {
                notes.add("assay " + a.getKey() + ": " + model.complete().dropped() + " of " + model.columns().length
                        + " samples are left out of every fit for a missing value in a model variable of the sample sheet");
            }
            assays.add(assay);
            measured.addAll(assay.samples());
        }
        List<String> unused = new ArrayList<>();
        for (String id : sheet.column(cfg.get("sample_id_column")).text()) {
            if (!measured.contains(id)) unused.add(id);
        }
        if (!unused.isEmpty()) {
            warnings.add(unused.size() + " sample(s) of the sample sheet " + cfg.get("samples") + " are in no assay and are not used: " + firstFew(unused));
        }
        return new Plan(cfg, spec, sheet, assays, models, notes, warnings);
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
            String list = firstFew(unmatched);
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

    /** Up to ten IDs for a message, and "..." when there are more. */
    static String firstFew(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(10, ids.size()))) + (ids.size() > 10 ? ", ..." : "");
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
            if (ids[i] == null) throw new InputException(source + " line " + sheet.line(i) + ", column " + idColumn + ": the sample ID is missing.");
            Integer prev = rowOf.put(ids[i], i);
            if (prev != null) {
                throw new InputException(source + " line " + sheet.line(i) + ", column " + idColumn + ": the sample ID '" + ids[i]
                        + "' appears twice (first on line " + sheet.line(prev) + ").");
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
            if (t.levels() >= d.n()) {
                throw new InputException("assay " + assay + ": the grouping factor '" + t.group() + "' has " + t.levels() + " levels for "
                        + d.n() + " observations; its variance cannot be told apart from the residual variance (lme4 refuses it too)."
                        + " A random effect needs fewer levels than observations.");
            }
        }
        checkComponentNames(d);
        int params = FeatureFitter.parameters(d);
        if (d.n() <= params) {
            throw new InputException("assay " + assay + ": " + d.n() + " observations for " + params + " parameters (" + d.p()
                    + " fixed-effects coefficients, " + (params - d.p() - 1) + " variance parameters and the residual variance):"
                    + " no feature can be fitted. The model needs more observations than parameters; simplify the formula.");
        }
        return d;
    }

    /**
     * The components of the variance partition must have distinct names: a fixed term, a random
     * component and {@code Residuals} share the {@code component} column of the tables.
     */
    static void checkComponentNames(Design d) {
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put(org.varpart.stats.VarianceFractions.RESIDUALS, "the residual variance");
        for (ReTerm t : d.terms()) {
            for (String c : t.columnNames()) {
                String name = c.equals("(Intercept)") ? t.group() : t.group() + "." + c;
                String prev = seen.putIfAbsent(name, "the random effect of '" + t.group() + "'");
                if (prev != null) throw componentClash(name, prev, "the random effect of '" + t.group() + "'");
            }
        }
        for (String term : d.fixedTerms()) {
            if (term.equals("(Intercept)")) continue;
            String prev = seen.putIfAbsent(term, "the fixed term '" + term + "'");
            if (prev != null) throw componentClash(term, prev, "the fixed term '" + term + "'");
        }
    }

    private static InputException componentClash(String name, String first, String second) {
        return new InputException("formula: " + second + " and " + first + " would both be the component '" + name
                + "' of the tables" + (name.equals(org.varpart.stats.VarianceFractions.RESIDUALS) ? " ('" + name + "' is reserved for the residual variance)" : "")
                + "; rename the column in the sample sheet.");
    }

    /**
     * Fits every feature not committed yet and commits the results chunk by chunk to the run's
     * directory (see {@link ChunkCommitter}). Features are spread over partitions by the hash of
     * their ID and sorted by ID within each, so that a partition's features and their order do not
     * depend on the order in which records arrive.
     */
    static void fitAndCommit(SparkSession spark, Plan plan, WorkDir work, Broadcast<HadoopConf> conf, PrintStream log,
                             Map<String, Long> featuresPerAssay) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = plan.config().integer("partitions");
        if (partitions == 0) partitions = 4 * jsc.defaultParallelism();
        HashPartitioner byId = new HashPartitioner(partitions);
        List<JavaPairRDD<String, Object>> cached = new ArrayList<>();
        long total = 0;
        for (AssayReader.Assay assay : plan.assays()) {
            AssayReader.Parser parser = assay.parser();
            // spread the raw records first, so that parsing and fitting both run in parallel; the
            // shuffle sorts each partition by feature ID (spilling to disk if need be), which fixes
            // the chunks a task commits
            JavaPairRDD<String, Object> rows = assay.records().mapToPair(r -> new Tuple2<>(parser.id(r), r))
                    .repartitionAndSortWithinPartitions(byId).persist(StorageLevel.MEMORY_AND_DISK_SER());
            cached.add(rows);
            long count = rows.count();
            featuresPerAssay.put(assay.name(), count);
            total += count;
        }
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
                    plan.config().integer("chunk_features")), true);
            all = all == null ? r : all.union(r);
        }
        Progress progress = new Progress(done, total - work.doneCount(), plan.config().integer("progress_seconds"), log);
        progress.start();
        try {
            all.foreach(n -> { });
        } finally {
            progress.finish();
            cached.forEach(JavaPairRDD::unpersist);
        }
        log.println(progress.line(progress.total()));
    }

    /** Every committed result, of this attempt and of the interrupted ones it continues. */
    static Dataset<Row> committedResults(SparkSession spark, WorkDir work, Broadcast<HadoopConf> conf) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> paths = new ArrayList<>();
        for (Path p : work.resultFiles()) paths.add(p.toString());
        JavaRDD<Row> rows = jsc.parallelize(paths, Math.max(1, Math.min(paths.size(), 4 * jsc.defaultParallelism()))).flatMap(p -> {
            Path path = new Path(p);
            try (InputStream in = path.getFileSystem(conf.value().get()).open(path)) {
                return ResultFile.rows(in).iterator();
            }
        });
        // a feature fitted twice (a killed driver's task that committed after the resumed run had
        // listed the chunks) has the same result both times: keep one
        return spark.createDataFrame(rows, OutputSchemas.FEATURE).dropDuplicates("assay", "feature");
    }

    /** Every feature of every assay has exactly one result; anything else is a fault, never written as output. */
    static void checkComplete(Dataset<Row> all, Map<String, Long> expected, Path work) {
        Map<String, long[]> found = new HashMap<>();
        for (Row r : all.groupBy("assay").agg(functions.count(functions.lit(1)), functions.countDistinct("feature")).collectAsList()) {
            found.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            long[] f = found.getOrDefault(e.getKey(), new long[2]);
            if (f[0] != e.getValue() || f[1] != e.getValue()) {
                throw new IllegalStateException("assay " + e.getKey() + " has " + e.getValue() + " features but " + f[0] + " results for "
                        + f[1] + " of them in " + work + "; nothing was written. Please report this.");
            }
        }
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
                functions.count("fraction").as("n_features"),
                // summed in sorted order, so that the mean does not depend on partitions or task order
                functions.expr("aggregate(array_sort(collect_list(fraction)), 0D, (acc, x) -> acc + x) / count(fraction)").as("mean"),
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
                               Instant started, double seconds, String sparkVersion, long resumed) throws IOException {
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
            j.beginObject().field("name", a.name()).field("path", Redaction.text(a.path()))
                    .field("samples", plan.models().get(i).columns().length)
                    .field("samples_dropped_for_missing_values", plan.models().get(i).complete().dropped())
                    .field("features", features.getOrDefault(a.name(), 0L)).endObject();
        }
        j.endArray();
        j.key("status_counts").beginObject();
        counts.forEach(j::field);
        j.endObject();
        j.field("resumed_features", resumed);
        j.key("warnings").beginArray();
        for (String w : plan.warnings()) j.value(Redaction.text(w));
        j.endArray();
        j.endObject();
        try (OutputStream o = fs.create(file, true)) {
            o.write((j + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Moves the finished output directory into place (replacing the old output when asked). */
    static void commit(FileSystem fs, Path tmp, Path out, boolean overwrite, Configuration hadoop, List<String> inputs) throws IOException {
        if (fs.exists(out)) {
            if (!overwrite) throw new InputException("The output " + out + " appeared while the run was going; the results are left in " + tmp + ".");
            // checked again: what is there now may not be what was there when the run started
            try {
                OutputGuard.check(hadoop, out, true, inputs);
            } catch (InputException e) {
                throw new InputException(e.getMessage() + " The results of this run are left in " + tmp + ".", e);
            }
            fs.delete(out, true);
        }
        if (!fs.rename(tmp, out)) throw new IOException("could not rename " + tmp + " to " + out);
    }
}
