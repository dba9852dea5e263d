package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.varpart.io.OutputSchemas;
import org.varpart.stats.BenjaminiHochberg;
import org.varpart.stats.GenomicInflation;

/**
 * The tables written from per-feature results by {@link OutputTables#writeTables} (flat rows
 * made in the reading task, q-values and summary from one gathered pass) against the Spark SQL
 * definitions they replace, computed here on the same results: the window-function
 * Benjamini–Hochberg q-values ({@link OutputTables#withQValues}, itself tested against
 * {@link BenjaminiHochberg}), and the summary's {@code count}, ascending-order mean,
 * {@code percentile} quantiles, features with q below the FDR and λ from {@code percentile(p,
 * 0.5)}. Two assays, 300 features over 5 partitions, with tied, repeated and missing p-values
 * and fractions and features whose status keeps them out of the summary. Every number must be
 * equal to the last bit.
 */
class TableRowsTest {
    private static final double FDR = 0.05;

    @Test
    void tablesEqualTheSparkSqlDefinitions() throws Exception {
        SparkSession spark = SparkTestSession.get();
        List<Row> results = results(new Random(11));
        String dir = Files.createTempDirectory("tablerows").toString();
        Map<String, Long> statuses = OutputTables.writeTables(spark,
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(results, 5), new Path(dir), FDR, new CountsTables.Parts(), null);
        Dataset<Row> nested = spark.createDataFrame(results, OutputSchemas.FEATURE);

        Map<String, Long> expectedStatuses = new HashMap<>();
        for (Row r : results) expectedStatuses.merge(r.getString(3), 1L, Long::sum);
        assertEquals(expectedStatuses, statuses);
        assertEquals(results.size(), spark.read().parquet(dir + "/fits").count());

        int compared = 0;
        compared += compareQ(spark, dir + "/fixed_effects", flat(nested, "fixed_effects", "term"), "term");
        compared += compareQ(spark, dir + "/term_tests", flat(nested, "term_tests", "term"), "term");
        compared += compareQ(spark, dir + "/component_tests", flat(nested, "component_tests", "component"), "component");
        assertTrue(compared > 2000, "q-values compared: " + compared);

        Map<String, Row> summary = new HashMap<>();
        for (Row r : spark.read().parquet(dir + "/summary").collectAsList()) summary.put(r.getString(0) + "/" + r.getString(1), r);
        Dataset<Row> fractions = nested.filter(functions.col("status").isin("ok", "singular"))
                .select(functions.col("assay"), functions.explode(functions.col("fractions")).as("c"))
                .select(functions.col("assay"), functions.col("c.component").as("component"), functions.col("c.fraction").as("fraction"));
        List<Row> expected = fractions.groupBy("assay", "component").agg(functions.count("fraction"),
                functions.expr("aggregate(array_sort(collect_list(fraction)), 0D, (acc, x) -> acc + x) / count(fraction)"),
                functions.expr("percentile(fraction, array(0.5, 0.05, 0.25, 0.75, 0.95))")).collectAsList();
        Dataset<Row> tests = spark.read().parquet(dir + "/term_tests").select(functions.col("assay"), functions.col("term").as("component"),
                functions.col("p_value"), functions.col("q_value")).union(spark.read().parquet(dir + "/component_tests")
                .select("assay", "component", "p_value", "q_value"));
        Map<String, Row> significance = new HashMap<>();
        for (Row g : tests.groupBy("assay", "component").agg(
                functions.sum(functions.when(functions.col("q_value").lt(FDR), 1).otherwise(0)).cast("long"),
                functions.expr("percentile(p_value, 0.5)")).collectAsList()) {
            significance.put(g.getString(0) + "/" + g.getString(1), g);
        }
        assertEquals(expected.size(), summary.size(), "one summary row per assay and component");
        int withTests = 0;
        for (Row e : expected) {
            String key = e.getString(0) + "/" + e.getString(1);
            Row s = summary.get(key);
            assertEquals(e.getLong(2), s.getLong(2), key);
            assertEquals(e.getDouble(3), s.getDouble(3), 0.0, key + " mean");
            List<Double> q = e.getList(4);
            String[] names = {"median", "q05", "q25", "q75", "q95"};
            for (int i = 0; i < 5; i++) assertEquals(q.get(i), s.getDouble(4 + i), 0.0, key + " " + names[i]);
            Row g = significance.get(key);
            if (g == null) {
                assertTrue(s.isNullAt(9) && s.isNullAt(10), key + " has no tests");
                continue;
            }
            withTests++;
            assertEquals(g.getLong(2), s.getLong(9), key + " n_significant");
            if (g.isNullAt(3)) {
                assertTrue(s.isNullAt(10), key + " lambda");
            } else {
                assertEquals(GenomicInflation.fromMedianP(g.getDouble(3)), s.getDouble(10), 0.0, key + " lambda");
            }
            assertTrue(s.isNullAt(11) && s.isNullAt(12), "no counts assay, no prior");
        }
        assertTrue(withTests >= 4, "components with tests compared: " + withTests);
    }

    /** Compares a written table's q-values with the window version on the same rows; returns how many were compared. */
    private static int compareQ(SparkSession spark, String table, Dataset<Row> rows, String group) {
        Map<String, Row> expected = new HashMap<>();
        for (Row r : OutputTables.withQValues(rows, group).collectAsList()) expected.put(r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2), r);
        List<Row> written = spark.read().parquet(table).select("assay", "feature", group, "p_value", "q_value").collectAsList();
        assertEquals(expected.size(), written.size(), table);
        int compared = 0;
        for (Row w : written) {
            Row e = expected.get(w.getString(0) + "/" + w.getString(1) + "/" + w.getString(2));
            if (e.isNullAt(4)) {
                assertTrue(w.isNullAt(4), "missing p-value, missing q-value: " + w);
            } else {
                assertEquals(e.getDouble(4), w.getDouble(4), 0.0, table + " " + w);
                compared++;
            }
        }
        return compared;
    }

    private static Dataset<Row> flat(Dataset<Row> nested, String array, String name) {
        return nested.select(functions.col("assay"), functions.col("feature"), functions.explode(functions.col(array)).as("x"))
                .select(functions.col("assay"), functions.col("feature"), functions.col("x." + name).as(name), functions.col("x.p_value").as("p_value"));
    }

    /** Per-feature results with tied, repeated and missing values. */
    private static List<Row> results(Random rnd) {
        List<Row> out = new ArrayList<>();
        String[] statuses = {"ok", "ok", "singular", "failed_convergence"};
        for (String assay : List.of("rna", "protein")) {
            for (int f = 0; f < 300; f++) {
                List<Row> fractions = new ArrayList<>(), fixed = new ArrayList<>(), terms = new ArrayList<>(), comps = new ArrayList<>();
                double a = f % 7 == 0 ? 0.0 : f % 5 == 0 ? 0.25 : rnd.nextDouble() * 0.5, b = rnd.nextDouble() * 0.3;
                fractions.add(RowFactory.create("patient", a, a, null, null));
                fractions.add(RowFactory.create("batch", b, b, null, null));
                fractions.add(RowFactory.create("age", 0.01, 0.01, null, null));
                fractions.add(RowFactory.create("Residuals", 1 - a - b - 0.01, 1 - a - b - 0.01, null, null));
                fixed.add(RowFactory.create("(Intercept)", 1.0, 0.1, 10.0, 10.0, p(rnd, f)));
                fixed.add(RowFactory.create("age", 1.0, 0.1, 10.0, 10.0, p(rnd, f + 1)));
                terms.add(RowFactory.create("age", 1, 10.0, 2.0, p(rnd, f + 2)));
                comps.add(RowFactory.create("patient", 1.0, 1, p(rnd, f + 3)));
                comps.add(RowFactory.create("batch", 1.0, 1, f % 3 == 0 ? null : p(rnd, f)));
                String status = statuses[f % statuses.length];
                out.add(RowFactory.create(assay, String.format("g%04d", f), 10, status, "", 1.0, -0.5, 2.0, 3.0, 20, true, false,
                        seq(fractions), seq(fixed), seq(terms), seq(comps)));
            }
        }
        return out;
    }

    private static Double p(Random rnd, int f) {
        double u = rnd.nextDouble();
        return f % 17 == 0 ? null : f % 11 == 0 ? 0.25 : f % 13 == 0 ? 1e-6 : u < 0.2 ? u * 1e-4 : u;
    }

    private static scala.collection.Seq<Row> seq(List<Row> rows) {
        return scala.collection.JavaConverters.asScalaBuffer(rows).toList();
    }
}
