package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;

/**
 * The job's collinearity stage and per-feature confidence intervals on the example study: the
 * {@code collinearity} table and its warnings, {@code varpart check}, the interval keys'
 * validation, and intervals that do not depend on the partitioning (the property that makes a
 * retried task or a resumed run reproduce them; {@link KillAndResumeTest} runs with intervals on
 * and checks a resumed run's tables, intervals included, against an undisturbed one's).
 */
class IntervalsAndCollinearityTest {
    @TempDir
    Path dir;

    private static String log(SparkSession spark, Map<String, String> c) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(log, true, StandardCharsets.UTF_8));
        return log.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> collinearity(SparkSession spark, Path out, String assay) {
        Map<String, Double> v = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("collinearity").toString()).filter("assay = '" + assay + "'").collectAsList()) {
            v.put(r.getString(1) + "~" + r.getString(2), r.isNullAt(3) ? null : r.getDouble(3));
        }
        return v;
    }

    @Test
    void intervalsDoNotDependOnThePartitioningAndTheCollinearityTableIsWritten() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Map<String, String> c = ExampleStudyGoldenTest.exampleConfig(dir.resolve("a"));
        c.put("ci", "true");
        c.put("ci_replicates", "10"); // the fewest allowed: what is shown is that the intervals do not depend on the partitioning
        c.put("partitions", "2");
        long t0 = System.nanoTime();
        String logA = log(spark, c);
        double secondsA = (System.nanoTime() - t0) / 1e9;
        c.put("output", dir.resolve("b").toString());
        c.put("partitions", "3");
        log(spark, c);

        List<Row> a = Outputs.sorted(spark, dir.resolve("a"), "fractions"), b = Outputs.sorted(spark, dir.resolve("b"), "fractions");
        assertEquals(a.size(), b.size());
        int withInterval = 0, logScale = 0, counts = 0, countsWithInterval = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "fractions row " + i + ", intervals included, with 2 and with 3 partitions");
            Row r = a.get(i);
            int lo = r.fieldIndex("ci_lower"), hi = r.fieldIndex("ci_upper");
            if (r.getString(0).equals("rnaseq")) {
                // the counts assay: the bootstrap of its weighted fits (CountsIntervals)
                counts++;
                if (r.isNullAt(lo)) continue;
                countsWithInterval++;
                double l = r.getDouble(lo), u = r.getDouble(hi);
                assertTrue(0 <= l && l <= u && u <= 1, "interval [" + l + ", " + u + "] of " + r);
                continue;
            }
            logScale++;
            if (r.isNullAt(lo)) continue;
            withInterval++;
            double l = r.getDouble(lo), u = r.getDouble(hi);
            // the logit-basic interval need not contain the fit's own fraction; it lies in [0, 1] and is ordered
            assertTrue(0 <= l && l <= u && u <= 1, "interval [" + l + ", " + u + "] of " + r);
        }
        assertTrue(withInterval > 0.9 * logScale, withInterval + " of " + logScale + " fractions of the log-scale assays have an interval");
        assertTrue(counts > 0 && countsWithInterval > 0.9 * counts, countsWithInterval + " of " + counts + " fractions of the counts assay have an interval");
        System.out.printf("example study with ci = true, 10 replicates: %.1f s on local[2] (%d fractions with an interval)%n",
                secondsA, withInterval);

        // the collinearity table: batch is nested in lab, age and sex are recorded per patient
        Map<String, Double> rna = collinearity(spark, dir.resolve("a"), "rna");
        assertEquals(1.0, rna.get("lab~batch"), 1e-10);
        assertEquals(1.0, rna.get("age~patient"), 1e-10);
        assertEquals(1.0, rna.get("sex~patient"), 1e-10);
        assertTrue(rna.get("age~sex") < 0.999, "age and sex are told apart: " + rna.get("age~sex"));
        assertEquals(10, rna.size(), "every pair of the five variables: " + rna.keySet());
        assertFalse(collinearity(spark, dir.resolve("a"), "protein").isEmpty(), "a table for each assay");
        String runJson = Files.readString(dir.resolve("a").resolve("run.json"));
        assertTrue(runJson.contains("assay rna: the model cannot separate lab and batch"), runJson);
        assertTrue(logA.contains("warning: assay rna: the model cannot separate lab and batch"), logA);
        assertTrue(runJson.contains("\"ci_replicates\": \"10\""), "run.json records the interval settings: " + runJson);
        assertFalse(runJson.contains("intervals are not computed for counts assays"), runJson);
        Map<String, Double> rnaseq = collinearity(spark, dir.resolve("a"), "rnaseq");
        assertEquals(rna.keySet(), rnaseq.keySet(), "the counts assay's pairs, from its samples' design");
        assertEquals(1.0, rnaseq.get("lab~batch"), 1e-10);
        assertTrue(runJson.contains("assay rnaseq: the model cannot separate lab and batch"), runJson);
    }

    @Test
    void checkPrintsTheTableFitsNothingAndWritesNothing() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("never");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlanCheck.run(spark, JobConfig.of(ExampleStudyGoldenTest.exampleConfig(out), "test"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("assay\tvariable1\tvariable2\tvalue\tn_obs\n"), text);
        assertTrue(text.contains("rna\tlab\tbatch\t1.000000\t200\n"), text);
        assertTrue(text.contains("warning: assay protein: the model cannot separate lab and batch"), text);
        assertTrue(text.contains("nothing was fitted or written"), text);
        assertFalse(Files.exists(out), "no output");
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "nothing written beside the output either");
        }
    }

    @Test
    void checkCommandExitsTwoOnABadIntervalSettingNamingKeyAndValue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = org.varpart.cli.Main.run(new String[] {"check", "--ci_level=1.5"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ci_level must be a number between 0 and 1, not '1.5'"), err.toString());
        for (String[] bad : new String[][] {{"ci", "yes"}, {"ci_replicates", "5"}, {"ci_method", "bca"}, {"seed", "x"}}) {
            Map<String, String> c = ExampleStudyGoldenTest.exampleConfig(dir.resolve("o"));
            c.put(bad[0], bad[1]);
            InputException e = assertThrows(InputException.class, () -> JobConfig.of(c, "test"));
            assertTrue(e.getMessage().contains(bad[0] + " must be") && e.getMessage().contains("'" + bad[1] + "'"), e.getMessage());
        }
        assertTrue(Fingerprint.RESULT_KEYS.containsAll(List.of("ci", "ci_replicates", "ci_level", "ci_method", "seed")),
                "a resume cannot mix intervals of other settings");
    }

    @Test
    void anExactlyCollinearPairIsNamedInTheErrorItCauses() throws Exception {
        // every sample its own level of 'sample': it cannot be told from the residual, and patient is nested in it
        StringBuilder sheet = new StringBuilder("sample\tpatient\tx\n");
        for (int i = 0; i < 24; i++) sheet.append("s").append(i).append("\tp").append(i / 3).append('\t').append(i % 5).append('\n');
        DataTable t = TableReader.read("sheet", new java.io.BufferedReader(new java.io.StringReader(sheet.toString())));
        ModelSpec spec = ModelSpec.parse(VarPartJob.RESPONSE + " ~ x + (1 | patient) + (1 | sample)");
        InputException e = assertThrows(InputException.class, () -> {
            try {
                Plan.completeDesign(spec, t, "rna");
            } catch (InputException x) {
                throw CollinearityTable.explain(x, spec, t);
            }
        });
        assertTrue(e.getMessage().contains("'sample' has 24 levels for 24 observations"), e.getMessage());
        assertTrue(e.getMessage().contains("patient and sample: canonical correlation 1.000000000 over 24 samples"), e.getMessage());

        // a fixed column that is twice another is dropped for rank deficiency: the warning names the pair
        StringBuilder s2 = new StringBuilder("sample\tpatient\tx\tx2\n");
        for (int i = 0; i < 24; i++) s2.append("s").append(i).append("\tp").append(i / 3).append('\t').append(i % 5).append('\t').append(2 * (i % 5)).append('\n');
        DataTable t2 = TableReader.read("sheet", new java.io.BufferedReader(new java.io.StringReader(s2.toString())));
        ModelSpec spec2 = ModelSpec.parse(VarPartJob.RESPONSE + " ~ x + x2 + (1 | patient)");
        double[] ones = new double[24];
        java.util.Arrays.fill(ones, 1);
        List<String> w = CollinearityTable.rankWarnings("rna", DesignBuilder.build(spec2, t2, VarPartJob.RESPONSE, ones),
                CollinearityTable.pairs(spec2, t2));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("x and x2: canonical correlation 1.000000000 over 24 samples"), w.get(0));
        assertNotNull(CollinearityTable.warnings("rna", CollinearityTable.pairs(spec2, t2)));
        assertTrue(CollinearityTable.warnings("rna", CollinearityTable.pairs(spec2, t2)).get(0).contains("cannot separate x and x2"));
    }
}
