package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;

/**
 * {@code fit --compare} against lme4's {@code anova(m1, m2)} for every comparison of
 * {@code comparisons.tsv} (make_fixtures.R), the models being asked for by REML as lmer()'s
 * default is. Tolerances as for the fits: deviances within 1e-6 relative of what anova() gives on
 * lmer()'s default fits, or lower, and within 1e-8 of the tightly converged reference; logLik,
 * AIC and BIC 1e-6 relative; χ² 1e-4 absolute; p-values 1e-3 relative.
 */
class ModelComparisonTest {

    @TestFactory
    Stream<DynamicTest> matchesLme4Anova() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Comparison c : Fixtures.comparisons()) tests.add(DynamicTest.dynamicTest(c.toString(), () -> check(c)));
        assertTrue(tests.size() >= 4, "comparisons.tsv lists the comparisons");
        return tests.stream();
    }

    private static void check(Fixtures.Comparison c) {
        Fixtures.Fixture f = c.fixture();
        DataTable t = TableReader.read(c.dataPath());
        ModelComparison.Result r = ModelComparison.compare("m1", design(c.formula1(), t), "m2", design(c.formula2(), t),
                FitOptions.remlDefaults(), c.refit());
        assertEquals(c.refit(), r.refitted(), "refitted by ML");
        assertEquals(c.refit() ? "ML" : "REML", r.criterion());
        String larger = (int) f.get("larger") == 1 ? "m1" : "m2";
        assertEquals(larger, r.larger().label(), "the larger model");
        for (ModelComparison.Model m : r.models()) {
            String id = m.label();
            assertEquals((int) f.get("npar", id), m.npar(), "npar of " + id);
            double dflt = f.get("deviance_default", id);
            assertTrue(m.deviance() - dflt <= 1e-6 * Math.abs(dflt), "deviance of " + id + " " + m.deviance() + " vs lme4 " + dflt);
            close(f.get("deviance", id), m.deviance(), 1e-8, "deviance of " + id);
            close(f.get("log_likelihood", id), m.logLik(), 1e-6, "logLik of " + id);
            close(f.get("aic", id), m.aic(), 1e-6, "AIC of " + id);
            close(f.get("bic", id), m.bic(), 1e-6, "BIC of " + id);
        }
        assertEquals(f.get("chisq"), r.chisq(), 1e-4, "Chisq");
        assertEquals((int) f.get("df"), r.df(), "Df");
        close(f.get("p_value"), r.pValue(), 1e-3, "Pr(>Chisq)");
    }

    private static void close(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), what + ": " + actual + " vs lme4 " + expected);
    }

    static Design design(String formula, DataTable t) {
        return DesignBuilder.build(ModelSpec.parse(formula), t);
    }

    private static InputException refused(String data, String f1, String f2, boolean refit) {
        DataTable t = TableReader.read(Fixtures.ROOT.resolve("data").resolve(data));
        return assertThrows(InputException.class, () ->
                ModelComparison.compare("m1", design(f1, t), "m2", design(f2, t), FitOptions.remlDefaults(), refit));
    }

    @Test
    void refusesModelsThatAreNotNested() {
        String m = refused("tumour.csv", "log(volume) ~ treatment + (day | mouse)",
                "log(volume) ~ day + treatment:day + (day | mouse)", true).getMessage();
        assertTrue(m.contains("not nested") && m.contains("'treatmentdrug'"), m);
        m = refused("schools.csv", "score ~ year + (1 | student) + (1 | classroom)",
                "score ~ year + (year | student) + (1 | district)", true).getMessage();
        assertTrue(m.contains("not nested") && m.contains("(1 | classroom)"), m);
        // a diagonal covariance is a special case of a full one, not the other way round
        m = refused("qol.csv", "qol ~ month + (month | patient)", "qol ~ arm * month + (month || patient)", true).getMessage();
        assertTrue(m.contains("(month | patient)"), m);
        m = refused("tumour.csv", "log(volume) ~ treatment + (day | mouse)", "log(volume) ~ day + (day | mouse)", true).getMessage();
        assertTrue(m.contains("Both models have 6 parameters"), m);
    }

    @Test
    void acceptsADiagonalCovarianceWithinAFullOne() {
        DataTable t = TableReader.read(Fixtures.ROOT.resolve("data").resolve("qol.csv"));
        ModelComparison.Result r = ModelComparison.compare("m1", design("qol ~ arm * month + (month || patient)", t),
                "m2", design("qol ~ arm * month + (month | patient)", t), FitOptions.mlDefaults(), true);
        assertEquals("m1", r.smaller().label());
        assertEquals(1, r.df());
        assertTrue(!r.refitted() && r.criterion().equals("ML"), "ML fits are compared as they are");
    }

    @Test
    void refusesModelsOnDifferentRowsOrResponses() {
        // the partner's stress is missing for 11 people, whom only the model using it leaves out
        String m = refused("couples_apim.csv", "satisfaction ~ role + stress_actor + (1 | couple)",
                "satisfaction ~ role + stress_actor + stress_partner + (1 | couple)", true).getMessage();
        assertTrue(m.contains("not fitted to the same rows") && m.contains("leaves out 11 rows") && m.contains("data row 1)"), m);
        m = refused("tumour.csv", "log(volume) ~ day + (day | mouse)", "volume ~ treatment * day + (day | mouse)", true).getMessage();
        assertTrue(m.contains("different responses (log(volume) and volume)"), m);
    }

    @Test
    void withoutRefitREMLCriteriaOfDifferentFixedEffectsAreRefused() {
        String m = refused("tumour.csv", "log(volume) ~ treatment * day + (day | mouse)",
                "log(volume) ~ treatment + day + (day | mouse)", false).getMessage();
        assertTrue(m.contains("REML criteria cannot be compared"), m);
    }
}
