package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.design.DataTable;
import org.varpart.formula.ModelSpec;
import org.varpart.io.FeatureRow;
import org.varpart.io.FeatureRows;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitStatus;
import org.varpart.simulate.StudySimulator;
import org.varpart.stats.FeatureResult;

/**
 * Feature-level bad inputs: each becomes a row of {@code fits} with its status and message, and the
 * run carries on with every other feature.
 */
class FeatureStatusTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path study;
    static List<String> lines;
    static int samples;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkTestSession.get();
        study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(16, 4, 3, 2, 12, new String[] {"rna"}, 0.0, 9), study);
        lines = StudyRuns.gunzipLines(study.resolve("rna.tsv.gz"));
        samples = lines.get(0).split("\t").length - 1;
    }

    static String line(String id, double[] v) {
        StringBuilder sb = new StringBuilder(id);
        for (double x : v) {
            sb.append('\t').append(Double.isNaN(x) ? "NA" : x == Double.POSITIVE_INFINITY ? "Inf" : String.format(Locale.ROOT, "%.6g", x));
        }
        return sb.toString();
    }

    static double[] values(int line) {
        String[] c = lines.get(line).split("\t");
        double[] v = new double[c.length - 1];
        for (int j = 1; j < c.length; j++) v[j - 1] = Double.parseDouble(c[j]);
        return v;
    }

    @Test
    void eachProblemFeatureGetsItsStatusAndTheRunCarriesOn() throws IOException {
        List<String> out = new ArrayList<>(lines);
        double[] flat = new double[samples];
        Arrays.fill(flat, 5.0);
        out.add(line("constant", flat));
        double[] none = new double[samples];
        Arrays.fill(none, Double.NaN);
        out.add(line("all_missing", none));
        double[] three = none.clone();
        three[0] = 1.0;
        three[20] = 2.5;
        three[40] = 0.5;
        out.add(line("three_values", three));
        double[] inf = values(1);
        inf[7] = Double.POSITIVE_INFINITY;
        out.add(line("infinite", inf));
        double[] huge = values(2);
        for (int i = 0; i < huge.length; i++) huge[i] *= 1e300;
        out.add(line("too_large", huge));
        Random rnd = new Random(1);
        double[] noise = new double[samples];
        for (int i = 0; i < samples; i++) noise[i] = 10 + rnd.nextGaussian();
        out.add(line("pure_noise", noise));
        Path assay = dir.resolve("problems.tsv");
        Files.write(assay, out);

        StudyRuns.run(spark, StudyRuns.config(study, dir.resolve("out"), 3, "rna=" + assay));

        Map<String, Row> fits = new HashMap<>();
        for (Row r : spark.read().parquet(dir.resolve("out/fits").toString()).collectAsList()) fits.put(r.getString(1), r);
        assertEquals(12 + 6, fits.size(), "every feature has its row");
        Map<String, Integer> fractions = new HashMap<>();
        for (Row r : spark.read().parquet(dir.resolve("out/fractions").toString()).collectAsList()) fractions.merge(r.getString(1), 1, Integer::sum);
        assertStatus(fits, "constant", "skipped_constant", "the response is constant (every value is 5.0)");
        assertStatus(fits, "all_missing", "skipped_too_few", "every value is missing");
        assertStatus(fits, "three_values", "skipped_too_few", "only 3 observations for 7 parameters (3 fixed-effects coefficients, 3 variance parameters");
        assertStatus(fits, "infinite", "failed", "non-finite value (Infinity)");
        assertStatus(fits, "too_large", "failed", "numerical failure: the values are too large");
        assertStatus(fits, "pure_noise", "singular", "boundary (singular) fit");
        for (String f : List.of("constant", "all_missing", "three_values", "infinite", "too_large")) {
            assertFalse(fractions.containsKey(f), f + " has no fractions");
        }
        assertEquals(6, fractions.get("pure_noise"), "a singular fit still reports its fractions");
        int ok = 0;
        for (int i = 1; i < lines.size(); i++) {
            Row r = fits.get(lines.get(i).split("\t")[0]);
            assertTrue(List.of("ok", "singular").contains(r.getString(3)), r.toString());
            ok++;
        }
        assertEquals(12, ok, "the ordinary features are fitted as usual");
        System.out.println("feature-level statuses: " + List.of("constant", "all_missing", "three_values", "infinite", "too_large", "pure_noise").stream()
                .map(f -> f + " -> " + fits.get(f).getString(3) + ": " + fits.get(f).getString(4)).toList());
    }

    /** The model of the study's rna assay, as the job plans it (ML, with tests). */
    static AssayModel rnaModel() {
        DataTable sheet = TableReader.read(study.resolve("samples.tsv"));
        List<String> ids = Arrays.asList(lines.get(0).split("\t")).subList(1, samples + 1);
        ModelSpec spec = ModelSpec.parse(VarPartJob.RESPONSE + " " + StudySimulator.FORMULA);
        return Plan.assayModel("rna", "rna.tsv", spec, sheet, Plan.sampleRows(sheet, "sample", "samples.tsv"), ids,
                FitOptions.mlDefaults().withoutConditionalVariances(), true, false, new ArrayList<>());
    }

    static void assertStatus(Map<String, Row> fits, String feature, String status, String message) {
        Row r = fits.get(feature);
        assertEquals(status, r.getString(3), feature + ": " + r);
        assertTrue(r.getString(4).contains(message), feature + ": " + r.getString(4));
    }

    @Test
    void aFitThatDoesNotConvergeIsReportedWithItsEstimates() {
        AssayModel m = rnaModel();
        // the same model with an optimiser allowed only ten evaluations
        AssayModel limited = new AssayModel(m.assay(), m.spec(), m.samples(), m.columns(), m.complete(),
                new FitOptions(false, FitOptions.Optimizer.QUASI_NEWTON, 10, 1e-8, true, false), true);
        int found = 0;
        FeatureFitter.Patterns fullPatterns = new FeatureFitter.Patterns(m), cutPatterns = new FeatureFitter.Patterns(limited);
        for (int i = 1; i < lines.size(); i++) {
            FeatureRow f = new FeatureRow("f" + i, values(i), null);
            FeatureResult full = FeatureFitter.fit(m, fullPatterns, f);
            FeatureResult cut = FeatureFitter.fit(limited, cutPatterns, f);
            if (!(full.outcome() instanceof FeatureResult.Fitted ff) || ff.fit().status() != FitStatus.OK) continue;
            if (!(cut.outcome() instanceof FeatureResult.Fitted cf) || cf.fit().status() != FitStatus.NOT_CONVERGED) continue;
            assertTrue(cf.fit().message().contains("the optimiser reached its limit of 10 evaluations"), cf.fit().message());
            Row row = FeatureRows.row(cut);
            assertEquals("not_converged", row.getString(3));
            assertEquals(6, row.getList(12).size(), "fractions reported");
            assertEquals(3, row.getList(13).size(), "fixed effects reported");
            found++;
        }
        assertTrue(found >= 1, "features that converge with the defaults and not within 10 evaluations: " + found);
    }

    @Test
    void aFeatureWithoutMoreObservationsThanParametersGetsAStatusNotAFit() {
        AssayModel m = rnaModel();
        // (Intercept), age, sexM, three variances and the residual: 7 parameters
        assertEquals(7, FeatureFitter.parameters(m.complete()));
        double[] all = values(1);
        double[] seven = new double[samples], twelve = new double[samples];
        Arrays.fill(seven, Double.NaN);
        Arrays.fill(twelve, Double.NaN);
        for (int k = 0; k < 7; k++) seven[k * 7] = all[k * 7];
        for (int k = 0; k < 12; k++) twelve[k * 4] = all[k * 4];
        Row r7 = FeatureRows.row(FeatureFitter.fit(m, new FeatureFitter.Patterns(m), new FeatureRow("seven", seven, null)));
        assertEquals("skipped_too_few", r7.getString(3), r7.toString());
        assertEquals("only 7 observations for 7 parameters (3 fixed-effects coefficients, 3 variance parameters and the residual variance);"
                + " the model is not identifiable", r7.getString(4));
        assertEquals(7, r7.getInt(2), "n_obs");
        Row r12 = FeatureRows.row(FeatureFitter.fit(m, new FeatureFitter.Patterns(m), new FeatureRow("twelve", twelve, null)));
        assertEquals("skipped_too_few", r12.getString(3), r12.toString());
        assertTrue(r12.getString(4).contains("the grouping factor 'patient' has 12 levels for 12 observations"), r12.getString(4));
        assertTrue(r7.getList(12).isEmpty() && r12.getList(12).isEmpty(), "no fractions");
        Row whole = FeatureRows.row(FeatureFitter.fit(m, new FeatureFitter.Patterns(m), new FeatureRow("whole", all, null)));
        assertTrue(List.of("ok", "singular").contains(whole.getString(3)), whole.toString());
    }
}
