package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.stats.Satterthwaite;

/**
 * The corpus of real models ({@code src/test/resources/corpus}, written by {@code make_corpus.R}):
 * public data sets shipped with R packages and three omics-like features with a very large batch
 * variance simulated by the script, every model fitted by REML and by ML, against lme4's
 * best over its optimisers (bobyqa, Nelder_Mead, nloptwrap, each from lme4's default start).
 * <ul>
 *   <li>criterion: at most the reference + δ, δ = 1e-8·max(1, |reference|);</li>
 *   <li>no {@code not_converged} where lme4's best passed its convergence check;</li>
 *   <li>θ-dependent estimates (β, σ², the variance of every random-effects column, Satterthwaite
 *       df): within the tolerance the script derives from the curvature of the criterion at the
 *       reference — how far an estimate can move among fits whose criterion is within δ of it.
 *       Where varpart's criterion is lower than the reference by more than δ, varpart has found a
 *       better optimum than lme4 and the estimates are not compared (the test says so).</li>
 * </ul>
 * At the end the test prints the count of fits below / equal to / above lme4's best, the worst
 * relative difference, and the median number of evaluations of varpart (the criterion's and its
 * analytic gradient's, one each) and of lme4 (its own count, nloptwrap), and, when every model
 * ran, asserts that varpart's median is not above lme4's.
 */
class CorpusTest {
    static final Path ROOT = Path.of("src/test/resources/corpus");

    private static final List<String> SUMMARY = Collections.synchronizedList(new ArrayList<>());
    private static final List<double[]> NUMBERS = Collections.synchronizedList(new ArrayList<>());

    record Model(String name, String data, String formula) {}

    static List<Model> models() {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("models.tsv"), StandardCharsets.UTF_8);
            List<Model> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] t = line.split("\t", -1);
                out.add(new Model(t[0], t[1], t[2]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Model m : models()) {
            for (String crit : List.of("REML", "ML")) {
                tests.add(DynamicTest.dynamicTest(m.name() + " " + crit + ": " + m.formula(), () -> check(m, crit)));
            }
        }
        return tests.stream();
    }

    private static void check(Model m, String crit) {
        Fixtures.Fixture f = Fixtures.Fixture.read(ROOT.resolve("fixtures").resolve(m.name() + "." + crit + ".tsv"));
        Design d = DesignBuilder.build(ModelSpec.parse(m.formula()), TableReader.read(ROOT.resolve("data").resolve(m.data())));
        boolean reml = crit.equals("REML");
        long t0 = System.nanoTime();
        FitResult r = MixedModel.fit(d, reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults());
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(r.status().hasEstimates(), "status " + r.status() + ": " + r.message());
        assertEquals((int) f.get("n_obs"), r.nObs(), "n_obs");

        double ref = f.get("objective");
        double delta = 1e-8 * Math.max(1, Math.abs(ref));
        double diff = r.objective() - ref;
        double lme4Evals = f.get("evaluations_nloptwrap");
        NUMBERS.add(new double[] {diff / Math.max(1, Math.abs(ref)), r.evaluations(), lme4Evals});
        SUMMARY.add(String.format(Locale.ROOT, "%-26s %-4s varpart %.10f lme4 best %.10f rel.diff %+.2e evals %d (lme4 nloptwrap %d) %s %.0f ms",
                m.name(), crit, r.objective(), ref, diff / Math.max(1, Math.abs(ref)), r.evaluations(), (int) lme4Evals,
                r.status(), ms));
        assertTrue(diff <= delta, "criterion " + r.objective() + " is above lme4's best " + ref + " by " + diff + " (> " + delta + ")");
        if (f.get("converged") == 1) {
            assertFalse(r.status() == FitStatus.NOT_CONVERGED, "not_converged where lme4's best converged: " + r.message());
        }
        if (diff < -delta) {
            System.out.println("corpus: " + m.name() + " " + crit + ": varpart's criterion " + r.objective()
                    + " is below lme4's best " + ref + "; estimates are not compared with lme4's");
            return;
        }
        checkEstimates(f, r, d, reml);
    }

    private static void checkEstimates(Fixtures.Fixture f, FitResult r, Design d, boolean reml) {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < r.fixedNames().length; j++) index.put(r.fixedNames()[j], j);
        for (Map.Entry<String, Double> e : f.all("beta").entrySet()) {
            Integer j = index.get(e.getKey());
            if (j == null) fail("no fixed effect " + e.getKey() + " among " + index.keySet());
            compare(failures, "beta " + e.getKey(), e.getValue(), r.beta()[j], f.get("tol_beta", e.getKey()));
        }
        compare(failures, "sigma2", f.get("sigma2"), r.sigma2(), f.get("tol_sigma2"));
        Map<String, Double> vc = new HashMap<>();
        for (VarComp v : r.varComps()) {
            for (int a = 0; a < v.size(); a++) vc.put(v.group() + "|" + v.columns()[a], v.variance(a));
        }
        for (Map.Entry<String, Double> e : f.all("varcomp").entrySet()) {
            String key = normaliseGroup(e.getKey());
            Double ours = vc.get(key);
            if (ours == null) fail("no variance component " + e.getKey() + " among " + vc.keySet());
            compare(failures, "variance " + e.getKey(), e.getValue(), ours, f.get("tol_varcomp", e.getKey()));
        }
        if (!f.all("df").isEmpty()) {
            Satterthwaite s = new Satterthwaite(d, r, reml);
            for (Satterthwaite.TTest t : s.coefficientTests(r.fixedNames())) {
                if (!f.has("df", t.name())) continue;
                double ref = f.get("df", t.name());
                if (Double.isNaN(ref)) continue;
                compare(failures, "Satterthwaite df " + t.name(), ref, t.df(), f.get("tol_df", t.name()));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void compare(List<String> failures, String what, double expected, double actual, double tol) {
        if (Double.isNaN(tol)) tol = Double.POSITIVE_INFINITY;
        if (!(Math.abs(actual - expected) <= tol)) {
            failures.add(what + ": " + actual + " vs lme4 " + expected + " (|diff| " + Math.abs(actual - expected) + " > " + tol + ")");
        }
    }

    /** lme4 names the terms of {@code (x || g)} "g" and "g.1"; varpart names both "g". */
    static String normaliseGroup(String key) {
        int bar = key.indexOf('|');
        return key.substring(0, bar).replaceFirst("\\.\\d+$", "") + key.substring(bar);
    }

    @AfterAll
    static void summary() {
        if (NUMBERS.isEmpty()) return;
        int below = 0, equal = 0, above = 0;
        double worst = 0;
        List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>();
        for (double[] x : NUMBERS) {
            if (x[0] < -1e-8) below++;
            else if (x[0] > 1e-8) above++;
            else equal++;
            worst = Math.max(worst, x[0]);
            ours.add(x[1]);
            theirs.add(x[2]);
        }
        synchronized (SUMMARY) {
            Collections.sort(SUMMARY);
            SUMMARY.forEach(s -> System.out.println("corpus: " + s));
        }
        System.out.printf(Locale.ROOT, "corpus: %d fits; criterion below lme4's best: %d, equal (within 1e-8 relative): %d, above: %d;"
                + " largest relative excess %.2e; median evaluations varpart %.1f, lme4 (nloptwrap, its default) %.1f%n",
                NUMBERS.size(), below, equal, above, worst, median(ours), median(theirs));
        // the requirement: fewer evaluations than lme4 over the corpus (ours count the
        // criterion's and its gradient's evaluations, one each; lme4's are its own count)
        if (NUMBERS.size() == 2 * models().size()) {
            assertTrue(median(ours) <= median(theirs), "median evaluations " + median(ours) + " above lme4's " + median(theirs));
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
