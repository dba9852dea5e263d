package org.varpart.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.formula.ModelSpec;
import org.varpart.io.OutputSchemas;
import org.varpart.stats.Collinearity;

/**
 * The run's collinearity stage, on the driver before any fit: for each assay, on the samples that
 * assay uses, variancePartition's {@code canCorPairs} for every pair of formula variables
 * ({@link Collinearity}); the pairs above 0.999 as warnings for the log and {@code run.json}; an
 * exactly collinear pair named in the run-level problem it causes; and the {@code collinearity}
 * table ({@link OutputSchemas#COLLINEARITY}).
 */
public final class CollinearityTable {
    /** A pair at least this close to 1 is exactly collinear (one variable a function of the other). */
    static final double EXACT = 1 - 1e-9;

    private CollinearityTable() {}

    /** The pairs of the formula's variables over the samples an assay uses. */
    static List<Collinearity.Pair> pairs(ModelSpec spec, DataTable samples) {
        return Collinearity.pairs(spec, samples);
    }

    /** One warning per pair above {@link Collinearity#WARN_ABOVE}. */
    static List<String> warnings(String assay, List<Collinearity.Pair> pairs) {
        List<String> out = new ArrayList<>();
        for (Collinearity.Pair p : Collinearity.collinear(pairs)) out.add("assay " + assay + ": " + p.warning());
        return out;
    }

    /** The exactly collinear pairs, as "(lab and batch: canonical correlation 1 over 200 samples)", or "". */
    static String exact(List<Collinearity.Pair> pairs) {
        List<String> named = new ArrayList<>();
        for (Collinearity.Pair p : pairs) {
            if (p.value() >= EXACT) {
                named.add(String.format(Locale.ROOT, "%s and %s: canonical correlation %.9f over %d samples", p.variable1(), p.variable2(),
                        p.value(), p.nObs()));
            }
        }
        return named.isEmpty() ? "" : " Exactly collinear among the samples used (one is a function of the other): " + String.join("; ", named) + ".";
    }

    /**
     * A problem with the complete design, with the exactly collinear pairs named when there are
     * any; computing the pairs can itself fail on the same cause, and then the problem stands alone.
     */
    static InputException explain(InputException e, ModelSpec spec, DataTable samples) {
        String named;
        try {
            named = exact(pairs(spec, samples));
        } catch (RuntimeException ignored) {
            return e;
        }
        return named.isEmpty() ? e : new InputException(e.getMessage() + named, e);
    }

    /** Warnings for fixed columns the complete design dropped as rank deficient, with the exact pairs that explain them. */
    static List<String> rankWarnings(String assay, Design complete, List<Collinearity.Pair> pairs) {
        List<String> out = new ArrayList<>();
        for (String m : complete.messages()) {
            if (m.contains("rank deficient")) out.add("assay " + assay + ": " + m + exact(pairs));
        }
        return out;
    }

    /** The table's rows for one assay, in formula order. */
    static List<Row> rows(String assay, List<Collinearity.Pair> pairs) {
        List<Row> rows = new ArrayList<>();
        for (Collinearity.Pair p : pairs) {
            rows.add(RowFactory.create(assay, p.variable1(), p.variable2(), Double.isFinite(p.value()) ? p.value() : null, p.nObs()));
        }
        return rows;
    }

    /**
     * The pairs of every assay of a plan, then of the weighted assays' models ({@code weighted}:
     * counts assays and log-scale assays with weights, whose samples' design is all the pairs need), as table rows.
     */
    static List<Row> rows(Plan plan, List<AssayModel> weighted) {
        List<Row> rows = new ArrayList<>();
        for (AssayModel m : plan.models()) rows.addAll(rows(m.assay(), pairs(plan.spec(), m.samples())));
        for (AssayModel m : weighted) rows.addAll(rows(m.assay(), pairs(plan.spec(), m.samples())));
        return rows;
    }

    /** Writes the {@code collinearity} table of a plan and its weighted assays into {@code dir} as one Parquet file. */
    static void write(SparkSession spark, Plan plan, List<AssayModel> weighted, Path dir) {
        spark.createDataFrame(rows(plan, weighted), OutputSchemas.COLLINEARITY).coalesce(1).write()
                .parquet(new Path(dir, "collinearity").toString());
    }

    /** The table as TSV with a header (value to 6 decimals, NA when undefined), for {@code varpart check}. */
    static String tsv(Plan plan, List<AssayModel> weighted) {
        StringBuilder sb = new StringBuilder("assay\tvariable1\tvariable2\tvalue\tn_obs\n");
        for (Row r : rows(plan, weighted)) {
            sb.append(r.getString(0)).append('\t').append(r.getString(1)).append('\t').append(r.getString(2)).append('\t')
                    .append(r.isNullAt(3) ? "NA" : String.format(Locale.ROOT, "%.6f", r.getDouble(3))).append('\t').append(r.getInt(4))
                    .append('\n');
        }
        return sb.toString();
    }
}
