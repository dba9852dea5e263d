package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.design.Design;
import org.varpart.lmm.CovarianceTerm;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;

/**
 * Satterthwaite t and F tests and ranova's likelihood-ratio tests against lmerTest, for every
 * fixture model, REML and ML. The F tests are lmerTest's default (type III) {@code anova}, one row
 * per fixed term, main effects inside interactions included, and every row lmerTest prints must
 * have varpart's counterpart. Tolerances: df and p-values 1e-3 relative (p-values below 1e-10:
 * 1e-2 relative), t and F 1e-4 relative, LRT statistics 1e-4 absolute. The Satterthwaite checks
 * of fits with a term of several columns on the boundary are skipped (and reported as skipped):
 * there lmerTest's numerical Hessian (and so its df) depends on its finite-difference scheme at
 * the boundary. A scalar term's variance at zero is kept in: the criterion depends on its θ only
 * through θ², so central differences across the bound are well defined (the schools design).
 */
class LmerTestFixtureTest {

    @TestFactory
    Stream<DynamicTest> satterthwaiteMatchesLmerTest() {
        return Fixtures.perModelAndCriterion("Satterthwaite", LmerTestFixtureTest::checkSatterthwaite);
    }

    @TestFactory
    Stream<DynamicTest> ranovaMatchesLmerTest() {
        return Fixtures.perModelAndCriterion("ranova", LmerTestFixtureTest::checkRanova);
    }

    private static void checkSatterthwaite(Fixtures.Case c) {
        Fixtures.Fixture f = c.fixture();
        Design d = c.design();
        FitResult r = c.fit();
        assumeTrue(f.has("sat_df"), "the fixture has no Satterthwaite values for " + c.model().name());
        assumeFalse(boundaryInVectorTerm(d, r), "a term with several columns is on the boundary: lmerTest's df there "
                + "depend on its finite-difference scheme, so they are not a reference");
        Satterthwaite s = new Satterthwaite(d, r, c.options().reml());
        for (Satterthwaite.TTest t : s.coefficientTests(r.fixedNames())) {
            relative(f.get("sat_df", t.name()), t.df(), 1e-3, "df of " + t.name());
            relative(f.get("t_value", t.name()), t.t(), 1e-4, "t of " + t.name());
            pValue(f.get("p_value", t.name()), t.p(), "p of " + t.name());
        }
        int compared = 0;
        java.util.Set<String> produced = new java.util.HashSet<>();
        for (Satterthwaite.FTest t : s.termTests(d)) produced.add(t.term());
        for (String term : f.all("anova_f").keySet()) {
            assertTrue(produced.contains(term), "lmerTest's type III anova has a row " + term + " that varpart does not test");
        }
        for (Satterthwaite.FTest t : s.termTests(d)) {
            if (!f.has("anova_f", t.term())) fail("lmerTest has no anova row " + t.term());
            assertEquals((int) f.get("anova_numdf", t.term()), t.numDf(), "numerator df of " + t.term());
            relative(f.get("anova_dendf", t.term()), t.denDf(), 1e-3, "denominator df of " + t.term());
            relative(f.get("anova_f", t.term()), t.f(), 1e-4, "F of " + t.term());
            pValue(f.get("anova_p", t.term()), t.p(), "F test p of " + t.term());
            compared++;
        }
        assertTrue(compared > 0 || d.fixedTerms().size() <= 1, "some F test compared");
    }

    /**
     * ranova's statistics and df, and varpart's boundary-corrected p-value: ranova's p is the plain
     * χ²_k tail, while varpart's is the 50:50 mixture of the χ²_{k−1} and χ²_k tails, which the
     * fixture holds as {@code ranova_p_mixture}, computed by R's {@code pchisq} from ranova's
     * statistic (make_fixtures.R; for one variance, k = 1, it is half of ranova's p).
     */
    private static void checkRanova(Fixtures.Case c) {
        Fixtures.Fixture f = c.fixture();
        Map<String, RandomTermTests.Test> ours = new HashMap<>();
        for (RandomTermTests.Test t : RandomTermTests.compute(c.design(), c.fit(), c.options())) ours.put(t.name(), t);
        assertEquals(f.all("ranova_lrt").keySet(), ours.keySet(), "ranova rows");
        for (Map.Entry<String, Double> e : f.all("ranova_lrt").entrySet()) {
            RandomTermTests.Test t = ours.get(e.getKey());
            assertEquals(e.getValue(), t.statistic(), 1e-4, "LRT of " + e.getKey());
            int lmerTestDf = (int) f.get("ranova_df", e.getKey());
            // ranova replaces a term without intercept by (1 | g) and reports 0 df; varpart removes it
            assertEquals(lmerTestDf == 0 ? 1 : lmerTestDf, t.df(), "df of " + e.getKey());
            if (lmerTestDf == 0) continue;
            if (t.statistic() == 0) {
                assertEquals(1.0, t.pValue(), 0, "a zero statistic has p = 1: " + e.getKey());
                continue;
            }
            pValue(f.get("ranova_p_mixture", e.getKey()), t.pValue(), "boundary-corrected p of " + e.getKey());
        }
    }

    /** Whether a θ on its bound belongs to a term with several columns. */
    private static boolean boundaryInVectorTerm(Design d, FitResult r) {
        if (!r.singular()) return false;
        List<CovarianceTerm> cov = CovarianceTerm.of(d.terms());
        boolean[] scalar = CovarianceTerm.scalarThetas(cov);
        double[] lower = CovarianceTerm.lowerBounds(cov);
        for (int i = 0; i < scalar.length; i++) {
            if (lower[i] == 0 && r.theta()[i] < FitOptions.SINGULAR_TOLERANCE && !scalar[i]) return true;
        }
        return false;
    }

    static void relative(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                what + ": " + actual + " vs lmerTest " + expected);
    }

    static void pValue(double expected, double actual, String what) {
        relative(expected, actual, expected < 1e-10 ? 1e-2 : 1e-3, what);
    }
}
