package org.varpart.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.varpart.io.TableReader;

/**
 * lmerTest's containment rule, R's zapsmall and one set of contrasts on data, as
 * {@link TypeThree} builds them (the F tests themselves are checked against lmerTest in
 * TypeThreeTest and LmerTestFixtureTest).
 */
class TypeThreeRulesTest {
    private static TypeThree.TermInfo term(Set<String> vars, Set<String> numeric) {
        return new TypeThree.TermInfo(String.join(":", vars), vars, numeric, vars.size());
    }

    @Test
    void aNumericMainEffectIsContainedInItsInteractionWithAFactorButTheFactorIsNot() {
        TypeThree.TermInfo age = term(Set.of("age"), Set.of("age"));
        TypeThree.TermInfo sex = term(Set.of("sex"), Set.of());
        TypeThree.TermInfo ageSex = term(Set.of("age", "sex"), Set.of("age"));
        TypeThree.TermInfo ageWeight = term(Set.of("age", "weight"), Set.of("age", "weight"));
        TypeThree.TermInfo treatment = term(Set.of("treatment"), Set.of());
        TypeThree.TermInfo sexTreatment = term(Set.of("sex", "treatment"), Set.of());
        assertTrue(TypeThree.contains(ageSex, age));
        assertFalse(TypeThree.contains(ageSex, sex), "sex has no numeric variable, age:sex has one");
        assertFalse(TypeThree.contains(ageWeight, age), "a product of numerics does not contain either");
        assertTrue(TypeThree.contains(sexTreatment, sex));
        assertTrue(TypeThree.contains(sexTreatment, treatment));
        assertFalse(TypeThree.contains(sex, sexTreatment));
    }

    @Test
    void zapsmallRoundsAsR() {
        double[][] z = TypeThree.zapsmall(new double[][] {{12.3456789, 1e-9}, {-0.5, 3e-6}});
        assertArrayEquals(new double[] {12.345679, 0}, z[0], 1e-12); // R 4.2: 12.345679, 0
        assertArrayEquals(new double[] {-0.5, 3e-6}, z[1], 1e-12); // R 4.2: -0.5, 3e-06 (6 decimals)
        double[][] five = TypeThree.zapsmall(new double[][] {{5, 1.23456789}});
        assertArrayEquals(new double[] {5, 1.234568}, five[0], 1e-12); // R 4.2: 7 - log10(5) = 6.3 -> 6 decimals
    }

    /**
     * Definition on data: in {@code y ~ age * sex + treatment}, lmerTest's type III contrast of
     * {@code age} is the slope averaged over the sexes, (0, 1, 0, 0, 0, ½) over (Intercept), age,
     * sexMale, treatmenthigh, treatmentlow, age:sexMale, and the other terms' contrasts select their
     * own coefficients. The expected rows are lmerTest 3.1-3's, printed by
     * {@code lmerTest:::get_contrasts_type3(lmer(y ~ age * sex + treatment + (1 | subject), d))}.
     */
    @Test
    void theContrastOfAMainEffectInsideAnInteractionIsTheAverageSlope() {
        Design d = DesignBuilder.build(org.varpart.formula.ModelSpec.parse("y ~ age * sex + treatment + (1 | subject)"),
                TableReader.read(java.nio.file.Path.of("src/test/resources/lme4/data/categorical.csv")));
        java.util.List<String> names = java.util.List.of(d.xNames());
        assertTrue(names.equals(java.util.List.of("(Intercept)", "age", "sexMale", "treatmenthigh", "treatmentlow", "age:sexMale")), names.toString());
        java.util.List<String> terms = d.fixedTerms();
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0.5}, d.typeThree(terms.indexOf("age"))[0], 1e-12);
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0}, d.typeThree(terms.indexOf("sex"))[0], 1e-12);
        double[][] treatment = d.typeThree(terms.indexOf("treatment"));
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0}, treatment[0], 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 0}, treatment[1], 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1}, d.typeThree(terms.indexOf("age:sex"))[0], 1e-12);
    }
}
