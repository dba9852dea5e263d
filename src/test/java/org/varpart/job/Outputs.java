package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The output tables of a run, read back in a fixed order, and their comparison. */
final class Outputs {
    private Outputs() {}

    /** Each table and the columns that order its rows. */
    static final Map<String, String[]> TABLES = Map.of(
            "fits", new String[] {"assay", "feature"},
            "fractions", new String[] {"assay", "feature", "component"},
            "fixed_effects", new String[] {"assay", "feature", "term"},
            "term_tests", new String[] {"assay", "feature", "term"},
            "component_tests", new String[] {"assay", "feature", "component"},
            "summary", new String[] {"assay", "component"});

    static List<Row> sorted(SparkSession spark, Path out, String table) {
        String[] order = TABLES.get(table);
        return spark.read().parquet(out.resolve(table).toString()).orderBy(order[0], Arrays.copyOfRange(order, 1, order.length)).collectAsList();
    }

    /** Every table of {@code actual} equals that of {@code expected}, row for row and number for number. */
    static void assertSameTables(SparkSession spark, Path expected, Path actual) {
        assertTrue(Files.exists(actual.resolve("_SUCCESS")), "a complete output in " + actual);
        for (String t : TABLES.keySet()) {
            List<Row> e = sorted(spark, expected, t), a = sorted(spark, actual, t);
            assertTrue(!e.isEmpty(), t + " has rows");
            assertEquals(e.size(), a.size(), "rows of " + t);
            for (int i = 0; i < e.size(); i++) assertEquals(e.get(i), a.get(i), t + " row " + i);
        }
    }
}
