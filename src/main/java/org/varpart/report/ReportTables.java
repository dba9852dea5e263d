package org.varpart.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads an output directory's tables with Spark and reduces them to {@link ReportData}: counts
 * per bin, per status, per group, and a bounded number of example features. Nothing collected to
 * the driver grows with the number of features (at most {@link Charts#DENSITY_BINS} bins per
 * component, one bin per 0.01 of −log₁₀ p per test, {@code top} features per component and a few
 * examples per status).
 */
public final class ReportTables {
    /** Features shown per component in the percent bars. */
    public static final int TOP_PER_COMPONENT = 5;
    /** Example features shown per unusual status. */
    public static final int EXAMPLES_PER_STATUS = 3;

    private ReportTables() {}

    /**
     * The report data of every assay in {@code dir}, in the order of {@code assayOrder} (assays
     * the tables hold beyond it come after, by name).
     */
    public static List<ReportData.Assay> read(SparkSession spark, Path dir, List<String> assayOrder) {
        return read(spark, dir, assayOrder, org.varpart.counts.VoomTrend.DEFAULT_SPAN, 0.05);
    }

    /** As {@link #read(SparkSession, Path, List)}, with the run's voom span and FDR for the counts assays' plots. */
    public static List<ReportData.Assay> read(SparkSession spark, Path dir, List<String> assayOrder, double span, double fdr) {
        Dataset<Row> fits = spark.read().parquet(new Path(dir, "fits").toString());
        Dataset<Row> fractions = spark.read().parquet(new Path(dir, "fractions").toString());
        // the summary's features: fitted ok or singular
        Dataset<Row> usable = fractions.join(fits.filter(col("status").isin("ok", "singular")).select("assay", "feature"),
                scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "feature")).toSeq(), "left_semi")
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return read(spark, dir, assayOrder, fits, usable, span, fdr);
        } finally {
            usable.unpersist();
        }
    }

    private static List<ReportData.Assay> read(SparkSession spark, Path dir, List<String> assayOrder, Dataset<Row> fits,
                                               Dataset<Row> usable, double span, double fdr) {
        Map<String, Map<String, Row>> summary = byAssay(spark.read().parquet(new Path(dir, "summary").toString()).collectAsList(), 1);
        Map<String, ReportScans.Spread> spread = ReportScans.fractions(usable.select("assay", "feature", "component", "fraction").javaRDD());
        boolean weightedColumn = List.of(fits.columns()).contains("residual_df");
        ReportScans.Fits fitScan = ReportScans.fits((weightedColumn ? fits.select("assay", "feature", "status", "message", "residual_df")
                : fits.select("assay", "feature", "status", "message")).javaRDD(), EXAMPLES_PER_STATUS);
        Map<String, List<ReportData.StatusRow>> statuses = statuses(fitScan);
        Set<String> countsAssays = new java.util.HashSet<>(fitScan.weighted);
        if (exists(spark, new Path(dir, "mean_variance"))) {
            countsAssays.addAll(ReportScans.distinct(spark.read().parquet(new Path(dir, "mean_variance").toString()).select("assay").javaRDD()));
        }
        Set<String> assays = new LinkedHashSet<>(assayOrder);
        statuses.keySet().stream().sorted().forEach(assays::add);
        boolean intervals = List.of(usable.columns()).contains("ci_lower");
        Map<String, List<Row>> chosenRows = chosenRows(usable, spread, intervals);
        Map<String, List<ReportData.FeatureBar>> top = topFeatures(spread, chosenRows);
        Map<String, List<Row>> tests = testBins(spark, dir);
        Map<String, List<CollinearityHeatMap.Cell>> collinearity = ReportExtras.collinearity(spark, dir);

        List<ReportData.Assay> out = new ArrayList<>();
        for (String a : assays) {
            List<ReportData.Component> comps = new ArrayList<>();
            for (Row s : summary.getOrDefault(a, Map.of()).values()) {
                String c = s.getAs("component");
                ReportScans.Spread sp = spread.get(a + ReportScans.SEP + c);
                comps.add(new ReportData.Component(c, s.<Long>getAs("n_features"), d(s, "mean"), d(s, "median"), d(s, "q05"),
                        d(s, "q25"), d(s, "q75"), d(s, "q95"), sp == null ? 0 : sp.sd(), sp == null ? d(s, "q05") : sp.min,
                        sp == null ? d(s, "q95") : sp.max, sp == null ? new long[Charts.DENSITY_BINS] : sp.bins,
                        s.getAs("n_significant"), s.getAs("lambda")));
            }
            comps.sort(PLOT_ORDER);
            List<String> order = comps.stream().map(ReportData.Component::name).toList();
            List<ReportData.FeatureBar> bars = new ArrayList<>(top.getOrDefault(a, List.of()));
            bars.sort(Comparator.comparingInt(b -> order.indexOf(b.chosenFor())));
            out.add(new ReportData.Assay(a, comps, bars, testSeries(tests.getOrDefault(a, List.of()), summary.getOrDefault(a, Map.of()), order),
                    statuses.getOrDefault(a, List.of()), collinearity.getOrDefault(a, List.of()),
                    intervals ? ReportExtras.intervals(chosenRows.getOrDefault(a, List.of()), bars) : List.of(),
                    countsAssays.contains(a) ? CountsPlots.read(spark, dir, a, span, fdr) : null));
        }
        return out;
    }

    /** Largest median first (then mean, then name), {@code Residuals} last. */
    static final Comparator<ReportData.Component> PLOT_ORDER = Comparator
            .comparing((ReportData.Component c) -> c.name().equals(ReportData.RESIDUALS))
            .thenComparing(Comparator.comparingDouble(ReportData.Component::median).reversed())
            .thenComparing(Comparator.comparingDouble(ReportData.Component::mean).reversed())
            .thenComparing(ReportData.Component::name);

    private static double d(Row r, String column) {
        Double v = r.getAs(column);
        return v == null ? Double.NaN : v;
    }

    /** Rows grouped by their first column (the assay), keyed by the column {@code key}, in order. */
    private static Map<String, Map<String, Row>> byAssay(List<Row> rows, int key) {
        Map<String, Map<String, Row>> m = new LinkedHashMap<>();
        for (Row r : rows) m.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(key), r);
        return m;
    }

    /** Counts per status, with the first few features of each status but ok (by feature ID) as examples, by status. */
    private static Map<String, List<ReportData.StatusRow>> statuses(ReportScans.Fits fits) {
        Map<String, List<ReportData.StatusRow>> out = new HashMap<>();
        new java.util.TreeMap<>(fits.statuses).forEach((key, s) -> {
            String[] k = ReportScans.split(key);
            List<ReportData.Example> examples = new ArrayList<>();
            for (ReportScans.Ranked r : s.examples) examples.add(new ReportData.Example(r.feature(), r.message()));
            out.computeIfAbsent(k[0], x -> new ArrayList<>()).add(new ReportData.StatusRow(k[1], s.count, examples));
        });
        return out;
    }

    /**
     * Per assay, every usable fraction (assay, feature, component, fraction[, ci_lower, ci_upper])
     * of the features chosen for the percent bars, in the table's order.
     */
    private static Map<String, List<Row>> chosenRows(Dataset<Row> usable, Map<String, ReportScans.Spread> spread, boolean intervals) {
        java.util.HashSet<String> chosen = new java.util.HashSet<>();
        spread.forEach((key, s) -> {
            for (ReportScans.Ranked r : s.top) chosen.add(ReportScans.split(key)[0] + ReportScans.SEP + r.feature());
        });
        Map<String, List<Row>> out = new HashMap<>();
        if (chosen.isEmpty()) return out;
        Dataset<Row> cols = intervals ? usable.select("assay", "feature", "component", "fraction", "ci_lower", "ci_upper")
                : usable.select("assay", "feature", "component", "fraction");
        for (Row r : cols.javaRDD().filter(r -> chosen.contains(r.getString(0) + ReportScans.SEP + r.getString(1))).collect()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Per assay, the {@link #TOP_PER_COMPONENT} features with the largest fraction of each component but the residuals, with all their fractions. */
    private static Map<String, List<ReportData.FeatureBar>> topFeatures(Map<String, ReportScans.Spread> spread, Map<String, List<Row>> rows) {
        Map<String, List<ReportData.FeatureBar>> out = new HashMap<>();
        new java.util.TreeMap<>(spread).forEach((key, s) -> {
            String[] k = ReportScans.split(key);
            for (ReportScans.Ranked r : s.top) {
                Map<String, Double> fractions = new LinkedHashMap<>();
                for (Row f : rows.getOrDefault(k[0], List.of())) if (f.getString(1).equals(r.feature())) fractions.put(f.getString(2), f.getDouble(3));
                out.computeIfAbsent(k[0], x -> new ArrayList<>()).add(new ReportData.FeatureBar(k[1], r.feature(), fractions));
            }
        });
        return out;
    }

    private static boolean exists(SparkSession spark, Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Counts of −log₁₀ p per bin of {@link QqPoints}, per assay and test: rows (name, random, bin, count). */
    private static Map<String, List<Row>> testBins(SparkSession spark, Path dir) {
        Dataset<Row> p = spark.read().parquet(new Path(dir, "term_tests").toString())
                .select(col("assay"), col("term").as("name"), lit(false).as("random"), col("p_value"))
                .union(spark.read().parquet(new Path(dir, "component_tests").toString())
                        .select(col("assay"), col("component").as("name"), lit(true).as("random"), col("p_value")))
                .filter(col("p_value").isNotNull());
        UDF1<Double, Long> qqBin = QqPoints::bin;
        Map<String, List<Row>> out = new HashMap<>();
        for (Row r : p.groupBy(col("assay"), col("name"), col("random"), functions.udf(qqBin, DataTypes.LongType).apply(col("p_value")).as("bin"))
                .count().filter(col("bin").geq(0)).collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** One series per test, in the components' plot order, with λ and the count significant from the summary. */
    private static List<ReportData.TestSeries> testSeries(List<Row> rows, Map<String, Row> summary, List<String> order) {
        Map<String, List<Row>> byTest = new LinkedHashMap<>();
        for (Row r : rows) byTest.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r);
        List<ReportData.TestSeries> out = new ArrayList<>();
        byTest.forEach((name, rs) -> {
            long[] b = new long[rs.size()], c = new long[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                b[i] = rs.get(i).getLong(3);
                c[i] = rs.get(i).getLong(4);
            }
            Row s = summary.get(name);
            out.add(new ReportData.TestSeries(name, rs.get(0).getBoolean(2), b, c,
                    s == null ? null : s.<Long>getAs("n_significant"), s == null ? null : s.<Double>getAs("lambda")));
        });
        out.sort(Comparator.comparingInt((ReportData.TestSeries t) -> order.contains(t.name()) ? order.indexOf(t.name()) : order.size())
                .thenComparing(ReportData.TestSeries::name));
        return out;
    }
}
