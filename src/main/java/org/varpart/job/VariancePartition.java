package org.varpart.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.varpart.design.DataTable;
import org.varpart.formula.ModelSpec;
import org.varpart.io.FeatureRow;
import org.varpart.io.OutputSchemas;
import org.varpart.lmm.FitOptions;

/**
 * varpart as a Spark ML transformer, for notebooks and pipelines: each input row is a feature
 * (an ID column and an ML vector of its values, one per sample, in the order given by
 * {@link #setSamples}); the output has one row per feature with its status, fit statistics,
 * variance fractions (with bootstrap intervals after {@link #setCi}) and fixed effects (schema
 * {@code OutputSchemas.FEATURE}).
 *
 * <pre>{@code
 * Dataset<Row> result = new VariancePartition()
 *     .setFormula("~ age + sex + (1 | patient) + (1 | batch)")
 *     .setSampleSheet(sheetDf, "sample")
 *     .setSamples(sampleIdsInVectorOrder)
 *     .transform(featuresDf);      // columns: feature (string), values (vector)
 * }</pre>
 */
public class VariancePartition extends Transformer {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private String formula;
    private DataTable sheet;
    private String sampleIdColumn = "sample";
    private List<String> samples;
    private String idCol = "feature", valuesCol = "values", assay = "assay";
    private boolean reml;
    private boolean tests = true;
    private IntervalSettings intervals = IntervalSettings.NONE;

    public VariancePartition() {
        this(Identifiable.randomUID("varpart"));
    }

    public VariancePartition(String uid) {
        this.uid = uid;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The right-hand side of the model, e.g. {@code ~ age + (1 | patient)}. */
    public VariancePartition setFormula(String f) {
        this.formula = f;
        return this;
    }

    /** The sample sheet as a DataFrame (collected to the driver: one row per sample). */
    public VariancePartition setSampleSheet(Dataset<Row> df, String idColumn) {
        List<String> names = Arrays.asList(df.columns());
        List<Row> rows = df.collectAsList();
        List<String[]> cells = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            String[] c = new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) c[i] = rows.get(i).isNullAt(j) ? null : rows.get(i).get(j).toString();
            cells.add(c);
        }
        this.sheet = DataTable.fromText("the sample sheet", names, cells);
        this.sampleIdColumn = idColumn;
        return this;
    }

    /** The sample sheet as a table already read (for example with {@code TableReader.read}). */
    public VariancePartition setSampleSheet(DataTable table, String idColumn) {
        this.sheet = table;
        this.sampleIdColumn = idColumn;
        return this;
    }

    /** The sample ID of each position of the values vector. */
    public VariancePartition setSamples(List<String> ids) {
        this.samples = List.copyOf(ids);
        return this;
    }

    public VariancePartition setIdCol(String c) {
        this.idCol = c;
        return this;
    }

    public VariancePartition setValuesCol(String c) {
        this.valuesCol = c;
        return this;
    }

    /** The assay name written in the output's {@code assay} column. */
    public VariancePartition setAssay(String a) {
        this.assay = a;
        return this;
    }

    /** REML instead of ML. */
    public VariancePartition setReml(boolean r) {
        this.reml = r;
        return this;
    }

    /** Whether to compute the significance tests (default true). */
    public VariancePartition setTests(boolean t) {
        this.tests = t;
        return this;
    }

    /**
     * Whether each feature's fractions get bootstrap confidence intervals (the {@code ci_lower}
     * and {@code ci_upper} of each entry of {@code fractions}; default false), as the job's
     * {@code ci} key.
     */
    public VariancePartition setCi(boolean ci) {
        intervals = new IntervalSettings(ci, intervals.replicates(), intervals.level(), intervals.method(), intervals.seed());
        return this;
    }

    /** Bootstrap replicates per feature (at least 10; default 200), as {@code ci_replicates}. */
    public VariancePartition setCiReplicates(int replicates) {
        if (replicates < 10) throw new IllegalArgumentException("ci replicates must be at least 10, got " + replicates);
        intervals = new IntervalSettings(intervals.enabled(), replicates, intervals.level(), intervals.method(), intervals.seed());
        return this;
    }

    /** The intervals' level, in (0, 1) (default 0.95), as {@code ci_level}. */
    public VariancePartition setCiLevel(double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("ci level must be in (0, 1), got " + level);
        intervals = new IntervalSettings(intervals.enabled(), intervals.replicates(), level, intervals.method(), intervals.seed());
        return this;
    }

    /** {@code logit_basic} (the default) or {@code percentile}, as {@code ci_method}. */
    public VariancePartition setCiMethod(String method) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("logit_basic") && !m.equals("percentile")) {
            throw new IllegalArgumentException("ci method must be logit_basic or percentile, got '" + method + "'");
        }
        intervals = new IntervalSettings(intervals.enabled(), intervals.replicates(), intervals.level(),
                org.varpart.stats.FractionBootstrap.Method.valueOf(m.toUpperCase(java.util.Locale.ROOT)), intervals.seed());
        return this;
    }

    /** The seed of the bootstrap (default 1), as the job's {@code seed}: the same seed and IDs give the job's intervals. */
    public VariancePartition setSeed(long seed) {
        intervals = new IntervalSettings(intervals.enabled(), intervals.replicates(), intervals.level(), intervals.method(), seed);
        return this;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> features) {
        if (formula == null || sheet == null || samples == null) {
            throw new IllegalStateException("set the formula, the sample sheet and the samples before transform()");
        }
        ModelSpec spec = ModelSpec.parse(VarPartJob.RESPONSE + " " + formula.strip());
        Map<String, Integer> rowOf = Plan.sampleRows(sheet, sampleIdColumn, "the sample sheet");
        FitOptions options = (reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults()).withoutConditionalVariances();
        AssayModel model = Plan.assayModel(assay, "input", spec, sheet, rowOf, samples, options, tests, false, new ArrayList<>())
                .withIntervals(intervals);
        SparkSession spark = features.sparkSession();
        Broadcast<AssayModel> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        String id = idCol, values = valuesCol;
        JavaRDD<FeatureRow> rows = features.select(id, values).toDF().javaRDD()
                .map(r -> new FeatureRow(String.valueOf(r.get(0)), r.isNullAt(1) ? null : ((Vector) r.get(1)).toArray(),
                        r.isNullAt(1) ? "no values" : null));
        return spark.createDataFrame(rows.mapPartitions(new FeatureFitter(b, null)), OutputSchemas.FEATURE);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return OutputSchemas.FEATURE;
    }

    @Override
    public Transformer copy(ParamMap extra) {
        VariancePartition c = new VariancePartition(uid);
        c.formula = formula;
        c.sheet = sheet;
        c.sampleIdColumn = sampleIdColumn;
        c.samples = samples;
        c.idCol = idCol;
        c.valuesCol = valuesCol;
        c.assay = assay;
        c.reml = reml;
        c.tests = tests;
        c.intervals = intervals;
        return c;
    }
}
