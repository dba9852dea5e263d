package org.varpart.io;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every output table's schema, declared once. The README documents each column.
 */
public final class OutputSchemas {
    private OutputSchemas() {}

    private static StructField f(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** One variance component of one feature. */
    public static final StructType FRACTION = DataTypes.createStructType(new StructField[] {
        f("component", DataTypes.StringType, false), f("variance", DataTypes.DoubleType, false),
        f("fraction", DataTypes.DoubleType, false), f("ci_lower", DataTypes.DoubleType, true),
        f("ci_upper", DataTypes.DoubleType, true)});

    /** One fixed-effect coefficient of one feature, with its Satterthwaite t test. */
    public static final StructType COEFFICIENT = DataTypes.createStructType(new StructField[] {
        f("term", DataTypes.StringType, false), f("estimate", DataTypes.DoubleType, false),
        f("std_error", DataTypes.DoubleType, false), f("df", DataTypes.DoubleType, true),
        f("t_value", DataTypes.DoubleType, true), f("p_value", DataTypes.DoubleType, true)});

    /** The F test of one fixed term of one feature. */
    public static final StructType TERM_TEST = DataTypes.createStructType(new StructField[] {
        f("term", DataTypes.StringType, false), f("num_df", DataTypes.IntegerType, false),
        f("den_df", DataTypes.DoubleType, true), f("f_value", DataTypes.DoubleType, true),
        f("p_value", DataTypes.DoubleType, true)});

    /** The likelihood-ratio test of one variance component of one feature. */
    public static final StructType COMPONENT_TEST = DataTypes.createStructType(new StructField[] {
        f("component", DataTypes.StringType, false), f("lrt_statistic", DataTypes.DoubleType, true),
        f("df", DataTypes.IntegerType, false), f("p_value", DataTypes.DoubleType, true)});

    /** The per-feature result the fitting step produces; the tables are projections of it. */
    public static final StructType FEATURE = DataTypes.createStructType(new StructField[] {
        f("assay", DataTypes.StringType, false), f("feature", DataTypes.StringType, false),
        f("n_obs", DataTypes.IntegerType, false), f("status", DataTypes.StringType, false),
        f("message", DataTypes.StringType, false), f("objective", DataTypes.DoubleType, true),
        f("log_likelihood", DataTypes.DoubleType, true), f("aic", DataTypes.DoubleType, true),
        f("bic", DataTypes.DoubleType, true), f("evaluations", DataTypes.IntegerType, false),
        f("converged", DataTypes.BooleanType, false), f("singular", DataTypes.BooleanType, false),
        f("fractions", DataTypes.createArrayType(FRACTION, false), false),
        f("fixed_effects", DataTypes.createArrayType(COEFFICIENT, false), false),
        f("term_tests", DataTypes.createArrayType(TERM_TEST, false), false),
        f("component_tests", DataTypes.createArrayType(COMPONENT_TEST, false), false)});

    /** Columns of the {@code fits} table. */
    public static final String[] FITS = {"assay", "feature", "n_obs", "status", "message", "objective",
        "log_likelihood", "aic", "bic", "evaluations", "converged", "singular"};

    /** Columns of the {@code fractions} table. */
    public static final String[] FRACTIONS = {"assay", "feature", "component", "variance", "fraction", "ci_lower", "ci_upper"};

    /** Columns of the {@code fixed_effects} table. */
    public static final String[] FIXED_EFFECTS = {"assay", "feature", "term", "estimate", "std_error", "df", "t_value", "p_value", "q_value"};

    /** Columns of the {@code term_tests} table. */
    public static final String[] TERM_TESTS = {"assay", "feature", "term", "num_df", "den_df", "f_value", "p_value", "q_value"};

    /** Columns of the {@code component_tests} table. */
    public static final String[] COMPONENT_TESTS = {"assay", "feature", "component", "lrt_statistic", "df", "p_value", "q_value"};

    /** The {@code collinearity} table: each pair of formula variables of each assay (see stats.Collinearity). */
    public static final StructType COLLINEARITY = DataTypes.createStructType(new StructField[] {
        f("assay", DataTypes.StringType, false), f("variable1", DataTypes.StringType, false),
        f("variable2", DataTypes.StringType, false), f("value", DataTypes.DoubleType, true),
        f("n_obs", DataTypes.IntegerType, false)});

    /** Columns of the {@code summary} table. */
    public static final String[] SUMMARY = {"assay", "component", "n_features", "mean", "median", "q05", "q25", "q75", "q95",
        "n_significant", "lambda"};

    /** Columns appended to {@code fits} for counts assays (null for log-scale assays): dream's residual df and limma's posterior variance. */
    public static final String[] COUNTS_FITS = {"residual_df", "s2_post"};

    /** Columns appended to {@code fixed_effects}: coefficient or contrast, and the moderated test (counts assays). */
    public static final String[] COUNTS_FIXED_EFFECTS = {"kind", "moderated_t", "moderated_df", "moderated_p", "moderated_q"};

    /** Columns appended to {@code summary}: limma's prior df d0 and variance s0² per counts assay. */
    public static final String[] COUNTS_SUMMARY = {"d0", "s0_squared"};

    /** Columns of the {@code mean_variance} table: voom's points of each counts assay. */
    public static final String[] MEAN_VARIANCE = {"assay", "feature", "sx", "sqrt_sd"};

    /** A table's columns followed by the ones appended to it. */
    public static String[] with(String[] table, String[] appended) {
        String[] out = java.util.Arrays.copyOf(table, table.length + appended.length);
        System.arraycopy(appended, 0, out, table.length, appended.length);
        return out;
    }
}
