package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.LmmModel;
import org.varpart.lmm.MixedModel;

/**
 * Satterthwaite t and F tests and ranova's likelihood-ratio statistics against lmerTest, for
 * every fixture model, REML and ML. Tolerances: df and p-values 1e-3 relative (p-values below
 * 1e-10: 1e-2 relative), t and F 1e-4 relative, LRT statistics 1e-4 absolute. Fits with a
 * term of several columns on the boundary are left out of the df checks: there lmerTest's
 * numerical Hessian (and so its df) depends on its finite-difference scheme at the boundary.
 * A scalar term's variance at zero is kept in: the criterion depends on its θ only through θ²,
 * so central differences across the bound are well defined (the schools design).
 */
class LmerTestFixtureTest {

    @TestFactory
    Stream<DynamicTest> matchesLmerTest() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Model m : Fixtures.models()) {
            for (String crit : List.of("REML", "ML")) {
                tests.add(DynamicTest.dynamicTest(m.name() + " " + crit, () -> check(m, crit)));
            }
        }
        return tests.stream();
    }

    private static void check(Fixtures.Model m, String crit) {
        Fixtures.Fixture f = m.fixture(crit);
        boolean reml = crit.equals("REML");
        FitOptions opt = reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults();
        Design d = DesignBuilder.build(ModelSpec.parse(m.formula()), DataTable.read(m.dataPath()));
        FitResult r = MixedModel.fit(d, opt);
        if (!boundaryInVectorTerm(d, r) && f.has("sat_df")) {
            Satterthwaite s = new Satterthwaite(d, r, reml);
            for (Satterthwaite.TTest t : s.coefficientTests(r.fixedNames())) {
                relative(f.get("sat_df", t.name()), t.df(), 1e-3, "df of " + t.name());
                relative(f.get("t_value", t.name()), t.t(), 1e-4, "t of " + t.name());
                pValue(f.get("p_value", t.name()), t.p(), "p of " + t.name());
            }
            int compared = 0;
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
        Map<String, RandomTermTests.Test> ours = new HashMap<>();
        for (RandomTermTests.Test t : RandomTermTests.compute(d, r, opt)) ours.put(t.name(), t);
        assertEquals(f.all("ranova_lrt").keySet(), ours.keySet(), "ranova rows");
        for (Map.Entry<String, Double> e : f.all("ranova_lrt").entrySet()) {
            RandomTermTests.Test t = ours.get(e.getKey());
            assertEquals(e.getValue(), t.statistic(), 1e-4, "LRT of " + e.getKey());
            int lmerTestDf = (int) f.get("ranova_df", e.getKey());
            // ranova replaces a term without intercept by (1 | g) and reports 0 df; varpart removes it
            assertEquals(lmerTestDf == 0 ? 1 : lmerTestDf, t.df(), "df of " + e.getKey());
            if (lmerTestDf > 0) {
                // ranova's p is the plain χ² tail; varpart's boundary-corrected one is half of it for one variance
                double plain = RandomTermTests.tail(t.statistic(), t.df());
                if (t.df() == 1 && t.statistic() > 0) assertEquals(plain / 2, t.pValue(), 1e-15 + 1e-12 * plain);
                pValue(f.get("ranova_p", e.getKey()), plain, "plain χ² p of " + e.getKey());
            }
        }
    }

    /** Whether a θ on its bound belongs to a term with several columns. */
    private static boolean boundaryInVectorTerm(Design d, FitResult r) {
        if (!r.singular()) return false;
        LmmModel m = new LmmModel(d);
        boolean[] scalar = m.scalarThetas();
        double[] lower = m.lowerBounds();
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
