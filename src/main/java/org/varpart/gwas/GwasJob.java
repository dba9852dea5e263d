package org.varpart.gwas;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.varpart.InputException;
import org.varpart.io.HadoopConf;
import org.varpart.io.Json;
import org.varpart.job.OutputGuard;
import org.varpart.job.Redaction;
import org.varpart.job.RunRecord;
import org.varpart.job.WorkDir;

/**
 * The driver of a {@code gwas} run. Checks everything on the driver first ({@link GwasPlan});
 * then the GRM as a sum over SNP ranges of tiles on Spark (unless a GRM file is given), its
 * eigendecomposition and each phenotype's null model on the driver, and the per-SNP tests as a
 * map over SNP ranges. The output is checked and committed as {@code run}'s is: it may replace
 * only an earlier varpart output ({@link OutputGuard}); the tables, {@code run.json} and
 * {@code report.html} are written in the run's work directory beside the output ({@link WorkDir}),
 * renamed into place, and {@code _SUCCESS} is written last: a run that dies leaves nothing that
 * looks complete.
 */
public final class GwasJob {
    private GwasJob() {}

    /** What a finished run reports: λ_GC per phenotype and test. */
    public record Outcome(String output, long snps, int samples, long grmSnps, double seconds, Map<String, Double> lambdas) {}

    public static Outcome run(SparkSession spark, GwasConfig cfg, PrintStream log) {
        StageClock clock = new StageClock();
        Instant started = Instant.now();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(cfg.get("output"));
        OutputGuard.check(hadoop, out, cfg.flag("overwrite"), cfg.inputs());
        GwasPlan plan = GwasPlan.of(cfg, hadoop);
        clock.lap("read/check");
        plan.warnings().forEach(w -> log.println("varpart: warning: " + Redaction.text(w)));
        for (GwasPlan.Phenotype p : plan.phenotypes()) {
            if (p.left() > 0) log.println("varpart: phenotype " + p.name() + ": " + p.left() + " sample(s) without the phenotype or a covariate are left out");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));
        int parts = Integer.parseInt(cfg.get("partitions"));
        if (parts == 0) parts = 4 * jsc.defaultParallelism();
        List<GwasTasks.Range> ranges = GwasTasks.ranges(plan.fileset().snps.size(), parts);
        double maf = cfg.number("maf"), maxMissing = cfg.number("max_missing");
        PlinkFileset set = plan.fileset();
        int[] samples = plan.grmSamples();
        int n = samples.length;

        double[] k;
        long grmSnps;
        if (plan.grmFile() == null) {
            // one range per core: each task sums its SNPs into one set of tiles (4n² bytes), so more tasks only add tiles to ship and add
            List<GwasTasks.Range> grmRanges = GwasTasks.ranges(set.snps.size(), Math.min(parts, jsc.defaultParallelism()));
            Map<Long, double[]> tiles = new HashMap<>(jsc.parallelize(grmRanges, grmRanges.size())
                    .mapPartitionsToPair(it -> GwasTasks.grmTiles(it, set, samples, maf, maxMissing, conf))
                    .reduceByKey(GwasTasks::add).collectAsMap());
            grmSnps = (long) tiles.remove(GwasTasks.COUNT_KEY)[0];
            if (grmSnps == 0) throw new InputException(set.prefix + ": no SNP passes the checks (maf " + maf + ", max_missing " + maxMissing + "); there is no GRM.");
            k = Grm.assemble(n, tiles, grmSnps);
            clock.lap("GRM");
            log.printf(Locale.ROOT, "varpart: GRM of %d samples from %d SNPs (%.1f s)%n", n, grmSnps, clock.seconds());
        } else {
            k = plan.grmFile();
            grmSnps = -1;
        }

        List<PhenotypeModel> models = new ArrayList<>();
        List<Row> heritability = new ArrayList<>();
        Map<String, Grm.Eigen> eigenBySamples = new HashMap<>();
        for (GwasPlan.Phenotype p : plan.phenotypes()) {
            String key = Arrays.toString(p.rows());
            Grm.Eigen e = eigenBySamples.computeIfAbsent(key, x -> Grm.eigen(Grm.subsetCentred(k, n, p.rows()), p.rows().length));
            clock.lap("eigen");
            int np = p.rows().length;
            double[] utw = Grm.rotate(e, p.w(), p.c()), uty = Grm.rotate(e, p.y(), 1);
            NullModel nm = NullModel.fit(e.values(), utw, p.c(), uty);
            models.add(new PhenotypeModel(p, e, nm, PhenotypeModel.crossInverse(p.w(), np, p.c()), Ols.Base.of(p.w(), p.c(), p.y())));
            clock.lap("null model");
            heritability.add(RowFactory.create(p.name(), np, nm.vg(), nm.ve(), nm.pve(), Double.isNaN(nm.pveSe()) ? null : nm.pveSe(), nm.logLikReml()));
            log.printf(Locale.ROOT, "varpart: phenotype %s: n = %d, pve = %.4f (se %.4f), vg = %.4g, ve = %.4g%n", p.name(), np, nm.pve(), nm.pveSe(),
                    nm.vg(), nm.ve());
        }
        Broadcast<List<PhenotypeModel>> bm = jsc.broadcast(models);
        WorkDir work = openWorkDir(hadoop, out, cfg, log);
        FileSystem fs = work.fileSystem();
        Path tmp = work.output();
        boolean complete = false;
        Dataset<Row> tests = null;
        try {
            JavaRDD<Row> rows = jsc.parallelize(ranges, ranges.size())
                    .mapPartitions(it -> GwasTasks.associations(it, set, samples, bm.value(), maf, maxMissing, conf));
            // the tests run once: kept (columnar, spilling to disk) for the p-values and the written table
            tests = spark.createDataFrame(rows, GwasOutput.ASSOCIATIONS).persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, double[][]> pValues = GwasOutput.pValues(tests);
            clock.lap("tests");
            GwasOutput.withQValues(spark, tests, pValues).write().parquet(new Path(tmp, "associations").toString());
            clock.lap("write");
            List<Row> shown = GwasReport.shown(tests, pValues);
            tests.unpersist();
            tests = null;
            clock.lap("report");
            List<String> names = plan.phenotypes().stream().map(GwasPlan.Phenotype::name).toList();
            List<Row> summary = GwasOutput.summary(pValues, names, cfg.number("fdr"));
            GwasOutput.table(spark, heritability, GwasOutput.HERITABILITY).write().parquet(new Path(tmp, "heritability").toString());
            GwasOutput.table(spark, summary, GwasOutput.SUMMARY).write().parquet(new Path(tmp, "summary").toString());
            clock.lap("summary");
            Map<String, Double> lambdas = new java.util.LinkedHashMap<>();
            for (Row r : summary) lambdas.put(r.getString(0) + "/" + r.getString(1), r.isNullAt(3) ? null : r.getDouble(3));
            double seconds = clock.seconds();
            writeRunJson(fs, new Path(tmp, "run.json"), plan, grmSnps, heritability, summary, started, seconds, spark.version());
            GwasReport.write(spark, tmp, shown, pValues, heritability, summary, cfg.number("fdr"));
            clock.lap("report");
            complete = true;
            work.publish(out, cfg.flag("overwrite"), hadoop, cfg.inputs());
            clock.lap("commit");
            log.println("varpart: " + clock.breakdown());
            return new Outcome(out.toString(), set.snps.size(), n, grmSnps, seconds, lambdas);
        } catch (IOException e) {
            throw new IllegalStateException("writing the results failed: " + e.getMessage()
                    + (complete ? "; the results are left in " + tmp : ""), e);
        } finally {
            // a gwas run cannot be resumed: what an unfinished one wrote is removed
            if (!complete) deleteQuietly(work);
            work.release();
            // a failed run leaves nothing cached in a session that lives on (a notebook's)
            if (tests != null) tests.unpersist();
        }
    }

    /** The run's work directory (see {@link WorkDir}); a gwas run is never resumed, so an earlier one's is discarded. */
    private static WorkDir openWorkDir(Configuration hadoop, Path out, GwasConfig cfg, PrintStream log) {
        try {
            return WorkDir.fresh(out.getFileSystem(hadoop), out, cfg.recorded(), log);
        } catch (IOException e) {
            throw new InputException("Cannot use the work directory beside the output " + out + " (" + WorkDir.of(out) + "): " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(WorkDir work) {
        try {
            work.delete();
        } catch (IOException ignored) {
            // the failure being reported matters more
        }
    }

    static void writeRunJson(FileSystem fs, Path file, GwasPlan plan, long grmSnps, List<Row> heritability, List<Row> summary, Instant started,
                             double seconds, String sparkVersion) throws IOException {
        Json j = RunRecord.begin(plan.config().recorded(), started, seconds, sparkVersion);
        j.field("command", "gwas");
        j.field("samples", plan.grmSamples().length);
        j.field("snps", plan.fileset().snps.size());
        j.field("grm_snps", grmSnps);
        j.key("phenotypes").beginArray();
        for (int i = 0; i < plan.phenotypes().size(); i++) {
            GwasPlan.Phenotype p = plan.phenotypes().get(i);
            Row h = heritability.get(i);
            j.beginObject().field("name", p.name()).field("n", p.rows().length).field("left_out", p.left())
                    .field("covariates", String.join(", ", p.covariates())).field("pve", h.getDouble(4));
            for (Row s : summary) if (s.getString(0).equals(p.name()) && !s.isNullAt(3)) j.field("lambda_gc_" + s.getString(1), s.getDouble(3));
            j.endObject();
        }
        j.endArray();
        RunRecord.finish(fs, file, j, plan.warnings());
    }
}
