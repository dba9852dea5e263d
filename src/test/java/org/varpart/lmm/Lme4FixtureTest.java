package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.design.Design;

/**
 * Every model of {@code src/test/resources/lme4/models.tsv}, fitted by REML and by ML, against
 * lme4's values. Tolerances (from the engine's acceptance criteria):
 * <ul>
 *   <li>objective: within 1e-6 relative of lme4's default fit, or lower (a better optimum), and
 *       within 1e-8 of lme4's fit with a tight optimiser, which is the reference for the rest;</li>
 *   <li>fixed effects: 1e-5 relative, on the scale max(|β|, SE(β));</li>
 *   <li>standard errors, variance components, σ²: 1e-4 relative (1e-6 absolute near zero);</li>
 *   <li>correlations: 1e-3 absolute; conditional modes and their SDs: 1e-4 relative to the
 *       term's standard deviation; fitted values: 1e-5 relative to the response's SD.</li>
 * </ul>
 * The same tolerances hold for singular fits. (The fixtures record both lme4 fits; see
 * make_fixtures.R.)
 */
class Lme4FixtureTest {

    @TestFactory
    Stream<DynamicTest> matchesLme4() {
        return Fixtures.perModelAndCriterion("", Lme4FixtureTest::check);
    }

    private static void check(Fixtures.Case c) {
        Fixtures.Fixture f = c.fixture();
        Design d = c.design();
        FitResult r = c.fit();
        assertTrue(r.status().hasEstimates(), "status " + r.status() + ": " + r.message());
        assertEquals((int) f.get("n_obs"), r.nObs(), "n_obs");
        if (f.has("dropped_na")) assertEquals((int) f.get("dropped_na"), d.dropped(), "rows dropped for NA");
        boolean lme4Singular = f.get("singular") == 1;
        assertEquals(lme4Singular, r.singular(), "singular");

        double obj = f.get("objective_default");
        double diff = r.objective() - obj;
        assertTrue(diff <= 1e-6 * Math.abs(obj), "objective " + r.objective() + " vs lme4 " + obj);
        assertClose(f.get("objective"), r.objective(), 1e-8, 0, "objective vs lme4 tightly converged");
        assertClose(f.get("log_likelihood"), r.logLikelihood(), 1e-6, 0, "logLik");
        assertClose(f.get("aic"), r.aic(), 1e-6, 0, "AIC");
        assertClose(f.get("bic"), r.bic(), 1e-6, 0, "BIC");

        double est = 1e-4;
        double fixedTol = 1e-5;
        assertClose(f.get("sigma2"), r.sigma2(), est, 1e-6, "sigma2");

        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < r.fixedNames().length; j++) index.put(r.fixedNames()[j], j);
        assertEquals(f.all("beta").keySet(), new java.util.LinkedHashSet<>(List.of(r.fixedNames())), "fixed-effect names");
        for (Map.Entry<String, Double> e : f.all("beta").entrySet()) {
            int j = index.get(e.getKey());
            double se = f.get("se", e.getKey());
            double scale = Math.max(Math.abs(e.getValue()), se);
            assertTrue(Math.abs(r.beta()[j] - e.getValue()) <= fixedTol * scale,
                    "beta " + e.getKey() + ": " + r.beta()[j] + " vs " + e.getValue());
            assertClose(se, r.stdError(j), est, 1e-6, "se " + e.getKey());
        }
        Map<String, Double> vc = new HashMap<>();
        Map<String, Double> corr = new HashMap<>();
        for (VarComp v : r.varComps()) {
            for (int a = 0; a < v.size(); a++) {
                vc.put(v.group() + "|" + v.columns()[a], v.variance(a));
                for (int b = 0; b < a; b++) {
                    corr.put(v.group() + "|" + v.columns()[b] + "|" + v.columns()[a], v.correlation(a, b));
                }
            }
        }
        for (Map.Entry<String, Double> e : f.all("varcomp").entrySet()) {
            if (e.getKey().startsWith("Residual|")) continue;
            Double ours = vc.get(normaliseGroup(e.getKey()));
            if (ours == null) fail("no variance component " + e.getKey() + " among " + vc.keySet());
            assertClose(e.getValue(), ours, est, 1e-6, "variance " + e.getKey());
        }
        for (Map.Entry<String, Double> e : f.all("corr").entrySet()) {
            if (Double.isNaN(e.getValue())) continue;
            Double ours = corr.get(normaliseGroup(e.getKey()));
            if (ours == null) fail("no correlation " + e.getKey() + " among " + corr.keySet());
            assertEquals(e.getValue(), ours, 1e-3, "correlation " + e.getKey());
        }
        checkRanef(f, r, est);
        checkFitted(f, r, d, 1e-5);
    }

    /** lme4 names the second term of (x || g) "g.1"; varpart names both "g". */
    private static String normaliseGroup(String key) {
        int bar = key.indexOf('|');
        String g = key.substring(0, bar).replaceFirst("\\.\\d+$", "");
        return g + key.substring(bar);
    }

    private static void checkRanef(Fixtures.Fixture f, FitResult r, double tol) {
        Map<String, double[]> ours = new HashMap<>();
        Map<String, Double> termSd = new HashMap<>();
        for (int t = 0; t < r.randomEffects().size(); t++) {
            RandomEffects re = r.randomEffects().get(t);
            VarComp v = r.varComps().get(t);
            for (int a = 0; a < re.columns().length; a++) {
                termSd.put(re.group() + "|" + re.columns()[a], v.sd(a));
                for (int l = 0; l < re.levels().length; l++) {
                    ours.put(re.group() + "|" + re.columns()[a] + "|" + re.levels()[l],
                            new double[] {re.mode(l, a), re.conditionalSd(l, a)});
                }
            }
        }
        int checked = 0;
        for (Map.Entry<String, Double> e : f.all("ranef").entrySet()) {
            String key = normaliseGroup(e.getKey());
            double[] o = ours.get(key);
            if (o == null) fail("no conditional mode " + e.getKey() + " (have e.g. " + ours.keySet().stream().limit(3).toList() + ")");
            String term = key.substring(0, key.lastIndexOf('|'));
            double scale = Math.max(termSd.get(term), Math.sqrt(r.sigma2()) * 1e-3);
            assertEquals(e.getValue(), o[0], tol * scale, "conditional mode " + e.getKey());
            if (f.has("condsd", e.getKey())) {
                assertEquals(f.get("condsd", e.getKey()), o[1], tol * scale, "conditional sd " + e.getKey());
            }
            checked++;
        }
        assertTrue(checked > 0, "fixture has conditional modes");
    }

    private static void checkFitted(Fixtures.Fixture f, FitResult r, Design d, double tol) {
        double sdY = sd(d.y());
        Map<Integer, Integer> obsOfRow = new HashMap<>();
        for (int i = 0; i < d.n(); i++) obsOfRow.put(d.row(i) + 1, i);
        assertEquals(f.all("fitted").size(), d.n(), "number of fitted values");
        for (Map.Entry<String, Double> e : f.all("fitted").entrySet()) {
            Integer i = obsOfRow.get(Integer.parseInt(e.getKey()));
            if (i == null) fail("row " + e.getKey() + " was dropped by varpart but used by lme4");
            assertEquals(e.getValue(), r.fitted()[i], tol * sdY, "fitted value of row " + e.getKey());
            assertEquals(f.get("residual", e.getKey()), r.residuals()[i], tol * sdY, "residual of row " + e.getKey());
        }
    }

    static double sd(double[] v) {
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    static void assertClose(double expected, double actual, double rel, double abs, String what) {
        double tol = Math.max(rel * Math.abs(expected), abs);
        assertTrue(Math.abs(actual - expected) <= tol, what + ": " + actual + " vs lme4 " + expected
                + " (|diff| " + Math.abs(actual - expected) + " > " + tol + ")");
    }
}
