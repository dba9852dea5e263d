package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.OutputSchemas;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;
import org.varpart.simulate.StudySimulator;
import org.varpart.stats.VarianceFractions;

class VarPartJobTest extends SimulatedStudyTest {
    @BeforeAll
    static void setUp() throws IOException {
        simulate(new StudySimulator.Spec(24, 5, 4, 2, 60, new String[] {"rna", "protein"}, 0.03, 7));
    }

    static Map<String, String> config(Path out, int partitions) {
        return StudyRuns.config(study, out, partitions, "rna=rna.tsv.gz", "protein=protein.tsv");
    }

    static VarPartJob.Outcome run(Map<String, String> c) {
        return StudyRuns.outcome(spark, c);
    }

    private static final Map<Integer, Path> RUNS = new HashMap<>();

    /**
     * The output of a run over the class's study with this many partitions, run once and shared by
     * the tests that read different tables of the same run (each test only reads it).
     */
    static synchronized Path runWith(int partitions) {
        return RUNS.computeIfAbsent(partitions, k -> {
            Path out = dir.resolve("out-" + k);
            assertEquals(120, run(config(out, k)).features());
            return out;
        });
    }

    static List<Row> sorted(Path out, String table, String... order) {
        return spark.read().parquet(out.resolve(table).toString()).orderBy(order[0], java.util.Arrays.copyOfRange(order, 1, order.length)).collectAsList();
    }

    @Test
    void writesEveryTableWithItsDocumentedColumnsAndCommitsLast() throws IOException {
        Path out = runWith(8); // 120 features, checked by runWith
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("\"status_counts\""), runJson);
        assertTrue(runJson.contains("\"formula\": \"" + StudySimulator.FORMULA + "\""), runJson);
        assertArrayEquals(OutputSchemas.with(OutputSchemas.FITS, OutputSchemas.COUNTS_FITS), spark.read().parquet(out.resolve("fits").toString()).columns());
        assertArrayEquals(OutputSchemas.FRACTIONS, spark.read().parquet(out.resolve("fractions").toString()).columns());
        assertArrayEquals(OutputSchemas.with(OutputSchemas.FIXED_EFFECTS, OutputSchemas.COUNTS_FIXED_EFFECTS), spark.read().parquet(out.resolve("fixed_effects").toString()).columns());
        assertArrayEquals(OutputSchemas.with(OutputSchemas.SUMMARY, OutputSchemas.COUNTS_SUMMARY), spark.read().parquet(out.resolve("summary").toString()).columns());
        assertArrayEquals(OutputSchemas.TERM_TESTS, spark.read().parquet(out.resolve("term_tests").toString()).columns());
        assertArrayEquals(OutputSchemas.COMPONENT_TESTS, spark.read().parquet(out.resolve("component_tests").toString()).columns());
        assertArrayEquals(OutputSchemas.MEAN_VARIANCE, spark.read().parquet(out.resolve("mean_variance").toString()).columns());
        // every ok/singular feature has a test per random component and per fixed term
        long usable = spark.read().parquet(out.resolve("fits").toString()).filter("status in ('ok', 'singular')").count();
        assertEquals(3 * usable, spark.read().parquet(out.resolve("component_tests").toString()).count());
        assertEquals(2 * usable, spark.read().parquet(out.resolve("term_tests").toString()).count());
        Row patient = spark.read().parquet(out.resolve("summary").toString()).filter("assay = 'rna' and component = 'patient'").first();
        assertTrue(patient.getLong(9) > 0, "some features have a significant patient component");
        assertTrue(patient.getDouble(10) > 1, "lambda of the patient component, where most features have a real effect");
        assertTrue(spark.read().parquet(out.resolve("summary").toString()).filter("component = 'Residuals'").first().isNullAt(9));
        Dataset<Row> fractions = spark.read().parquet(out.resolve("fractions").toString());
        for (Row r : fractions.groupBy("assay", "feature").sum("fraction").collectAsList()) {
            assertEquals(1.0, r.getDouble(2), 1e-12, "fractions of " + r.getString(1));
        }
        assertEquals(12, spark.read().parquet(out.resolve("summary").toString()).count()); // 2 assays × 6 components
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary directory left");
        }
    }

    @Test
    void resultsAreIdenticalWithOneAndEightPartitions() {
        Path one = runWith(1), eight = runWith(8);
        assertEquals(sorted(one, "fractions", "assay", "feature", "component"), sorted(eight, "fractions", "assay", "feature", "component"));
        assertEquals(sorted(one, "fits", "assay", "feature"), sorted(eight, "fits", "assay", "feature"));
        assertEquals(sorted(one, "fixed_effects", "assay", "feature", "term"), sorted(eight, "fixed_effects", "assay", "feature", "term"));
        Outputs.assertSameTables(spark, one, eight); // every table, the summary and the tests included
    }

    @Test
    void everyNumberEqualsASingleFitOfTheSameFeature() throws IOException {
        Path out = runWith(8);
        DataTable sheet = TableReader.read(study.resolve("samples.tsv"));
        List<String> lines = Files.readAllLines(study.resolve("protein.tsv"));
        String[] header = lines.get(0).split("\t");
        Map<String, Double> jobFractions = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("fractions").toString()).filter("assay = 'protein'").collectAsList()) {
            jobFractions.put(r.getString(1) + "/" + r.getString(2), r.getDouble(4));
        }
        Map<String, Row> fits = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("fits").toString()).filter("assay = 'protein'").collectAsList()) fits.put(r.getString(1), r);
        int checked = 0;
        for (int line : new int[] {1, 7, 23, 42}) {
            String[] cells = lines.get(line).split("\t");
            // the feature as its own data set: the sheet's rows for the assay's samples plus the values
            Map<String, Integer> rowOf = new HashMap<>();
            for (int i = 0; i < sheet.rows(); i++) rowOf.put(sheet.column("sample").text()[i], i);
            int[] rows = new int[header.length - 1];
            double[] y = new double[header.length - 1];
            for (int j = 1; j < header.length; j++) {
                rows[j - 1] = rowOf.get(header[j]);
                y[j - 1] = cells[j].equals("NA") ? Double.NaN : Double.parseDouble(cells[j]);
            }
            DataTable data = sheet.select(rows).withNumeric("value", y);
            Design d = DesignBuilder.build(ModelSpec.parse("value " + StudySimulator.FORMULA), data);
            FitResult r = MixedModel.fit(d, FitOptions.mlDefaults());
            Row job = fits.get(cells[0]);
            assertEquals(r.status().label(), job.getString(3));
            assertEquals(r.objective(), job.getDouble(5), 1e-9 * Math.abs(r.objective()), "objective of " + cells[0]);
            assertEquals(d.n(), job.getInt(2));
            for (VarianceFractions.Component c : VarianceFractions.compute(d, r)) {
                assertEquals(c.fraction(), jobFractions.get(cells[0] + "/" + c.name()), 1e-9, c.name() + " of " + cells[0]);
                checked++;
            }
        }
        assertEquals(24, checked);
    }

    @Test
    void recoveredFractionsTrackTheTruth() throws IOException {
        Path bigger = dir.resolve("study-truth");
        StudySimulator.write(new StudySimulator.Spec(60, 5, 6, 3, 150, new String[] {"rna"}, 0.0, 11), bigger);
        Map<String, String> c = config(dir.resolve("out-truth"), 4);
        c.put("samples", bigger.resolve("samples.tsv").toString());
        c.put("assay.rna", bigger.resolve("rna.tsv.gz").toString());
        c.remove("assay.protein");
        c.put("tests", "false");
        run(c);
        Map<String, Double> truth = new HashMap<>();
        for (String l : Files.readAllLines(bigger.resolve("truth.tsv")).subList(1, 150 * 6 + 1)) {
            String[] t = l.split("\t");
            truth.put(t[1] + "/" + t[2], Double.parseDouble(t[3]));
        }
        Map<String, List<double[]>> pairs = new HashMap<>();
        for (Row r : spark.read().parquet(dir.resolve("out-truth").resolve("fractions").toString()).collectAsList()) {
            pairs.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(new double[] {truth.get(r.getString(1) + "/" + r.getString(2)), r.getDouble(4)});
        }
        StringBuilder report = new StringBuilder();
        for (String comp : List.of("patient", "batch", "Residuals", "sex")) {
            double corr = correlation(pairs.get(comp));
            report.append(comp).append(' ').append(String.format("%.3f", corr)).append("; ");
            assertTrue(corr > 0.7, comp + ": correlation " + corr);
        }
        System.out.println("correlation of recovered with true fractions: " + report);
    }

    static double correlation(List<double[]> xy) {
        double mx = 0, my = 0;
        for (double[] p : xy) {
            mx += p[0];
            my += p[1];
        }
        mx /= xy.size();
        my /= xy.size();
        double sxy = 0, sxx = 0, syy = 0;
        for (double[] p : xy) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void problemsWithTheRunFailBeforeAnySparkJobAndWriteNothing() throws IOException {
        Path out = dir.resolve("out-bad");
        Map<String, String> c = config(out, 2);
        c.put("formula", "~ age + weight + (1 | patient)");
        InputException e = assertThrows(InputException.class, () -> run(c));
        assertTrue(e.getMessage().contains("the column 'weight' is not in the sample sheet"), e.getMessage());

        Map<String, String> c2 = config(out, 2);
        c2.put("assay.rna", study.resolve("missing.tsv").toString());
        e = assertThrows(InputException.class, () -> run(c2));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path sheet = dir.resolve("short-sheet.tsv");
        List<String> lines = Files.readAllLines(study.resolve("samples.tsv"));
        Files.write(sheet, lines.subList(0, lines.size() - 3));
        Map<String, String> c3 = config(out, 2);
        c3.put("samples", sheet.toString());
        e = assertThrows(InputException.class, () -> run(c3));
        assertTrue(e.getMessage().contains("3 sample(s) are not in the sample sheet"), e.getMessage());
        assertTrue(e.getMessage().contains("drop_unmatched_samples = true"), e.getMessage());

        Map<String, String> c4 = config(out, 2);
        c4.put("formula", "~ age + (1 | patient) + (1 | lab");
        assertThrows(org.varpart.formula.FormulaException.class, () -> run(c4));
        assertFalse(Files.exists(out), "nothing written");

        Files.createDirectories(out);
        e = assertThrows(InputException.class, () -> run(config(out, 2)));
        assertTrue(e.getMessage().contains("exists; choose another output, or pass --overwrite=true"), e.getMessage());
    }

    @Test
    void unmatchedSamplesCanBeDroppedWithAWarning() throws IOException {
        Path sheet = dir.resolve("short-sheet-2.tsv");
        List<String> lines = Files.readAllLines(study.resolve("samples.tsv"));
        Files.write(sheet, lines.subList(0, lines.size() - 2));
        Map<String, String> c = config(dir.resolve("out-drop"), 2);
        c.put("samples", sheet.toString());
        c.put("drop_unmatched_samples", "true");
        c.put("tests", "false");
        c.remove("assay.protein");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("warning: assay rna: 2 sample(s) not in the sample sheet are left out"), text);
        Row fit = spark.read().parquet(dir.resolve("out-drop").resolve("fits").toString()).first();
        assertTrue(fit.getInt(2) <= 118, "at most 118 of 120 samples used: " + fit.getInt(2));
    }
}
