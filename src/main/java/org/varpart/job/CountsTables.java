package org.varpart.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.varpart.io.OutputSchemas;
import org.varpart.stats.ModeratedT;
import org.varpart.stats.SqueezeVar;

/**
 * What counts assays add to the output tables, and how it is added: their per-feature rows join
 * the others' ({@code fits}, {@code fractions}, {@code fixed_effects}, {@code summary}); the
 * columns that only counts assays fill are appended to every row (null for log-scale assays), so
 * that every table has one schema: {@code fits.residual_df}, {@code fits.s2_post},
 * {@code fixed_effects.kind} (coefficient or contrast, the contrasts being rows of their own) and
 * {@code moderated_t}, {@code moderated_df}, {@code moderated_p}, {@code moderated_q},
 * {@code summary.d0} and {@code summary.s0_squared}; the {@code mean_variance} table keeps voom's
 * points (assay, feature, sx, sqrt_sd).
 */
final class CountsTables {
    /** One test of a counts feature, plain and moderated. */
    static final StructType MODERATED = new StructType().add("assay", "string").add("feature", "string").add("term", "string")
            .add("kind", "string").add("estimate", "double").add("std_error", "double").add("df", "double").add("t_value", "double")
            .add("p_value", "double").add("moderated_t", "double").add("moderated_df", "double").add("moderated_p", "double");
    static final StructType FIT_EXTRA = new StructType().add("assay", "string").add("feature", "string")
            .add("residual_df", "double").add("s2_post", "double");
    static final StructType MEAN_VARIANCE = new StructType().add("assay", "string").add("feature", "string")
            .add("sx", "double").add("sqrt_sd", "double");

    /** The rows a run's counts assays produced, gathered assay by assay (each kept in Spark's cache until written). */
    static final class Parts {
        private final List<Row> lowCounts = new ArrayList<>(), meanVariance = new ArrayList<>(), summary = new ArrayList<>();
        private final List<Dataset<Row>> features = new ArrayList<>(), moderated = new ArrayList<>(), fits = new ArrayList<>();
        private final java.util.Map<String, Long> featureCounts = new java.util.LinkedHashMap<>();

        void lowCounts(String assay, int n, List<String> ids) {
            for (String id : ids) lowCounts.add(CountsFits.lowCounts(assay, id, n));
            featureCounts.merge(assay, (long) ids.size(), Long::sum);
        }

        void meanVariance(String assay, List<CountsFits.Point> points, double[] sx, double[] sy) {
            for (int i = 0; i < sx.length; i++) {
                meanVariance.add(RowFactory.create(assay, points.get(i).feature(), CountsFits.number(sx[i]), CountsFits.number(sy[i])));
            }
        }

        void weighted(SparkSession spark, String assay, JavaRDD<CountsFits.Weighted> w, SqueezeVar.Prior prior) {
            Dataset<Row> f = spark.createDataFrame(w.map(CountsFits.Weighted::row), OutputSchemas.FEATURE).persist();
            featureCounts.merge(assay, f.count(), Long::sum);
            features.add(f);
            JavaRDD<Row> mod = w.flatMap(x -> moderate(assay, x, prior).iterator());
            Dataset<Row> m = spark.createDataFrame(mod, MODERATED).persist();
            m.count();
            moderated.add(m);
            Dataset<Row> e = spark.createDataFrame(w.map(x -> RowFactory.create(assay, x.feature(), CountsFits.number(x.residualDf()),
                    prior == null || !x.usable() ? null : CountsFits.number(prior.posterior(x.sigma2(), x.residualDf())))), FIT_EXTRA).persist();
            e.count();
            fits.add(e);
            summary.add(RowFactory.create(assay, prior == null ? null : CountsFits.number(prior.df()),
                    prior == null ? null : CountsFits.number(prior.var())));
        }

        /** How many features each counts assay has (all of them get a row). */
        java.util.Map<String, Long> featureCounts() {
            return featureCounts;
        }

        /** The per-feature rows of the other assays with those of the counts assays. */
        JavaRDD<Row> withFeatures(JavaRDD<Row> all) {
            JavaRDD<Row> out = all;
            if (!lowCounts.isEmpty()) out = out.union(JavaSparkContext.fromSparkContext(all.context()).parallelize(lowCounts, 1));
            for (Dataset<Row> f : features) out = out.union(f.javaRDD());
            return out;
        }

        /** Whether no counts assay added anything (their columns are then null in every row). */
        boolean isEmpty() {
            return lowCounts.isEmpty() && meanVariance.isEmpty() && summary.isEmpty() && features.isEmpty() && moderated.isEmpty() && fits.isEmpty();
        }

        /** Each counts assay's prior: assay → {d0, s0²} (null where limma had none). */
        java.util.Map<String, Double[]> priors() {
            java.util.Map<String, Double[]> out = new java.util.HashMap<>();
            for (Row r : summary) out.put(r.getString(0), new Double[] {(Double) r.get(1), (Double) r.get(2)});
            return out;
        }

        Dataset<Row> fits(Dataset<Row> fitsTable) {
            Dataset<Row> extra = union(fitsTable.sparkSession(), fits, FIT_EXTRA);
            return fitsTable.join(extra, seq("assay", "feature"), "left");
        }

        /** Coefficient rows with their moderated columns, then the contrasts' rows with their q-values. */
        Dataset<Row> fixedEffects(Dataset<Row> fixed) {
            SparkSession s = fixed.sparkSession();
            Dataset<Row> m = union(s, moderated, MODERATED);
            Dataset<Row> mq = OutputTables.withQValues(m.drop("p_value").withColumnRenamed("moderated_p", "p_value"), "term")
                    .withColumnRenamed("p_value", "moderated_p").withColumnRenamed("q_value", "moderated_q")
                    .select("assay", "feature", "term", "kind", "moderated_t", "moderated_df", "moderated_p", "moderated_q");
            Dataset<Row> coefficients = fixed.withColumn("kind", functions.lit("coefficient"))
                    .join(mq.filter(functions.col("kind").equalTo("coefficient")).drop("kind"), seq("assay", "feature", "term"), "left");
            Dataset<Row> contrasts = OutputTables.withQValues(m.filter(functions.col("kind").equalTo("contrast"))
                    .select("assay", "feature", "term", "kind", "estimate", "std_error", "df", "t_value", "p_value"), "term")
                    .join(mq.filter(functions.col("kind").equalTo("contrast")).drop("kind"), seq("assay", "feature", "term"), "left");
            return coefficients.select(FIXED_EFFECTS).union(contrasts.select(FIXED_EFFECTS));
        }

        Dataset<Row> meanVariance(SparkSession s) {
            return s.createDataFrame(meanVariance, MEAN_VARIANCE);
        }

        void release() {
            features.forEach(Dataset::unpersist);
            moderated.forEach(Dataset::unpersist);
            fits.forEach(Dataset::unpersist);
        }
    }

    /** Columns of {@code fixed_effects}: the general ones, then the counts path's. */
    static final Column[] FIXED_EFFECTS;

    static {
        List<Column> c = new ArrayList<>();
        for (String n : OutputSchemas.with(OutputSchemas.FIXED_EFFECTS, OutputSchemas.COUNTS_FIXED_EFFECTS)) c.add(functions.col(n));
        FIXED_EFFECTS = c.toArray(new Column[0]);
    }

    private CountsTables() {}

    /** The plain and moderated rows of a feature's tests; without a prior (moderated = false) the moderated columns are null. */
    static List<Row> moderate(String assay, CountsFits.Weighted w, SqueezeVar.Prior prior) {
        List<Row> out = new ArrayList<>();
        boolean mod = prior != null && w.usable();
        double s2Post = mod ? prior.posterior(w.sigma2(), w.residualDf()) : Double.NaN;
        for (CountsFits.Test t : w.tests()) {
            ModeratedT.Result m = mod ? ModeratedT.of(t.estimate(), t.stdError(), w.sigma2(), s2Post, t.df(), prior.df()) : null;
            out.add(RowFactory.create(assay, w.feature(), t.name(), t.contrast() ? "contrast" : "coefficient", t.estimate(), t.stdError(),
                    CountsFits.number(t.df()), CountsFits.number(t.t()), CountsFits.number(t.p()),
                    m == null ? null : CountsFits.number(m.t()), m == null ? null : CountsFits.number(m.df()),
                    m == null ? null : CountsFits.number(m.p())));
        }
        return out;
    }

    private static Dataset<Row> union(SparkSession s, List<Dataset<Row>> parts, StructType schema) {
        Dataset<Row> out = s.createDataFrame(new ArrayList<Row>(), schema);
        for (Dataset<Row> p : parts) out = out.union(p);
        return out;
    }

    static scala.collection.Seq<String> seq(String... names) {
        return scala.collection.JavaConverters.asScalaBuffer(List.of(names)).toSeq();
    }
}
