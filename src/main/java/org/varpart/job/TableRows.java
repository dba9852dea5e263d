package org.varpart.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.varpart.io.OutputSchemas;

/**
 * The flat rows of each output table, made straight from one per-feature result
 * ({@link OutputSchemas#FEATURE}) inside the task that reads it: one {@code fits} row, one row per
 * fraction, fixed effect, term test and component test, the last three with the q-value of their
 * p-value looked up in their group's table ({@link ResultValues#qTables}). No nested table is
 * cached and nothing is exploded or sorted by Spark SQL.
 */
final class TableRows {
    private TableRows() {}

    /** Fields of the per-feature schema holding the fractions, fixed effects, term tests and component tests. */
    static final int FRACTIONS = 12, FIXED_EFFECTS = 13, TERM_TESTS = 14, COMPONENT_TESTS = 15;

    /** The {@code fits} columns taken from the per-feature schema. */
    static final int FIT_COLUMNS = OutputSchemas.FITS.length;

    private static final StructField Q = DataTypes.createStructField("q_value", DataTypes.DoubleType, true);

    /** Schemas of the tables (with {@code countsColumns}, the columns only counts assays fill appended, to be filled with nulls). */
    static StructType fits(boolean countsColumns) {
        StructType s = new StructType(Arrays.copyOf(OutputSchemas.FEATURE.fields(), FIT_COLUMNS));
        return countsColumns ? s.add("residual_df", "double").add("s2_post", "double") : s;
    }

    static StructType fractions() {
        return keyed(OutputSchemas.FRACTION, false);
    }

    static StructType fixedEffects(boolean countsColumns) {
        StructType s = keyed(OutputSchemas.COEFFICIENT, true);
        return countsColumns ? s.add("kind", "string").add("moderated_t", "double").add("moderated_df", "double")
                .add("moderated_p", "double").add("moderated_q", "double") : s;
    }

    static StructType termTests() {
        return keyed(OutputSchemas.TERM_TEST, true);
    }

    static StructType componentTests() {
        return keyed(OutputSchemas.COMPONENT_TEST, true);
    }

    static final StructType SUMMARY = new StructType().add("assay", "string").add("component", "string").add("n_features", "long")
            .add("mean", "double").add("median", "double").add("q05", "double").add("q25", "double").add("q75", "double")
            .add("q95", "double").add("n_significant", "long").add("lambda", "double").add("d0", "double").add("s0_squared", "double");

    private static StructType keyed(StructType element, boolean q) {
        List<StructField> f = new ArrayList<>(List.of(OutputSchemas.FEATURE.fields()[0], OutputSchemas.FEATURE.fields()[1]));
        f.addAll(Arrays.asList(element.fields()));
        if (q) f.add(Q);
        return new StructType(f.toArray(new StructField[0]));
    }

    /**
     * The elements of an array-of-struct field of a per-feature result, whether it holds a Scala
     * sequence (as read from a chunk or from Spark) or a Java list.
     */
    static List<Row> elements(Row f, int field) {
        Object v = f.get(field);
        if (v == null) return List.of();
        List<?> l = v instanceof scala.collection.Seq<?> seq ? scala.collection.JavaConverters.seqAsJavaList(seq) : (List<?>) v;
        List<Row> out = new ArrayList<>(l.size());
        for (Object o : l) out.add((Row) o);
        return out;
    }

    /** The feature's {@code fits} row; {@code countsColumns} appends null {@code residual_df} and {@code s2_post}. */
    static Row fitsRow(Row f, boolean countsColumns) {
        Object[] v = new Object[FIT_COLUMNS + (countsColumns ? 2 : 0)];
        for (int i = 0; i < FIT_COLUMNS; i++) v[i] = f.get(i);
        return RowFactory.create(v);
    }

    /** The feature's {@code fractions} rows. */
    static Iterator<Row> fractionRows(Row f) {
        return flat(f, FRACTIONS, null, null, -1, 0).iterator();
    }

    /**
     * The feature's {@code fixed_effects} rows with their q-values; {@code countsColumns} appends
     * {@code kind} = coefficient and null moderated columns (what a log-scale assay's rows hold).
     */
    static Iterator<Row> fixedEffectRows(Row f, Map<String, double[][]> q, boolean countsColumns) {
        List<Row> rows = flat(f, FIXED_EFFECTS, ResultValues.FIXED, q, 5, countsColumns ? 5 : 0);
        if (!countsColumns) return rows.iterator();
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Object[] v = values(r);
            v[v.length - 5] = "coefficient";
            out.add(RowFactory.create(v));
        }
        return out.iterator();
    }

    static Iterator<Row> termTestRows(Row f, Map<String, double[][]> q) {
        return flat(f, TERM_TESTS, ResultValues.TERMS, q, 4, 0).iterator();
    }

    static Iterator<Row> componentTestRows(Row f, Map<String, double[][]> q) {
        return flat(f, COMPONENT_TESTS, ResultValues.COMPONENTS, q, 3, 0).iterator();
    }

    /**
     * One row per element of {@code field}: assay, feature, the element's fields, then (when
     * {@code kind} is given) the q-value of the element's p-value (its field {@code p}; missing
     * when the p-value is), then {@code extra} nulls.
     */
    private static List<Row> flat(Row f, int field, String kind, Map<String, double[][]> q, int p, int extra) {
        List<Row> elements = elements(f, field);
        List<Row> out = new ArrayList<>(elements.size());
        String assay = f.getString(0);
        for (Row e : elements) {
            int n = e.size();
            Object[] v = new Object[2 + n + (kind == null ? 0 : 1) + extra];
            v[0] = assay;
            v[1] = f.get(1);
            for (int i = 0; i < n; i++) v[2 + i] = e.get(i);
            if (kind != null && !e.isNullAt(p)) {
                double[][] table = q.get(ResultValues.key(kind, assay, e.getString(0)));
                v[2 + n] = ResultValues.qOf(table, e.getDouble(p));
            }
            out.add(RowFactory.create(v));
        }
        return out;
    }

    private static Object[] values(Row r) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        return v;
    }
}
