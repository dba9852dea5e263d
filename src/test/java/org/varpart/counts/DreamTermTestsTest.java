package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.lmm.FitOptions;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;

/**
 * The tests a weighted fit adds to dream's t tests, against {@code fixtures/weighted_tests.tsv}
 * ({@code make_weighted_tests_fixtures.R}: lmerTest's type III {@code anova} and {@code ranova} on
 * the weighted REML fit, each reduced model refitted with the same weights), with the fixture's
 * voom weights as input, as {@link DreamTest}.
 * <p>Tolerances: F 1e-5 relative (the estimates' and SEs' tolerance of {@link DreamTest}); its
 * denominator df 1e-3 relative (lmerTest differentiates numerically); the F test's p-value 1e-4
 * relative (1e-3 below 1e-8, as DreamTest's); numerator df and the components' df exactly. The
 * likelihood-ratio statistic, a difference of two REML criteria of about 100 that each match lme4
 * to 1e-8 relative, 2e-6 absolute. Where lme4 stops short of a variance bound in the full or the
 * reduced model and varpart reaches a lower criterion (see {@link DreamTest}), the statistic moves
 * by that shortfall: such cases are allowed the gap, printed, and checked to be in varpart's
 * favour (its criteria no higher than lme4's).
 * <p>The p-value is not ranova's: varpart's is the boundary-corrected 50:50 mixture of χ²₀ and χ²₁
 * ({@link RandomTermTests}), half of ranova's χ²₁ tail for a positive statistic, which is what is
 * compared (1e-4 relative, with the statistic's tolerance carried over); a statistic at 0 up to
 * rounding only gets its p-value's range checked, the mixture's tail jumping from 1 to ½ there.
 */
class DreamTermTestsTest {
    private static final CountsFixtures F = CountsFixtures.load();
    private static Map<String, Map<String, Double>> ref;
    private static String[] names;
    private static DreamFit.Result[] fits;

    @BeforeAll
    static void fit() {
        ref = CountsFixtures.read("weighted_tests.tsv");
        Map<String, Double> keep = CountsFixtures.read("edger.tsv").get("keep");
        double[][] kept = F.kept(keep);
        names = F.keptNames(keep);
        double[] lib = VoomTest.libSizes(kept);
        Map<String, Double> w = CountsFixtures.read("voom_dream.tsv").get("weight");
        fits = new DreamFit.Result[names.length];
        for (int i = 0; i < names.length; i++) {
            double[] y = LogCpm.of(kept[i], lib);
            double[] wi = new double[y.length];
            for (int j = 0; j < y.length; j++) wi[j] = w.get(names[i] + "|" + F.samples[j]);
            Design d = F.design(y);
            fits[i] = DreamFit.fit(d, y, wi, List.of(), FitOptions.remlDefaults().withoutConditionalVariances(), true);
        }
    }

    @Test
    void fTestsOfTheFixedTermsMatchLmerTestsAnova() {
        int checked = 0;
        for (int i = 0; i < names.length; i++) {
            DreamFit.Result r = fits[i];
            assertTrue(r.fit().status().hasEstimates(), names[i]);
            assertEquals(List.of("treatment", "age"), r.terms().stream().map(Satterthwaite.FTest::term).toList(), names[i]);
            for (Satterthwaite.FTest t : r.terms()) {
                String key = names[i] + "|" + t.term();
                assertEquals(ref.get("num_df").get(key), t.numDf(), 0, "numerator df " + key);
                CountsFixtures.assertRelative(ref.get("f").get(key), t.f(), 1e-5, "F " + key);
                CountsFixtures.assertRelative(ref.get("den_df").get(key), t.denDf(), 1e-3, "denominator df " + key);
                double p = ref.get("f_p").get(key);
                CountsFixtures.assertRelative(p, t.p(), p < 1e-8 ? 1e-3 : 1e-4, "F p-value " + key);
                checked++;
            }
        }
        assertEquals(2 * names.length, checked);
    }

    @Test
    void componentTestsMatchRanovaWithTheSameWeights() {
        int shortfalls = 0, positive = 0;
        for (int i = 0; i < names.length; i++) {
            DreamFit.Result r = fits[i];
            String g = names[i];
            assertEquals(List.of("patient", "batch"), r.components().stream().map(RandomTermTests.Test::component).toList(), g);
            // how far lme4's full fit is above varpart's: the statistic may be larger by this much
            double fullGap = ref.get("reml_objective").get(g) - r.fit().objective();
            assertTrue(fullGap > -1e-8 * Math.abs(r.fit().objective()), g + ": varpart's criterion above lme4's by " + -fullGap);
            for (RandomTermTests.Test t : r.components()) {
                String key = g + "|" + t.component();
                assertEquals(ref.get("lrt_df").get(key), t.df(), 0, "df " + key);
                double lrt = ref.get("lrt").get(key);
                double diff = t.statistic() - lrt;
                double tol = 2e-6;
                if (Math.abs(diff) > tol && fullGap > tol && diff > 0 && diff <= fullGap + tol) {
                    System.out.println("DreamTermTestsTest: " + key + ": lme4's full fit stops " + fullGap
                            + " above varpart's criterion; the statistic differs by " + diff);
                    shortfalls++;
                    tol = fullGap + 2e-6;
                }
                assertEquals(lrt, t.statistic(), tol, "LRT " + key);
                if (lrt <= tol) {
                    // a statistic at 0 up to rounding (a variance at its bound in both fits): the mixture's
                    // p-value is 1 at exactly 0 and just under 0.5 above it, so only its range is checked
                    assertTrue(t.pValue() >= 0.5 - 1e-3, "p " + key + " = " + t.pValue() + " for a statistic of " + t.statistic());
                    continue;
                }
                // ranova's p is the plain chi-square(1) tail; varpart's is half of it for a positive statistic
                double expected = 0.5 * ref.get("ranova_p").get(key);
                double slope = 0.5 * new org.apache.commons.math3.distribution.ChiSquaredDistribution(1).density(lrt);
                assertEquals(expected, t.pValue(), 1e-4 * expected + slope * tol, "p " + key);
                positive++;
            }
        }
        System.out.println("DreamTermTestsTest: " + shortfalls + " statistics moved by lme4 stopping short in the full model; "
                + positive + " positive statistics' p-values compared");
        assertTrue(positive > names.length / 2, "too few positive statistics to compare: " + positive);
    }
}
