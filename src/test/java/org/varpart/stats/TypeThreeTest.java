package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;

/**
 * lmerTest's default anova (type III hypotheses, Satterthwaite's denominator df) for every fixed
 * term of models whose terms are contained in others: factor by factor, numeric by factor, three
 * variables, numeric by numeric, a correlated random slope. Fixtures are written by
 * {@code src/test/resources/lme4/type3/make_type3_fixtures.R}. varpart must test exactly the
 * terms lmerTest prints; tolerances as in {@link LmerTestFixtureTest}: numerator df exact,
 * denominator df 1e-3 relative, F 1e-4 relative, p-values 1e-3 relative (1e-2 below 1e-10). The
 * fit itself must reach lmerTest's objective (1e-8 relative) so that the tests compare like with like.
 */
class TypeThreeTest {
    private static final Path DIR = Fixtures.ROOT.resolve("type3");

    @TestFactory
    Stream<DynamicTest> typeThreeMatchesLmerTest() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> lines = Files.readAllLines(DIR.resolve("models.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            Fixtures.Model m = new Fixtures.Model(f[0], f[1], f[2]);
            for (String crit : List.of("REML", "ML")) {
                tests.add(DynamicTest.dynamicTest(m.name() + " " + crit, () -> check(m, crit)));
            }
        }
        return tests.stream();
    }

    private static void check(Fixtures.Model m, String crit) {
        Fixtures.Fixture ref = Fixtures.Fixture.read(DIR.resolve(m.name() + "." + crit + ".tsv"));
        Fixtures.Fitted fitted = m.fit(crit);
        double objective = fitted.fit().objective();
        assertTrue(objective <= ref.get("objective") + 1e-8 * Math.abs(ref.get("objective")),
                "objective " + objective + " vs lmerTest " + ref.get("objective"));
        Satterthwaite s = new Satterthwaite(fitted.design(), fitted.fit(), fitted.options().reml());
        Set<String> produced = new LinkedHashSet<>();
        for (Satterthwaite.FTest t : s.termTests(fitted.design())) {
            produced.add(t.term());
            assertTrue(ref.has("anova_f", t.term()), "lmerTest has no anova row " + t.term());
            assertEquals((int) ref.get("anova_numdf", t.term()), t.numDf(), "numerator df of " + t.term());
            LmerTestFixtureTest.relative(ref.get("anova_dendf", t.term()), t.denDf(), 1e-3, "denominator df of " + t.term());
            LmerTestFixtureTest.relative(ref.get("anova_f", t.term()), t.f(), 1e-4, "F of " + t.term());
            LmerTestFixtureTest.pValue(ref.get("anova_p", t.term()), t.p(), "p of " + t.term());
        }
        assertEquals(ref.all("anova_f").keySet(), produced, "the terms tested");
    }

    /**
     * A two-level factor slope, {@code (condition | participant)}: varpart removes its one slope
     * column with its covariance (2 parameters), ranova removes the factor and keeps
     * {@code (1 | participant)} (2 df): the same reduced model, so the same statistic (1e-4
     * absolute, as in {@link LmerTestFixtureTest}) and df; the p-values differ by the boundary
     * correction, so ours is compared through the χ²₂ half of the mixture.
     */
    @TestFactory
    Stream<DynamicTest> aFactorSlopeIsTestedAsRanovaTestsIt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String crit : List.of("REML", "ML")) {
            tests.add(DynamicTest.dynamicTest(crit, () -> {
                Fixtures.Fixture ref = Fixtures.Fixture.read(DIR.resolve("factor_slope." + crit + ".ranova.tsv"));
                Fixtures.Fitted f = new Fixtures.Model("factor_slope", "practice.csv",
                        "rt ~ condition + (condition | participant)").fit(crit);
                List<RandomTermTests.Test> ours = RandomTermTests.compute(f.design(), f.fit(), f.options());
                assertEquals(1, ours.size(), "one component test");
                RandomTermTests.Test t = ours.get(0);
                assertEquals("conditionincongruent in (conditionincongruent | participant)", t.name());
                String theirs = "condition in (condition | participant)";
                assertEquals(ref.get("ranova_lrt", theirs), t.statistic(), 1e-4, "LRT");
                assertEquals((int) ref.get("ranova_df", theirs), t.df(), "df");
                double lowerHalf = 0.5 * RandomTermTests.tail(t.statistic(), t.df() - 1);
                LmerTestFixtureTest.pValue(ref.get("ranova_p", theirs) / 2, t.pValue() - lowerHalf, "boundary-corrected p");
            }));
        }
        return tests.stream();
    }
}
