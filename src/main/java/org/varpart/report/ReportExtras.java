package org.varpart.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The report's data from the collinearity table and the fractions' intervals: the pairs of
 * formula variables of an assay, for {@link CollinearityHeatMap}, and the fractions with their
 * intervals of the features the percent bars show, for {@link IntervalChart}. Both are empty when
 * the output has neither (an older output, or a run with {@code ci = false}).
 */
final class ReportExtras {
    private ReportExtras() {}

    /** Per assay, its rows of the {@code collinearity} table, in the table's (formula) order; empty without the table. */
    static Map<String, List<CollinearityHeatMap.Cell>> collinearity(SparkSession spark, Path dir) {
        Path table = new Path(dir, "collinearity");
        try {
            if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) return Map.of();
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, List<CollinearityHeatMap.Cell>> cells = new HashMap<>();
        for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
            cells.computeIfAbsent(r.getAs("assay"), k -> new ArrayList<>())
                    .add(new CollinearityHeatMap.Cell(r.getAs("variable1"), r.getAs("variable2"), r.getAs("value")));
        }
        return cells;
    }

    /**
     * The fractions and intervals of the assay's top features, in the bars' order, from the
     * assay's rows (assay, feature, component, fraction, ci_lower, ci_upper) of those features;
     * empty without intervals.
     */
    static List<IntervalChart.Row> intervals(List<Row> rows, List<ReportData.FeatureBar> bars) {
        if (bars.isEmpty() || rows.stream().allMatch(r -> r.isNullAt(4))) return List.of();
        Set<String> features = new LinkedHashSet<>();
        bars.forEach(b -> features.add(b.feature()));
        List<IntervalChart.Row> out = new ArrayList<>();
        for (String f : features) {
            for (Row r : rows) {
                if (r.getString(1).equals(f)) {
                    out.add(new IntervalChart.Row(f, r.getString(2), r.getDouble(3), r.isNullAt(4) ? null : r.getDouble(4),
                            r.isNullAt(5) ? null : r.getDouble(5)));
                }
            }
        }
        return out;
    }
}
