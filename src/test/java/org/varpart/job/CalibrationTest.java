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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.StudySimulator;
import org.varpart.stats.GenomicInflation;

/**
 * Are the job's p-values and q-values honest? A simulated study (seed fixed) in which each
 * feature's age, sex, lab and batch effects are absent with probability ½, so that the truth
 * says which tests are null, run through the whole job:
 * <ul>
 *   <li>the Satterthwaite p-values of null fixed effects are uniform: the Kolmogorov–Smirnov
 *       statistic is below its 1% critical value (1.628/√m) and λ is near 1;</li>
 *   <li>the Benjamini–Hochberg q-values keep the realised false discovery proportion, over all
 *       the job's tests of terms and components at FDR 5%, at or below 5% (its expectation is
 *       π₀·5%, about 2.5%, here).</li>
 * </ul>
 */
class CalibrationTest {
    static final int FEATURES = 1000;
    static SparkSession spark;
    @TempDir
    static Path dir;
    /** Per assay feature and component: whether the effect is truly present. */
    static final Map<String, Boolean> present = new HashMap<>();
    static Path out;

    @BeforeAll
    static void runTheJob() throws IOException {
        spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(60, 4, 6, 2, FEATURES, new String[] {"rna"}, 0.0, 2026, 0.5), study);
        for (String line : Files.readAllLines(study.resolve("truth.tsv")).subList(1, FEATURES * 6 + 1)) {
            String[] t = line.split("\t");
            present.put(t[1] + "/" + t[2], Double.parseDouble(t[3]) > 0);
        }
        out = dir.resolve("out");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", study.resolve("samples.tsv").toString());
        c.put("assay.rna", study.resolve("rna.tsv.gz").toString());
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", out.toString());
        c.put("partitions", "4");
        c.put("progress_seconds", "0");
        VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void nullFixedEffectPValuesAreUniform() {
        StringBuilder report = new StringBuilder();
        for (String term : List.of("age", "sex")) {
            List<Double> p = new ArrayList<>();
            for (Row r : spark.read().parquet(out.resolve("term_tests").toString()).filter("term = '" + term + "'").collectAsList()) {
                if (!present.get(r.getString(1) + "/" + term) && !r.isNullAt(6)) p.add(r.getDouble(6));
            }
            double[] sorted = p.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int m = sorted.length;
            assertTrue(m > 400, term + ": " + m + " null features");
            double ks = 0;
            for (int i = 0; i < m; i++) ks = Math.max(ks, Math.max((i + 1.0) / m - sorted[i], sorted[i] - (double) i / m));
            double median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
            double lambda = GenomicInflation.fromMedianP(median);
            report.append(String.format(Locale.ROOT, "%s: %d nulls, KS %.4f (1%% critical %.4f), lambda %.3f; ",
                    term, m, ks, 1.628 / Math.sqrt(m), lambda));
            assertTrue(ks < 1.628 / Math.sqrt(m), term + ": KS statistic " + ks);
            // λ's standard error with m null p-values is about 2.1/√m (delta method at the median)
            assertEquals(1.0, lambda, 3 * 2.1 / Math.sqrt(m), term + ": lambda");
        }
        System.out.println("calibration of null fixed effects: " + report);
    }

    @Test
    void benjaminiHochbergKeepsTheFalseDiscoveryProportionBelowItsLevel() {
        Map<String, int[]> counts = new LinkedHashMap<>(); // component -> {discoveries, false discoveries}
        for (Row r : spark.read().parquet(out.resolve("term_tests").toString()).collectAsList()) {
            tally(counts, r.getString(1), r.getString(2), r.isNullAt(7) ? 1 : r.getDouble(7));
        }
        for (Row r : spark.read().parquet(out.resolve("component_tests").toString()).collectAsList()) {
            tally(counts, r.getString(1), r.getString(2), r.isNullAt(6) ? 1 : r.getDouble(6));
        }
        int discoveries = 0, falseDiscoveries = 0;
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            discoveries += e.getValue()[0];
            falseDiscoveries += e.getValue()[1];
            report.append(String.format(Locale.ROOT, "%s %d/%d; ", e.getKey(), e.getValue()[1], e.getValue()[0]));
        }
        double fdp = (double) falseDiscoveries / discoveries;
        System.out.println(String.format(Locale.ROOT, "realised FDP at q < 0.05: %.4f (%d of %d discoveries false); per component (false/discoveries): %s",
                fdp, falseDiscoveries, discoveries, report));
        assertEquals(Set.of("age", "sex", "patient", "lab", "batch"), counts.keySet());
        assertTrue(discoveries > 1000, "the tests find the real effects: " + discoveries);
        assertTrue(fdp <= 0.05, "realised false discovery proportion " + fdp);
    }

    private static void tally(Map<String, int[]> counts, String feature, String component, double q) {
        int[] c = counts.computeIfAbsent(component, k -> new int[2]);
        if (q < 0.05) {
            c[0]++;
            if (!present.get(feature + "/" + component)) c[1]++;
        }
    }
}
