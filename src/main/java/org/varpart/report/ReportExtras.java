package org.varpart.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The report's data from the collinearity table and the fractions' intervals: the pairs of
 * formula variables of an assay, for {@link CollinearityHeatMap}, and the fractions with their
 * intervals of the features the percent bars show, for {@link IntervalChart}. Both are empty when
 * the output has neither (an older output, or a run with {@code ci = false}).
 */
final class ReportExtras {
    private ReportExtras() {}

    /** The assay's rows of the {@code collinearity} table, in the table's (formula) order. */
    static List<CollinearityHeatMap.Cell> collinearity(SparkSession spark, Path dir, String assay) {
        Path table = new Path(dir, "collinearity");
        try {
            if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) return List.of();
        } catch (IOException e) {
            return List.of();
        }
        List<CollinearityHeatMap.Cell> cells = new ArrayList<>();
        for (Row r : spark.read().parquet(table.toString()).filter(functions.col("assay").equalTo(assay)).collectAsList()) {
            cells.add(new CollinearityHeatMap.Cell(r.getAs("variable1"), r.getAs("variable2"), r.getAs("value")));
        }
        return cells;
    }

    /** The fractions and intervals of the assay's top features, in the bars' order; empty without intervals. */
    static List<IntervalChart.Row> intervals(Dataset<Row> usable, String assay, List<ReportData.FeatureBar> bars) {
        if (bars.isEmpty() || !List.of(usable.columns()).contains("ci_lower")) return List.of();
        Set<String> features = new LinkedHashSet<>();
        bars.forEach(b -> features.add(b.feature()));
        List<Row> rows = usable.filter(functions.col("assay").equalTo(assay).and(functions.col("feature").isin(features.toArray())))
                .select("feature", "component", "fraction", "ci_lower", "ci_upper").collectAsList();
        if (rows.stream().allMatch(r -> r.isNullAt(3))) return List.of();
        List<IntervalChart.Row> out = new ArrayList<>();
        for (String f : features) {
            for (Row r : rows) {
                if (r.getString(0).equals(f)) {
                    out.add(new IntervalChart.Row(f, r.getString(1), r.getDouble(2), r.isNullAt(3) ? null : r.getDouble(3),
                            r.isNullAt(4) ? null : r.getDouble(4)));
                }
            }
        }
        return out;
    }
}
