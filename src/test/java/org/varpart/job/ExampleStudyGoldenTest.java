package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped example study (conf/example.conf over examples/study: two log-scale assays, 600 features, and a counts assay of 300,
 * every test on) run through the job, every table compared with a golden copy committed in
 * src/test/resources/golden/example-study/ (one sorted TSV per table, numbers written with
 * Java's shortest round-trip decimal, so the file holds each double exactly). It guards against
 * any unintended change of a number the project outputs.
 *
 * <p>Tolerance, per double cell, relative to the larger magnitude of the two values:
 * <ul>
 *   <li>with the pure-Java BLAS (the backend the golden copy is made with) 1e-12 for every
 *       number: that run is deterministic, so the same code gives the same bits, and a change of
 *       the code that moves any number by more than 1e-12 relative fails here;</li>
 *   <li>with a native BLAS (OpenBLAS), the per-column tolerances of {@link #NATIVE_TOLERANCE}.
 *       The objective path does not call BLAS, so objectives, likelihoods and the component
 *       tests agree to the bit (measured difference 0); the estimates at the optimum go through
 *       BLAS's triangular solves and differ in the last bits, which shows as up to 1.5e-11
 *       relative (the optimum is converged on the exact gradient); Satterthwaite's df, from
 *       differences of the exact gradient, agree to 4.3e-10, and a far t tail moves by 9.3e-9
 *       relative with them. The tolerance of each column is ten times the largest difference measured
 *       between the two backends on this study, rounded up to a power of ten.</li>
 * </ul>
 * Values below 1e-300 in magnitude compare as absolute differences below that floor. Text cells
 * (status, message, names) and integers must be equal.
 *
 * <p>When a change is meant to move numbers (a tighter convergence rule, say), regenerate the
 * golden copy with the pure-Java BLAS, in one command, and commit it with the change:
 * <pre>
 *   mvn -B test -Dtest=ExampleStudyGoldenTest -Dvarpart.golden.update=true \
 *       -Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent -Ddev.ludovic.netlib.lapack.nativeLibPath=/nonexistent
 * </pre>
 */
class ExampleStudyGoldenTest {
    /** The golden copy's folder, relative to the repository root (where Maven runs the tests). */
    static final Path GOLDEN = Path.of("src/test/resources/golden/example-study");
    /** Deterministic backend: the same arithmetic in the same order. */
    static final double JAVA_TOLERANCE = 1e-12;
    /**
     * Native BLAS, per table:column (others {@link #JAVA_TOLERANCE}); measured largest difference
     * between OpenBLAS and the pure-Java BLAS in the comment of each.
     */
    static final Map<String, Double> NATIVE_TOLERANCE = Map.ofEntries(
            Map.entry("fractions:variance", 1e-9),            // 1.5e-11
            Map.entry("fractions:fraction", 1e-9),            // 1.5e-11
            Map.entry("fixed_effects:estimate", 1e-10),       // 7.4e-12
            Map.entry("fixed_effects:std_error", 1e-11),      // 2.7e-13
            Map.entry("fixed_effects:df", 1e-7),              // 4.3e-10 (5.7e-9 with the extrapolated derivatives)
            Map.entry("fixed_effects:t_value", 1e-10),        // 7.4e-12
            Map.entry("fixed_effects:p_value", 1e-5),         // 1.6e-7, a far tail
            Map.entry("fixed_effects:q_value", 1e-5),         // 1.6e-7
            Map.entry("term_tests:den_df", 1e-7),             // 4.2e-10 (5.7e-9 with the extrapolated derivatives)
            Map.entry("term_tests:f_value", 1e-9),            // 1.5e-11
            Map.entry("term_tests:p_value", 1e-7),            // 9.0e-9
            Map.entry("term_tests:q_value", 1e-7),            // 9.0e-9
            Map.entry("summary:median", 1e-12),               // 1.7e-14
            Map.entry("summary:q05", 1e-12),                  // 9.9e-15
            Map.entry("summary:q25", 1e-12),                  // 5.2e-14
            Map.entry("summary:q75", 1e-12),                  // 2.0e-14
            Map.entry("summary:lambda", 1e-9));               // 1.3e-11
    static final double FLOOR = 1e-300;

    /** The example study's counts assay. */
    static final String COUNTS_ASSAY = "rnaseq";
    /** Columns of the counts assay compared, under a native BLAS, as the absolute difference of their log10. */
    static final java.util.Set<String> COUNTS_LOG10 = java.util.Set.of("p_value", "q_value", "moderated_p", "moderated_q");
    /**
     * Native BLAS, the counts assay's rows: its weighted fits (weights that differ by observation)
     * converge on the exact gradient as the unweighted ones do: estimates and t agree to 1.9e-10
     * relative, Satterthwaite's df to 5.0e-8 (one central difference of step 3e-5·θ; 6.5e-9 with the
     * two extrapolated differences before; they differed by 1.8e-4 and 3.2e-3 when the fits
     * stopped at lme4's tolerance); the optimiser's evaluations can differ by a few (not compared).
     * One feature is the exception that sets the df tolerances: rnaseq_00068's weighted REML fit sits
     * on an optimum so flat that the two BLAS end at θ whose criteria agree to rounding while its df
     * differ by 2.8e-6 relative (p-values by 6.5e-5 in log10); every other feature's df agree to
     * 5.0e-8, and its estimate, standard error and t agree to 1e-8 as every feature's do. Fractions
     * are compared as absolute differences (a component near 0 differs relatively by up to 1),
     * p- and q-values as differences of log10, the rest relative. Each tolerance is ten times the largest difference measured on this
     * study, rounded up to a power of ten; the pure-Java BLAS keeps 1e-12 for every number.
     */
    static final Map<String, Double> COUNTS_NATIVE_TOLERANCE = Map.ofEntries(
            Map.entry("fits:residual_df", 1e-8),              // 4.0e-10
            Map.entry("fits:s2_post", 1e-8),                  // 2.2e-10
            Map.entry("fractions:variance", 1e-8),            // 1.2e-10 absolute
            Map.entry("fractions:fraction", 1e-8),            // 1.2e-10 absolute
            Map.entry("fixed_effects:estimate", 1e-8),        // 1.9e-10
            Map.entry("fixed_effects:std_error", 1e-8),       // 7.3e-10
            Map.entry("fixed_effects:df", 3e-5),              // 2.8e-6 (rnaseq_00068; 5.0e-8 for the rest)
            Map.entry("fixed_effects:t_value", 1e-8),         // 9.1e-10
            Map.entry("fixed_effects:moderated_t", 1e-8),     // 9.0e-10
            Map.entry("fixed_effects:moderated_df", 3e-5),    // 2.7e-6 (rnaseq_00068; 4.3e-8 for the rest)
            Map.entry("fixed_effects:p_value", 1e-3),         // 6.5e-5 in log10 (rnaseq_00068; 1.3e-7 for the rest)
            Map.entry("fixed_effects:q_value", 1e-3),         // 6.5e-5 in log10 (rnaseq_00068; 1.3e-7 for the rest)
            Map.entry("fixed_effects:moderated_p", 1e-3),     // 6.4e-5 in log10 (rnaseq_00068; 1.3e-7 for the rest)
            Map.entry("fixed_effects:moderated_q", 1e-3),     // 6.4e-5 in log10 (rnaseq_00068; 1.3e-7 for the rest)
            Map.entry("term_tests:den_df", 1e-7),             // 6.5e-9
            Map.entry("term_tests:f_value", 1e-8),            // 1.8e-9
            Map.entry("term_tests:p_value", 1e-8),            // 1.5e-9 in log10
            Map.entry("term_tests:q_value", 1e-8),            // 1.4e-9 in log10
            Map.entry("component_tests:lrt_statistic", 1e-6), // 2.8e-8
            Map.entry("component_tests:p_value", 1e-10),      // 9.8e-12 in log10
            Map.entry("component_tests:q_value", 1e-10),      // 9.8e-12 in log10
            Map.entry("summary:mean", 1e-10),                 // 4.0e-12
            Map.entry("summary:median", 1e-12),
            Map.entry("summary:q05", 1e-12),
            Map.entry("summary:q25", 1e-12),
            Map.entry("summary:q75", 1e-12),
            Map.entry("summary:q95", 1e-11),                  // 1.1e-12
            Map.entry("summary:d0", 1e-10),                   // 2.2e-12
            Map.entry("summary:s0_squared", 1e-11),           // 1.6e-13
            Map.entry("summary:lambda", 1e-10));              // 3.8e-12 (from the component tests' p-values)

    /** Each table and the columns that order its rows. */
    static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("fits", new String[] {"assay", "feature"});
        TABLES.put("fractions", new String[] {"assay", "feature", "component"});
        TABLES.put("fixed_effects", new String[] {"assay", "feature", "term"});
        TABLES.put("term_tests", new String[] {"assay", "feature", "term"});
        TABLES.put("component_tests", new String[] {"assay", "feature", "component"});
        TABLES.put("summary", new String[] {"assay", "component"});
        TABLES.put("mean_variance", new String[] {"assay", "feature"});
    }

    @TempDir
    Path dir;

    static boolean nativeBlas() {
        return !dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName().contains("Java")
                && !dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName().contains("F2j");
    }

    /** The settings of conf/example.conf (read from it), with the output in a temporary folder and no progress lines. */
    static Map<String, String> exampleConfig(Path out) {
        Map<String, String> c = new LinkedHashMap<>(ConfigFile.read("conf/example.conf", new org.apache.hadoop.conf.Configuration()));
        c.put("output", out.toString());
        c.put("progress_seconds", "0");
        return c;
    }

    @Test
    void everyTableOfTheExampleStudyEqualsTheGoldenCopy() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("out");
        VarPartJob.run(spark, JobConfig.of(exampleConfig(out), "test"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        boolean update = Boolean.getBoolean("varpart.golden.update");
        if (update && nativeBlas()) {
            throw new IllegalStateException("the golden copy is made with the pure-Java BLAS: add "
                    + "-Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent -Ddev.ludovic.netlib.lapack.nativeLibPath=/nonexistent");
        }
        boolean nat = nativeBlas();
        StringBuilder worst = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String[]> t : TABLES.entrySet()) {
            List<String> lines = tsv(spark, out.resolve(t.getKey()), t.getValue());
            Path golden = GOLDEN.resolve(t.getKey() + ".tsv");
            if (update) {
                Files.createDirectories(GOLDEN);
                Files.write(golden, lines, StandardCharsets.UTF_8);
                System.out.println("golden copy rewritten: " + golden + " (" + (lines.size() - 1) + " rows)");
                continue;
            }
            List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
            worst.append(t.getKey()).append(' ').append(compare(t.getKey(), expected, lines, nat, failures)).append('\n');
        }
        System.out.println("example study vs golden copy, largest relative difference per column ("
                + (nativeBlas() ? "native" : "pure-Java") + " BLAS):\n" + worst);
        assertTrue(failures.isEmpty(), failures.size() + " cells differ from the golden copy, the first: "
                + failures.subList(0, Math.min(20, failures.size())));
    }

    /**
     * Compares a table with its golden copy cell by cell: text cells must be equal, numeric cells
     * within the tolerance of its column. Returns the largest relative difference per numeric column, and
     * adds a line per cell out of tolerance to {@code failures}.
     */
    static Map<String, Double> compare(String table, List<String> expected, List<String> actual, boolean nativeBlas,
                                       List<String> failures) {
        assertEquals(expected.get(0), actual.get(0), table + ": columns");
        assertEquals(expected.size(), actual.size(), table + ": rows");
        String[] types = expected.get(0).split("\t");
        Map<String, Double> largest = new LinkedHashMap<>();
        for (int i = 1; i < expected.size(); i++) {
            String[] e = expected.get(i).split("\t", -1), a = actual.get(i).split("\t", -1);
            assertEquals(e.length, a.length, table + " row " + i);
            for (int j = 0; j < e.length; j++) {
                String where = table + " row " + i + " (" + e[0] + " " + e[1] + ") column " + types[j];
                if (nativeBlas && e[0].equals(COUNTS_ASSAY) && types[j].equals("evaluations:int")) {
                    continue; // the weighted fits take a few evaluations more or fewer on another backend
                }
                if (!types[j].endsWith(":double") || e[j].equals("NA") || a[j].equals("NA")) {
                    if (!e[j].equals(a[j])) failures.add(where + ": " + e[j] + " vs " + a[j]);
                    continue;
                }
                String column = types[j].substring(0, types[j].indexOf(':'));
                double tolerance = nativeBlas ? NATIVE_TOLERANCE.getOrDefault(table + ":" + column, JAVA_TOLERANCE) : JAVA_TOLERANCE;
                double x = Double.parseDouble(e[j]), y = Double.parseDouble(a[j]);
                if (nativeBlas && e[0].equals(COUNTS_ASSAY)) {
                    // the counts assay's weighted fits, each by its own kind of difference (see COUNTS_NATIVE_TOLERANCE)
                    String key = table + ":" + column;
                    double t = COUNTS_NATIVE_TOLERANCE.getOrDefault(key, JAVA_TOLERANCE);
                    double d = COUNTS_LOG10.contains(column) ? Math.abs(Math.log10(x) - Math.log10(y))
                            : table.equals("fractions") ? Math.abs(x - y)
                            : Math.max(Math.abs(x), Math.abs(y)) < FLOOR ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
                    largest.merge(COUNTS_ASSAY + ":" + types[j], d, Math::max);
                    if (!(d <= t)) failures.add(where + ": " + e[j] + " vs " + a[j] + ", difference " + d);
                    continue;
                }
                double scale = Math.max(Math.abs(x), Math.abs(y));
                double diff = Math.abs(x - y);
                double rel = scale < FLOOR ? (diff < FLOOR ? 0 : Double.POSITIVE_INFINITY) : diff / scale;
                largest.merge(types[j], rel, Math::max);
                if (!(rel <= tolerance)) failures.add(where + ": " + e[j] + " vs " + a[j] + ", relative difference " + rel);
            }
        }
        return largest;
    }

    /** A table as TSV lines: a header of name:type, then the rows in a fixed order. */
    static List<String> tsv(SparkSession spark, Path table, String[] order) {
        Dataset<Row> d = spark.read().parquet(table.toString());
        org.apache.spark.sql.Column[] by = new org.apache.spark.sql.Column[order.length];
        for (int i = 0; i < order.length; i++) by[i] = d.col(order[i]);
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        StructField[] fields = d.schema().fields();
        for (StructField f : fields) {
            if (header.length() > 0) header.append('\t');
            header.append(f.name()).append(':').append(f.dataType().equals(DataTypes.DoubleType) ? "double" : f.dataType().simpleString());
        }
        lines.add(header.toString());
        for (Row r : d.orderBy(by).collectAsList()) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < fields.length; j++) {
                if (j > 0) s.append('\t');
                s.append(r.isNullAt(j) ? "NA" : r.get(j).toString().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
            }
            lines.add(s.toString());
        }
        return lines;
    }
}
