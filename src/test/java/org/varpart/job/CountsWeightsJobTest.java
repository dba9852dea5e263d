package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;

/**
 * A log-scale assay with precision weights ({@code weights.<name> = FILE}) through the job,
 * against lme4's {@code weights=} and lmerTest: the assay is the counts fixtures' log-CPM and the
 * weights their voomWithDreamWeights weights (both written by make_counts_fixtures.R to
 * data/logcpm.tsv and data/weights.tsv), so every table must equal fixtures/dream.tsv, whose
 * weighted REML and ML fits, Satterthwaite tests, residual df, squeezeVar prior and moderated
 * statistics were computed in R from exactly these numbers.
 *
 * <p>Tolerances (the issue's): fractions 1e-6 absolute; estimates, standard errors, σ̂²-based
 * quantities (rdf, s2_post, d₀, s₀²) and moderated t 1e-6 relative; Satterthwaite and moderated
 * df 1e-3 relative (lmerTest's numerical Hessian, as DreamTest); p- and q-values 1e-4 relative,
 * 1e-3 below 1e-8 (as DreamTest), plus what the allowed differences of t and df carry into them
 * far in the tail ({@link #tailTol}, {@link #dfEffect}). Where lme4 stops just short of a
 * variance bound and varpart reaches it (DreamTest names those features), the moderated t is
 * allowed 1e-5. R's own fits of these data are reproducible to about 4e-7 relative in the
 * estimates: a second run of the script on this machine moved them that much.
 * <p>term_tests and component_tests against fixtures/weighted_tests.tsv (lmerTest's anova and
 * ranova on the same weighted fits): F 1e-5 relative, its denominator df 1e-3, its p-value as
 * above; the likelihood-ratio statistic 2e-6 absolute; its p-value (half of ranova's χ²₁ tail, the
 * boundary mixture) 1e-4 relative plus 1e-5/statistic, what the statistic's tolerance carries
 * into it near 0 (only for statistics above 2e-6).
 */
class CountsWeightsJobTest {
    static final String FORMULA = "~ treatment + age + (1 | patient) + (1 | batch)";
    static final Path DATA = Path.of("src/test/resources/counts/data");
    static final String CONTRAST_KEY = "treatmentdrugB - treatmentplacebo";
    @TempDir
    static Path dir;
    static Path sheet;

    @BeforeAll
    static void data() throws IOException {
        List<String> s = new ArrayList<>();
        for (String l : Files.readAllLines(DATA.resolve("samples.csv"))) s.add(l.replace("\"", "").replace(',', '\t'));
        sheet = dir.resolve("samples.tsv");
        Files.write(sheet, s);
    }

    static Map<String, String> config(Path weights, Path out) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", sheet.toString());
        c.put("sample_id_column", "sample");
        c.put("assay.lcpm", DATA.resolve("logcpm.tsv").toString());
        c.put("weights.lcpm", weights.toString());
        c.put("formula", FORMULA);
        c.put("contrast.drugB_vs_placebo", "treatmentdrugB - treatmentplacebo");
        c.put("output", out.toString());
        c.put("partitions", "3");
        c.put("progress_seconds", "0");
        return c;
    }

    static final Map<String, Double> WORST = new LinkedHashMap<>();
    static final List<String> FAILURES = new ArrayList<>();

    /** Records a relative difference above {@code tol} as a failure (all are listed at the end). */
    static void rel(double expected, double actual, double tol, String what) {
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        double r = scale == 0 ? 0 : Math.abs(expected - actual) / scale;
        WORST.merge(what.split(" ")[0], r, Math::max);
        if (!(r <= tol)) FAILURES.add(what + ": lme4/lmerTest " + expected + ", varpart " + actual + " (relative " + r + ", allowed " + tol + ")");
    }

    /** A two-sided p-value of t with df degrees of freedom. */
    static double p(double t, double df) {
        return 2 * new TDistribution(df).cumulativeProbability(-Math.abs(t));
    }

    /**
     * How much of a p-value's relative difference lmerTest's df explains: the Satterthwaite df is
     * allowed 1e-3 (lmerTest differentiates numerically), and far in the tail a small change of df
     * moves p by more than 1e-4. Measured as |p(t, df_lmerTest) − p(t, df_varpart)| / p.
     */
    static double dfEffect(double t, double dfRef, double df) {
        double a = p(t, dfRef), b = p(t, df);
        return Math.abs(a - b) / Math.max(a, b);
    }

    static double pTol(double p) {
        return p < 1e-8 ? 1e-3 : 1e-4;
    }

    @Test
    void theWeightedJobEqualsLme4AndLmerTest() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("out");
        VarPartJob.run(spark, JobConfig.of(config(DATA.resolve("weights.tsv"), out), "test"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Map<String, Map<String, Double>> ref = fixture("dream.tsv");
        Map<String, Row> fits = CountsJobTest.byKey(spark, out, "fits", "feature");
        Map<String, Row> fractions = CountsJobTest.byKey(spark, out, "fractions", "feature", "component");
        Map<String, Row> fixed = CountsJobTest.byKey(spark, out, "fixed_effects", "feature", "term");
        Row summary = spark.read().parquet(out.resolve("summary").toString()).collectAsList().get(0);
        rel(ref.get("df_prior").get("-"), summary.getAs("d0"), 1e-6, "d0");
        rel(ref.get("var_prior").get("-"), summary.getAs("s0_squared"), 1e-6, "s0_squared");
        assertEquals(ref.get("rdf").size(), fits.size(), "a fits row per feature");
        int tests = 0;
        Map<String, Double> qTol = new LinkedHashMap<>();
        List<Object[]> qs = new ArrayList<>();
        for (String g : ref.get("rdf").keySet()) {
            Row f = fits.get(g);
            assertTrue(List.of("ok", "singular").contains(f.<String>getAs("status")), g + ": " + f.getAs("message"));
            rel(ref.get("rdf").get(g), f.getAs("residual_df"), 1e-6, "residual_df " + g);
            rel(ref.get("s2_post").get(g), f.getAs("s2_post"), 1e-6, "s2_post " + g);
            for (Map.Entry<String, Double> e : ref.get("fraction").entrySet()) {
                if (!e.getKey().startsWith(g + "|")) continue;
                double got = fractions.get(e.getKey()).getAs("fraction");
                WORST.merge("fraction(abs)", Math.abs(got - e.getValue()), Math::max);
                assertEquals(e.getValue(), got, 1e-6, "fraction " + e.getKey());
            }
            boolean shortOfBound = shortOfBound(ref, g);
            for (String coef : List.of("(Intercept)", "treatmentdrugB", "treatmentplacebo", "age", CONTRAST_KEY)) {
                String key = g + "|" + coef;
                Row r = fixed.get(g + "|" + (coef.equals(CONTRAST_KEY) ? "drugB_vs_placebo" : coef));
                assertEquals(coef.equals(CONTRAST_KEY) ? "contrast" : "coefficient", r.getAs("kind"), key);
                rel(ref.get("est").get(key), r.getAs("estimate"), 1e-6, "estimate " + key);
                rel(ref.get("se").get(key), r.getAs("std_error"), 1e-6, "std_error " + key);
                rel(ref.get("df").get(key), r.getAs("df"), 1e-3, "df " + key);
                double t = r.getAs("t_value"), df = r.getAs("df"), p = r.getAs("p_value");
                rel(ref.get("p").get(key), p, pTol(p) + tailTol(t, df, p) + dfEffect(t, ref.get("df").get(key), df), "p_value " + key);
                rel(ref.get("mod_t").get(key), r.getAs("moderated_t"), shortOfBound ? 1e-5 : 1e-6, "moderated_t " + key);
                rel(ref.get("mod_df").get(key), r.getAs("moderated_df"), 1e-3, "moderated_df " + key);
                double mt = r.getAs("moderated_t"), mdf = r.getAs("moderated_df"), mp = r.getAs("moderated_p"), mq = r.getAs("moderated_q");
                double mpTol = pTol(mp) + tailTol(mt, mdf, mp) + dfEffect(mt, ref.get("mod_df").get(key), mdf);
                rel(ref.get("mod_p").get(key), mp, mpTol, "moderated_p " + key);
                qTol.merge(coef, mpTol, Math::max);
                qs.add(new Object[] {key, coef, mq});
                tests++;
            }
        }
        // a q-value is a p-value of the same term times m/rank (or a larger one's q): it inherits the largest p tolerance of its term
        for (Object[] q : qs) rel(ref.get("mod_q").get((String) q[0]), (Double) q[2], pTol((Double) q[2]) + qTol.get((String) q[1]), "moderated_q " + q[0]);
        // the F tests of the fixed terms and the component tests, against lmerTest's anova and ranova with the same weights
        // (make_weighted_tests_fixtures.R; tolerances as DreamTermTestsTest's)
        Map<String, Map<String, Double>> wt = fixture("weighted_tests.tsv");
        Map<String, Row> terms = CountsJobTest.byKey(spark, out, "term_tests", "feature", "term");
        Map<String, Row> comps = CountsJobTest.byKey(spark, out, "component_tests", "feature", "component");
        assertEquals(wt.get("f").size(), terms.size(), "a term_tests row per feature and fixed term");
        assertEquals(wt.get("lrt").size(), comps.size(), "a component_tests row per feature and component");
        for (Map.Entry<String, Double> e : wt.get("f").entrySet()) {
            Row r = terms.get(e.getKey());
            assertEquals(wt.get("num_df").get(e.getKey()), (int) r.getAs("num_df"), 0, e.getKey());
            rel(e.getValue(), r.getAs("f_value"), 1e-5, "f_value " + e.getKey());
            rel(wt.get("den_df").get(e.getKey()), r.getAs("den_df"), 1e-3, "den_df " + e.getKey());
            double fp = wt.get("f_p").get(e.getKey());
            rel(fp, r.getAs("p_value"), pTol(fp), "f_p " + e.getKey());
        }
        for (Map.Entry<String, Double> e : wt.get("lrt").entrySet()) {
            Row r = comps.get(e.getKey());
            double lrt = r.getAs("lrt_statistic");
            WORST.merge("lrt(abs)", Math.abs(lrt - e.getValue()), Math::max);
            if (!(Math.abs(lrt - e.getValue()) <= 2e-6)) FAILURES.add("lrt " + e.getKey() + ": ranova " + e.getValue() + ", varpart " + lrt);
            // varpart's p is the boundary mixture's: half of ranova's chi-square(1) tail for a positive statistic
            if (e.getValue() > 2e-6) rel(0.5 * wt.get("ranova_p").get(e.getKey()), r.getAs("p_value"), 1e-4 + 1e-5 / e.getValue(), "lrt_p " + e.getKey());
        }
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("\"kind\": \"weighted\"") && runJson.contains("\"name\": \"lcpm\"")
                && runJson.contains("weights.tsv"), "run.json lists the weighted assay and its weights file: " + runJson);
        System.out.println("weighted log-scale assay vs lme4/lmerTest, largest relative difference per quantity: " + WORST);
        assertEquals(List.of(), FAILURES, FAILURES.size() + " values out of tolerance");
        assertEquals(5 * ref.get("rdf").size(), tests);
    }

    /**
     * The relative error in a two-sided p that 1e-6 on the estimate and on its SE carry into it
     * (2e-6 on t): |d ln p / d|t|| · 2e-6 · |t|, d ln p / d|t| = −2 f(|t|) / p.
     */
    static double tailTol(double t, double df, double p) {
        return 2 * new TDistribution(df).density(Math.abs(t)) / p * Math.abs(t) * 2e-6;
    }

    /** Whether lme4's REML fit of {@code g} has a variance parameter just above 0 (it stops short of the bound). */
    static boolean shortOfBound(Map<String, Map<String, Double>> ref, String g) {
        for (Map.Entry<String, Double> e : ref.get("reml_theta").entrySet()) {
            if (e.getKey().startsWith(g + "|") && e.getValue() > 0 && e.getValue() < 1e-6) return true;
        }
        return false;
    }

    @Test
    void badWeightsStopTheRunNamingFileLineColumnAndValue() throws IOException {
        List<String> good = Files.readAllLines(DATA.resolve("weights.tsv"));
        String feature = good.get(3).split("\t")[0], sample = good.get(0).split("\t")[5];
        expectRefused("zero", edit(good, 3, 5, "0"), List.of("line 4", "column 6", "sample " + sample, "feature " + feature, "'0'"));
        expectRefused("nan", edit(good, 3, 5, "NaN"), List.of("line 4", "column 6", "'NaN'"));
        expectRefused("negative", edit(good, 3, 5, "-0.5"), List.of("line 4", "column 6", "'-0.5'"));
        List<String> missing = new ArrayList<>(good);
        missing.remove(7);
        expectRefused("missing", missing, List.of("feature '" + good.get(7).split("\t")[0] + "'", "has no row of weights"));
        List<String> foreign = new ArrayList<>(good);
        foreign.set(7, "notAGene" + good.get(7).substring(good.get(7).indexOf('\t')));
        expectRefused("foreign", foreign, List.of("line 8", "column 1", "'notAGene'", "is not a feature of assay lcpm"));
        List<String> header = new ArrayList<>(good);
        header.set(0, header.get(0).replace("\t" + sample + "\t", "\tsZZ\t"));
        expectRefused("header", header, List.of("line 1", "column 6", "'sZZ'", "not a sample of assay lcpm"));
        List<String> shortRow = new ArrayList<>(good);
        shortRow.set(5, shortRow.get(5).substring(0, shortRow.get(5).lastIndexOf('\t')));
        expectRefused("short", shortRow, List.of("line 6"));
        Map<String, String> c = config(DATA.resolve("weights.tsv"), dir.resolve("out-unknown"));
        c.put("weights.nothere", DATA.resolve("weights.tsv").toString());
        InputException e = assertThrows(InputException.class, () -> JobConfig.of(c, "test"));
        assertTrue(e.getMessage().contains("weights.nothere names no log-scale assay"), e.getMessage());
    }

    static List<String> edit(List<String> lines, int line, int column, String value) {
        List<String> l = new ArrayList<>(lines);
        String[] cells = l.get(line).split("\t", -1);
        cells[column] = value;
        l.set(line, String.join("\t", cells));
        return l;
    }

    static void expectRefused(String name, List<String> lines, List<String> parts) throws IOException {
        Path f = dir.resolve("w-" + name + ".tsv");
        Files.write(f, lines);
        Path out = dir.resolve("out-" + name);
        InputException e = assertThrows(InputException.class, () -> VarPartJob.run(SparkTestSession.get(), JobConfig.of(config(f, out), "test"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)), name);
        assertTrue(e.getMessage().contains(f.toString()), name + ": " + e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), name + ": '" + p + "' not in: " + e.getMessage());
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().contains("out-" + name)).toList(),
                    name + ": nothing written, no output and no work directory");
        }
    }

    static Map<String, Map<String, Double>> fixture(String file) throws IOException {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/counts/fixtures").resolve(file))) {
            String[] f = line.split("\t");
            out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Double.parseDouble(f[2]));
        }
        return out;
    }
}
