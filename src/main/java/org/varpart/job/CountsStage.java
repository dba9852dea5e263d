package org.varpart.job;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.varpart.InputException;
import org.varpart.counts.Contrast;
import org.varpart.counts.CountChecks;
import org.varpart.counts.FilterByExpr;
import org.varpart.counts.LogCpm;
import org.varpart.counts.VoomTrend;
import org.varpart.design.Design;
import org.varpart.io.AssayReader;
import org.varpart.io.HadoopConf;
import org.varpart.io.TextCells;
import org.varpart.lmm.FitOptions;
import org.varpart.stats.SqueezeVar;
import scala.Tuple2;

/**
 * The distributed counts path of {@code counts.<name>} assays, pass by pass as docs/counts.md
 * plans it: checks of every count (on the driver for text files, so the error names the line),
 * column totals and filterByExpr, TMM in a transposed layout (one task per sample), the first
 * unweighted ML pass, voom's lowess trend on the driver from two numbers per feature, the
 * weighted fits and dream's tests ({@link CountsFits}), limma's prior from Spark aggregates, and
 * the moderation ({@link CountsTables}). The weighted fits are committed chunk by chunk
 * ({@link CountsCommitter}); an attempt that resumes a run recomputes the passes before them.
 */
final class CountsStage {
    /**
     * A counts assay ready to run: its source, its model (ML, no missing covariates) and the
     * contrasts checked against it; for a log-scale assay with precision weights, the weights
     * file's source too ({@code weights}, null for a counts assay).
     */
    record Prepared(AssayReader.Assay assay, AssayModel model, boolean filter, boolean tmm, AssayReader.Assay weights) {}

    private CountsStage() {}

    /** Driver-side checks of every counts assay, before any Spark job; a problem is an {@link InputException}. */
    static List<Prepared> prepare(SparkSession spark, Plan plan) {
        JobConfig cfg = plan.config();
        List<Prepared> out = new ArrayList<>();
        if (cfg.counts().isEmpty() && cfg.weights().isEmpty()) return out;
        Map<String, Integer> rowOf = Plan.sampleRows(plan.sheet(), cfg.sampleIdColumn(), cfg.samples());
        List<Contrast> contrasts = CountsConfig.contrasts(cfg);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (Map.Entry<String, String> a : cfg.counts().entrySet()) {
            String name = a.getKey(), path = a.getValue(), format = cfg.format(name);
            AssayReader.Assay assay = AssayReader.open(spark, name, path, format, cfg.parquetColumns());
            AssayModel model = model(plan, rowOf, assay, "counts assay ", contrasts);
            if (format.equals("tsv") || format.equals("csv")) checkText(hadoop, path, format.equals("tsv") ? '\t' : ',');
            out.add(new Prepared(assay, model, CountsConfig.filter(cfg, name), CountsConfig.tmm(cfg, name), null));
        }
        for (Map.Entry<String, String> a : cfg.weights().entrySet()) {
            String name = a.getKey(), path = cfg.assays().get(name), format = cfg.format(name);
            AssayReader.Assay assay = AssayReader.open(spark, name, path, format, cfg.parquetColumns());
            AssayModel model = model(plan, rowOf, assay, "assay ", contrasts);
            out.add(new Prepared(assay, model, false, false, CountsWeights.open(spark, hadoop, assay, format, a.getValue(), cfg.parquetColumns())));
        }
        return out;
    }

    /** The model of a counts or weighted assay: ML, every sample's covariates present, the contrasts checked against its coefficients. */
    private static AssayModel model(Plan plan, Map<String, Integer> rowOf, AssayReader.Assay assay, String what, List<Contrast> contrasts) {
        JobConfig cfg = plan.config();
        AssayModel model = Plan.assayModel(assay.name(), assay.path(), plan.spec(), plan.sheet(), rowOf, assay.samples(),
                FitOptions.mlDefaults().withoutConditionalVariances(), true, cfg.dropUnmatchedSamples(), plan.warnings());
        if (model.complete().dropped() > 0) {
            throw new InputException(what + assay.name() + ": " + model.complete().dropped() + " sample(s) have a missing value in a"
                    + " variable of the formula; the weighted path needs every sample's covariates (leave those samples out of the sheet).");
        }
        for (Contrast c : contrasts) c.vector(model.complete().xNames());
        List<org.varpart.stats.Collinearity.Pair> pairs = CollinearityTable.pairs(plan.spec(), model.samples());
        plan.warnings().addAll(CollinearityTable.warnings(assay.name(), pairs));
        plan.warnings().addAll(CollinearityTable.rankWarnings(assay.name(), model.complete(), pairs));
        return model;
    }

    /** The models of the prepared assays, in order. */
    static List<AssayModel> models(List<Prepared> prepared) {
        List<AssayModel> out = new ArrayList<>();
        for (Prepared p : prepared) out.add(p.model());
        return out;
    }

    /** Every value of a text counts file is a count; the first that is not stops the run with its line and column. */
    static void checkText(Configuration hadoop, String path, char delim) {
        TextCells.walk(hadoop, path, "counts assay", delim, (no, feature, fields, headerFields) -> { }, (no, column, sample, feature, s) -> {
            if (plainDigits(s)) return; // a count as count files write them: no parse needed to know it is one
            double v;
            try {
                v = s.isEmpty() || s.equals("NA") ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InputException(path + ", line " + no + ", column " + column + " (sample " + sample + ", feature " + feature
                        + "): the value '" + s + "' is not a number; a counts assay holds raw read counts, non-negative integers");
            }
            CountChecks.checkValue(path, no, column, sample, feature, v);
        });
    }

    /** Whether the text is 1 to 15 ASCII digits: a whole number at least 0 that a double holds exactly, so a count. */
    static boolean plainDigits(String s) {
        int len = s.length();
        if (len == 0 || len > 15) return false;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /**
     * Runs every prepared counts assay, committing the weighted fits chunk by chunk to the work
     * directory's attempt ({@link CountsCommitter}); the rows of every table it adds to.
     */
    static CountsTables.Parts run(SparkSession spark, JobConfig cfg, List<Prepared> assays, int partitions, WorkDir work,
                                  Broadcast<HadoopConf> conf, PrintStream log, StageTimes times) {
        CountsTables.Parts parts = new CountsTables.Parts();
        for (int i = 0; i < assays.size(); i++) {
            Prepared p = assays.get(i);
            CountsCommitter.Target target = new CountsCommitter.Target(work.run.toString(), work.root.toString(), conf, i, cfg.chunkFeatures());
            if (p.weights() == null) {
                runOne(spark, cfg, p, partitions, parts, target, log, times);
            } else {
                finish(spark, cfg, p.assay().name(), CountsWeights.fit(spark, cfg, p, partitions, target, log), partitions, parts);
            }
        }
        return parts;
    }

    private static void runOne(SparkSession spark, JobConfig cfg, Prepared p, int partitions, CountsTables.Parts parts,
                               CountsCommitter.Target target, PrintStream log, StageTimes times) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = p.assay().name(), path = p.assay().path();
        List<String> sampleIds = p.assay().samples();
        int[] cols = p.model().columns();
        int n = cols.length;
        Design base = p.model().complete();
        // pass 1: the counts in the model's sample order; a value that is not a count is found by one job, before any fitting
        JavaPairRDD<String, double[]> all = p.assay().features().mapToPair(fr -> {
            if (fr.problem() != null) return new Tuple2<>(fr.id(), (double[]) null);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = fr.values()[cols[i]];
            return new Tuple2<>(fr.id(), c);
        }).repartition(partitions).persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<Tuple2<String, double[]>> bad = all.filter(t -> t._2() == null || !allCounts(t._2())).take(1);
        if (!bad.isEmpty()) {
            all.unpersist();
            throw new InputException(badMessage(path, sampleIds, cols, bad.get(0)));
        }
        double[] totals = columnTotals(all, n);
        Broadcast<double[]> xb = jsc.broadcast(base.x());
        int pp = base.p();
        boolean filter = p.filter();
        JavaPairRDD<String, Tuple2<double[], Boolean>> marked = all.mapPartitionsToPair(it -> {
            FilterByExpr f = new FilterByExpr(xb.value(), n, pp, totals);
            List<Tuple2<String, Tuple2<double[], Boolean>>> o = new ArrayList<>();
            it.forEachRemaining(t -> o.add(new Tuple2<>(t._1(), new Tuple2<>(t._2(), !filter || f.keep(t._2())))));
            return o.iterator();
        }, true);
        JavaPairRDD<String, double[]> kept = marked.filter(t -> t._2()._2()).mapValues(Tuple2::_1).persist(StorageLevel.MEMORY_AND_DISK_SER());
        parts.lowCounts(name, n, marked.filter(t -> !t._2()._2()).keys().collect());
        all.unpersist();
        times.lap("counts: checks, totals, filter");
        // pass 2: TMM over the kept features
        double[] keptTotals = columnTotals(kept, n);
        double[] factors = p.tmm() ? CountsTmm.factors(kept, keptTotals, n) : ones(n);
        double[] lib = LogCpm.effective(keptTotals, factors);
        times.lap("counts: TMM");
        // pass 3: the first, unweighted ML fits; pass 4: the trend on the driver
        Broadcast<Design> design = jsc.broadcast(base);
        Broadcast<double[]> libB = jsc.broadcast(lib);
        JavaRDD<CountsFits.First> first = kept.mapPartitions(it -> CountsFits.firstPass(it, design.value(), libB.value()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<CountsFits.Point> points = new ArrayList<>(first.map(CountsFits.First::point).collect());
        kept.unpersist();
        points.sort(Comparator.comparing(CountsFits.Point::feature));
        double offset = LogCpm.sxOffset(lib);
        double[] sx = new double[points.size()], sy = new double[points.size()];
        boolean[] use = new boolean[points.size()];
        for (int i = 0; i < sx.length; i++) {
            sx[i] = VoomTrend.sx(points.get(i).meanLogCpm(), offset);
            sy[i] = points.get(i).sqrtSd();
            use[i] = points.get(i).use();
        }
        VoomTrend trend = VoomTrend.fit(sx, sy, use, CountsConfig.span(cfg));
        parts.meanVariance(name, points, sx, sy);
        times.lap("counts: first pass, trend");
        // pass 5: weighted fits (fractions, ML) and dream (REML, tests, residual df)
        Broadcast<VoomTrend> trendB = jsc.broadcast(trend);
        List<Contrast> contrasts = CountsConfig.contrasts(cfg);
        CountsFits.Settings settings = CountsFits.Settings.of(cfg);
        JavaRDD<CountsFits.Weighted> weighted = CountsCommitter.run(first.mapToPair(f -> new Tuple2<>(f.feature(), f)),
                f -> CountsFits.weightedOne(f, name, design.value(), libB.value(), trendB.value(), contrasts, settings), target, partitions, name, log);
        times.lap("counts: weighted fits");
        finish(spark, cfg, name, weighted, partitions, parts);
        first.unpersist();
    }

    /** Passes 6 and 7 of an assay's weighted fits: limma's prior, then the rows of every table (the moderation among them). */
    private static void finish(SparkSession spark, JobConfig cfg, String name, JavaRDD<CountsFits.Weighted> weighted, int partitions,
                               CountsTables.Parts parts) {
        // pass 6: limma's prior from the usable (σ̂², rdf): an exact median, then summed moments
        SqueezeVar.Prior prior = null;
        if (CountsConfig.moderated(cfg)) {
            double[] s2 = weighted.filter(CountsFits.Weighted::usable).map(w -> Math.max(w.sigma2(), 0)).collect()
                    .stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double floor = SqueezeVar.floorFor(SqueezeVar.median(s2));
            // the features spread by the hash of their ID and sorted, each partition's moments summed in that order
            // and merged in partition order: the same bits whether the fits were made now or taken over from an interrupted run
            List<SqueezeVar.Moments> perPartition = weighted.filter(CountsFits.Weighted::usable)
                    .mapToPair(w -> new Tuple2<>(w.feature(), new double[] {w.sigma2(), w.residualDf()}))
                    .repartitionAndSortWithinPartitions(new org.apache.spark.HashPartitioner(partitions))
                    .mapPartitions(it -> {
                        SqueezeVar.Moments acc = new SqueezeVar.Moments();
                        it.forEachRemaining(t -> acc.add(t._2()[0], t._2()[1], floor));
                        return List.of(acc).iterator();
                    }).collect();
            SqueezeVar.Moments m = new SqueezeVar.Moments();
            for (SqueezeVar.Moments x : perPartition) m = m.merge(x);
            prior = s2.length > 1 ? m.prior() : new SqueezeVar.Prior(0, Double.NaN);
        }
        parts.weighted(spark, name, weighted, prior);
        weighted.unpersist();
    }

    private static boolean allCounts(double[] c) {
        for (double v : c) if (!CountChecks.isCount(v)) return false;
        return true;
    }

    private static String badMessage(String path, List<String> samples, int[] cols, Tuple2<String, double[]> row) {
        if (row._2() == null) return path + ", feature " + row._1() + ": the row cannot be read as counts.";
        for (int i = 0; i < cols.length; i++) {
            double v = row._2()[i];
            if (!CountChecks.isCount(v)) {
                return path + ", feature " + row._1() + ", column '" + samples.get(cols[i]) + "': the value " + v + " is not a count;"
                        + " a counts assay holds raw read counts, non-negative integers (give log-scale values as an assay instead)";
            }
        }
        return path + ", feature " + row._1() + ": not counts.";
    }

    /**
     * Each sample's total over the features: one sum per partition, in the partition's order, and
     * the partitions' sums added in partition order on the driver, so that the library sizes (and
     * every weight) have the same bits on every attempt with the same partitions.
     */
    private static double[] columnTotals(JavaPairRDD<String, double[]> counts, int n) {
        double[] out = new double[n];
        for (double[] part : counts.values().mapPartitions(it -> {
            double[] acc = new double[n];
            it.forEachRemaining(c -> add(acc, c));
            return List.of(acc).iterator();
        }).collect()) {
            add(out, part);
        }
        return out;
    }

    private static double[] add(double[] acc, double[] c) {
        for (int i = 0; i < acc.length; i++) acc[i] += c[i];
        return acc;
    }

    static double[] ones(int n) {
        double[] o = new double[n];
        Arrays.fill(o, 1.0);
        return o;
    }
}
