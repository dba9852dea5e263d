package org.varpart.job;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.counts.Contrast;
import org.varpart.counts.CountsPipeline;
import org.varpart.design.DataTable;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.stats.VarianceFractions;

/**
 * A {@code counts.<name>} assay through the distributed job, compared table by table with the
 * in-memory {@link CountsPipeline} on the same data (which CountsPipelineTest checks against
 * edgeR, limma, lme4/lmerTest and the transcription of variancePartition). The study is the
 * counts fixtures' (80 features, 48 samples, treatment + age + (1 | patient) + (1 | batch), one
 * contrast).
 *
 * <p>Tolerances: the job sums the column totals and TMM's columns in another order than the
 * in-memory pipeline (partials per partition), so its inputs to each fit differ in the last bits;
 * the optimiser's stopping point moves with them. Measured largest differences are printed;
 * allowed: 1e-7 relative for estimates, standard errors, t, df, σ² and the prior, 1e-6 relative
 * for p-values and q-values (a far tail amplifies the t's relative error by about |t|·df/(df+t²)·ln 10 decades),
 * 1e-8 absolute for fractions; filter decisions and statuses must be equal. The component tests'
 * statistic (a difference of two REML criteria near 100) 1e-6 absolute, its p-value 1e-5 relative
 * where the statistic is above 1e-4 (at 0 the boundary mixture's p-value jumps from 1 to ½).
 */
class CountsJobTest {
    static final String FORMULA = "~ treatment + age + (1 | patient) + (1 | batch)";
    static final String CONTRAST = "treatmentdrugB - treatmentplacebo";
    @TempDir
    static Path dir;
    static Path counts, sheet;
    static List<String> countLines;

    @BeforeAll
    static void data() throws IOException {
        Path src = Path.of("src/test/resources/counts/data");
        countLines = new ArrayList<>();
        for (String l : Files.readAllLines(src.resolve("counts.csv"))) countLines.add(l.replace("\"", "").replace(',', '\t'));
        counts = dir.resolve("counts.tsv");
        Files.write(counts, countLines);
        List<String> s = new ArrayList<>();
        for (String l : Files.readAllLines(src.resolve("samples.csv"))) s.add(l.replace("\"", "").replace(',', '\t'));
        sheet = dir.resolve("samples.tsv");
        Files.write(sheet, s);
    }

    static Map<String, String> config(Path countsFile, Path out) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", sheet.toString());
        c.put("sample_id_column", "sample");
        c.put("counts.rna", countsFile.toString());
        c.put("formula", FORMULA);
        c.put("contrast.drugB_vs_placebo", CONTRAST);
        c.put("output", out.toString());
        c.put("partitions", "4");
        c.put("progress_seconds", "0");
        return c;
    }

    static final Map<String, Double> WORST = new LinkedHashMap<>();

    static void close(double expected, double actual, double tol, String what) {
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        double rel = scale == 0 ? 0 : Math.abs(expected - actual) / scale;
        WORST.merge(what.split(" ")[0], rel, Math::max);
        assertTrue(rel <= tol, what + ": expected " + expected + ", got " + actual + " (relative " + rel + ")");
    }

    @Test
    void theJobEqualsTheInMemoryPipeline() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("out");
        VarPartJob.run(spark, JobConfig.of(config(counts, out), "test"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                org.varpart.report.Report::write);

        int ns = countLines.get(0).split("\t").length - 1;
        String[] ids = new String[countLines.size() - 1];
        double[][] x = new double[ids.length][ns];
        for (int i = 1; i < countLines.size(); i++) {
            String[] c = countLines.get(i).split("\t");
            ids[i - 1] = c[0];
            for (int j = 0; j < ns; j++) x[i - 1][j] = Double.parseDouble(c[j + 1]);
        }
        DataTable table = TableReader.read(sheet);
        CountsPipeline.Result ref = CountsPipeline.run(ids, x, table, ModelSpec.parse("y " + FORMULA),
                CountsPipeline.Options.defaults(List.of(Contrast.parse("drugB_vs_placebo", CONTRAST))));

        try (java.util.stream.Stream<Path> entries = Files.list(out)) {
            for (Path e : entries.toList()) {
                String name = e.getFileName().toString();
                if (!name.startsWith(".")) assertTrue(OutputGuard.OWN_ENTRIES.contains(name), name + " is one of varpart's entries, so overwrite = true may replace it");
            }
        }
        Map<String, Row> fits = byKey(spark, out, "fits", "feature");
        Map<String, Row> fractions = byKey(spark, out, "fractions", "feature", "component");
        Map<String, Row> fixed = byKey(spark, out, "fixed_effects", "feature", "term");
        Map<String, Row> mv = byKey(spark, out, "mean_variance", "feature");
        Map<String, Row> termTests = byKey(spark, out, "term_tests", "feature", "term");
        Map<String, Row> componentTests = byKey(spark, out, "component_tests", "feature", "component");
        Map<String, Row> collinearity = byKey(spark, out, "collinearity", "assay", "variable1", "variable2");
        Row summary = spark.read().parquet(out.resolve("summary").toString()).collectAsList().get(0);
        close(ref.prior().df(), summary.getAs("d0"), 1e-7, "d0");
        close(ref.prior().var(), summary.getAs("s0_squared"), 1e-7, "s0_squared");
        assertEquals(ids.length, fits.size(), "one fits row per feature");
        int kept = 0, tests = 0, termRows = 0, componentRows = 0;
        for (CountsPipeline.Feature f : ref.features()) {
            Row fit = fits.get(f.id());
            if (!f.kept()) {
                assertEquals("skipped_low_counts", fit.getAs("status"), f.id());
                continue;
            }
            kept++;
            assertEquals(f.mlFit().status().label(), fit.getAs("status"), f.id());
            close(f.sx(), mv.get(f.id()).getAs("sx"), 1e-9, "sx " + f.id());
            close(f.sqrtSd(), mv.get(f.id()).getAs("sqrt_sd"), 1e-7, "sqrt_sd " + f.id());
            close(f.dream().residualDf(), fit.getAs("residual_df"), 1e-7, "residual_df " + f.id());
            close(f.s2Post(), fit.getAs("s2_post"), 1e-7, "s2_post " + f.id());
            for (VarianceFractions.Component c : f.fractions()) {
                double got = fractions.get(f.id() + "|" + c.name()).getAs("fraction");
                WORST.merge("fraction(abs)", Math.abs(got - c.fraction()), Math::max);
                assertEquals(c.fraction(), got, 1e-8, "fraction " + f.id() + " " + c.name());
            }
            // dream's fit's F tests of the fixed terms and its component tests (lmerTest's anova and ranova with the
            // same weights: DreamTermTestsTest checks them against R)
            assertEquals(2, f.dream().terms().size(), f.id());
            for (org.varpart.stats.Satterthwaite.FTest t : f.dream().terms()) {
                Row r = termTests.get(f.id() + "|" + t.term());
                assertEquals(t.numDf(), (int) r.getAs("num_df"), t.term());
                close(t.denDf(), r.getAs("den_df"), 1e-7, "den_df " + f.id() + " " + t.term());
                close(t.f(), r.getAs("f_value"), 1e-7, "f_value " + f.id() + " " + t.term());
                close(t.p(), r.getAs("p_value"), 1e-6, "f_p " + f.id() + " " + t.term());
                termRows++;
            }
            assertEquals(2, f.dream().components().size(), f.id());
            for (org.varpart.stats.RandomTermTests.Test t : f.dream().components()) {
                Row r = componentTests.get(f.id() + "|" + t.component());
                assertEquals(t.df(), (int) r.getAs("df"), t.component());
                double lrt = r.getAs("lrt_statistic");
                WORST.merge("lrt(abs)", Math.abs(lrt - t.statistic()), Math::max);
                assertEquals(t.statistic(), lrt, 1e-6, "lrt " + f.id() + " " + t.component());
                if (t.statistic() > 1e-4) close(t.pValue(), r.getAs("p_value"), 1e-5, "lrt_p " + f.id() + " " + t.component());
                componentRows++;
            }
            for (CountsPipeline.Moderated m : f.moderated()) {
                String term = m.test().name();
                Row r = fixed.get(f.id() + "|" + term);
                assertEquals(m.test().contrast() ? "contrast" : "coefficient", r.getAs("kind"), term);
                close(m.test().estimate(), r.getAs("estimate"), 1e-7, "estimate " + f.id() + " " + term);
                close(m.test().stdError(), r.getAs("std_error"), 1e-7, "std_error " + f.id() + " " + term);
                close(m.test().df(), r.getAs("df"), 1e-7, "df " + f.id() + " " + term);
                close(m.test().t(), r.getAs("t_value"), 1e-7, "t_value " + f.id() + " " + term);
                close(m.test().p(), r.getAs("p_value"), 1e-6, "p_value " + f.id() + " " + term);
                close(m.t(), r.getAs("moderated_t"), 1e-7, "moderated_t " + f.id() + " " + term);
                close(m.df(), r.getAs("moderated_df"), 1e-7, "moderated_df " + f.id() + " " + term);
                close(m.p(), r.getAs("moderated_p"), 1e-6, "moderated_p " + f.id() + " " + term);
                close(m.q(), r.getAs("moderated_q"), 1e-6, "moderated_q " + f.id() + " " + term);
                tests++;
            }
        }
        System.out.println("counts job vs in-memory pipeline, largest relative difference per quantity: " + WORST);
        assertTrue(kept > 20, "features kept: " + kept);
        assertEquals(kept * 5, tests, "four coefficients and one contrast per kept feature");
        assertEquals(kept * 2, termRows, "treatment and age per kept feature");
        assertEquals(kept * 2, componentRows, "patient and batch per kept feature");
        assertEquals(kept * 2, termTests.size(), "term_tests: no rows for the filtered features");
        assertEquals(kept * 2, componentTests.size(), "component_tests: no rows for the filtered features");
        // the collinearity table has the counts assay's pairs (its samples' design)
        assertEquals(6, collinearity.size(), "every pair of treatment, age, patient and batch: " + collinearity.keySet());
        assertEquals(1.0, collinearity.get("rna|age|patient").<Double>getAs("value"), 1e-10, "age is recorded per patient");
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("\"name\": \"rna\"") && runJson.contains("\"kind\": \"counts\"")
                && runJson.contains("\"features\": " + ids.length), "run.json lists the counts assay: " + runJson);
        reportShowsTheTrendAndAVolcanoPerTest(spark, out, ref, kept);
    }

    /**
     * report.html of the same run: voom's plot with the trend the pipeline fitted (the report refits
     * it from the mean_variance table), and a volcano per coefficient but the intercept and per
     * contrast whose cells hold every test and mark exactly the features with moderated q below 5%.
     */
    static void reportShowsTheTrendAndAVolcanoPerTest(SparkSession spark, Path out, CountsPipeline.Result ref, int kept) throws IOException {
        org.apache.hadoop.fs.Path o = new org.apache.hadoop.fs.Path(out.toString());
        org.varpart.report.CountsPlots.MeanVariance mv = org.varpart.report.CountsPlots.meanVariance(spark, o, "rna", 0.5);
        assertEquals(kept, mv.points(), "a point per kept feature");
        assertEquals(kept, java.util.Arrays.stream(mv.count()).sum(), "every point in a cell");
        double[] lx = ref.trend().lineX(), ly = ref.trend().lineY();
        assertEquals(lx.length, mv.lineX().length, "the trend's points");
        for (int i = 0; i < lx.length; i++) {
            close(lx[i], mv.lineX()[i], 1e-9, "trend x " + i);
            close(ly[i], mv.lineY()[i], 1e-7, "trend y " + i);
        }
        List<org.varpart.report.CountsPlots.Volcano> vs = org.varpart.report.CountsPlots.volcanoes(spark, o, "rna", 0.05);
        List<Row> fe = spark.read().parquet(out.resolve("fixed_effects").toString()).collectAsList();
        List<String> terms = new ArrayList<>();
        String html = Files.readString(out.resolve("report.html"));
        for (org.varpart.report.CountsPlots.Volcano v : vs) {
            terms.add(v.term());
            assertTrue(v.moderated(), v.term());
            long n = fe.stream().filter(r -> r.getAs("term").equals(v.term()) && r.getAs("moderated_p") != null).count();
            long sig = fe.stream().filter(r -> r.getAs("term").equals(v.term()) && r.getAs("moderated_q") != null
                    && r.<Double>getAs("moderated_q") < 0.05).count();
            assertEquals(n, v.tests(), v.term());
            assertEquals(sig, v.nSignificant(), v.term());
            long inCells = 0, sigCells = 0;
            for (int i = 0; i < v.count().length; i++) {
                inCells += v.count()[i];
                if (v.significant()[i]) sigCells += v.count()[i];
            }
            assertEquals(n, inCells, v.term());
            assertEquals(sig, sigCells, v.term());
            assertTrue(html.contains("<img id=\"a-volcano-rna-" + v.term() + "\""), "the volcano of " + v.term());
        }
        assertEquals(List.of("age", "treatmentdrugB", "treatmentplacebo", "drugB_vs_placebo"), terms);
        assertTrue(vs.stream().anyMatch(v -> v.nSignificant() > 0), "some test is significant");
        assertTrue(html.contains("<img id=\"a-meanvar-rna\""), "voom's plot");
        assertFalse(html.contains("could not be drawn"), "every plot was drawn");
    }

    @Test
    void aNegativeOrFractionalCountStopsTheRunNamingFileLineColumnAndValue() throws IOException {
        for (String[] bad : new String[][] {{"-3", "the value -3 is a negative number"}, {"2.5", "the value 2.5 is not a whole number"}}) {
            List<String> l = new ArrayList<>(countLines);
            String[] cells = l.get(4).split("\t", -1);
            cells[7] = bad[0];
            l.set(4, String.join("\t", cells));
            Path f = dir.resolve("bad" + bad[0] + ".tsv");
            Files.write(f, l);
            Path out = dir.resolve("out-bad" + bad[0]);
            InputException e = assertThrows(InputException.class, () -> VarPartJob.run(SparkTestSession.get(),
                    JobConfig.of(config(f, out), "test"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            String sample = countLines.get(0).split("\t")[7];
            for (String part : List.of(f.toString(), "line 5", "column 8", "sample " + sample, "feature " + cells[0], bad[1])) {
                assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
            }
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("out-bad")).toList(),
                        "nothing written: no output and no work directory");
            }
        }
    }

    @Test
    void aContrastNamingNoCoefficientIsRefusedBeforeAnyWork() {
        Map<String, String> c = config(counts, dir.resolve("out-contrast"));
        c.put("contrast.bad", "treatmentdrugZ - treatmentplacebo");
        InputException e = assertThrows(InputException.class, () -> VarPartJob.run(SparkTestSession.get(), JobConfig.of(c, "test"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'treatmentdrugZ' is not a fixed-effect coefficient"), e.getMessage());
        Map<String, String> f = config(counts, dir.resolve("out-filter"));
        f.put("filter.rna", "sometimes");
        assertThrows(InputException.class, () -> JobConfig.of(f, "test"));
    }

    static Map<String, Row> byKey(SparkSession spark, Path out, String table, String... key) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve(table).toString()).collectAsList()) {
            StringBuilder k = new StringBuilder();
            for (String c : key) k.append(k.length() > 0 ? "|" : "").append((String) r.getAs(c));
            assertTrue(m.put(k.toString(), r) == null, table + ": " + k + " twice");
        }
        return m;
    }
}
