package org.varpart.formula;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static List<String> labels(TermList tl) {
        return tl.terms().stream().map(Term::label).toList();
    }

    @Test
    void crossingExpandsAndOrdersTermsAsR() {
        ModelSpec s = ModelSpec.parse("y ~ age * sex + treatment + (1 | subject)");
        assertEquals(List.of("age", "sex", "treatment", "age:sex"), labels(s.fixed()));
        assertTrue(s.fixed().intercept());
        assertEquals(1, s.random().size());
        assertEquals("subject", s.random().get(0).groupName());
        assertEquals("y", s.response().deparse());
        assertEquals(List.of("y", "age", "sex", "treatment", "subject"), s.columns());
    }

    @Test
    void interceptCanBeRemovedEitherWay() {
        assertFalse(ModelSpec.parse("y ~ 0 + x + (1|g)").fixed().intercept());
        assertFalse(ModelSpec.parse("y ~ x - 1 + (1|g)").fixed().intercept());
        assertFalse(ModelSpec.parse("y ~ -1 + x + (1|g)").fixed().intercept());
        assertTrue(ModelSpec.parse("y ~ x + (1|g)").fixed().intercept());
        ModelSpec onlyRandom = ModelSpec.parse("y ~ (1|g)");
        assertTrue(onlyRandom.fixed().intercept());
        assertEquals(0, onlyRandom.fixed().size());
    }

    @Test
    void nestedGroupsExpandAsLme4NamesThem() {
        ModelSpec s = ModelSpec.parse("strength ~ 1 + (1 | batch/cask)");
        assertEquals(List.of("batch", "cask:batch"), s.random().stream().map(RandomTerm::groupName).toList());
        assertEquals(List.of("cask", "batch"), s.random().get(1).groupVariables().stream().map(Expr::deparse).toList());
        ModelSpec inter = ModelSpec.parse("y ~ x + (1 | site:subject)");
        assertEquals("site:subject", inter.random().get(0).groupName());
    }

    @Test
    void doubleBarSplitsIntoUncorrelatedTerms() {
        ModelSpec s = ModelSpec.parse("Reaction ~ Days + (Days || Subject)");
        assertEquals(2, s.random().size());
        assertTrue(s.random().get(0).effects().intercept());
        assertEquals(0, s.random().get(0).effects().size());
        assertFalse(s.random().get(1).effects().intercept());
        assertEquals(List.of("Days"), labels(s.random().get(1).effects()));
    }

    @Test
    void randomSlopeTermKeepsItsColumns() {
        ModelSpec s = ModelSpec.parse("y ~ x + (1 + x | g) + (0 + x | h)");
        assertTrue(s.random().get(0).effects().intercept());
        assertEquals(List.of("x"), labels(s.random().get(0).effects()));
        assertFalse(s.random().get(1).effects().intercept());
    }

    @Test
    void transformationsDeparseAsRPrintsThem() {
        ModelSpec s = ModelSpec.parse("y ~ I(age^2) + log(dose) + ns(x,df=3) + I(a*b) + I(a/b) + I(-z) + (1|g)");
        assertEquals(List.of("I(age^2)", "log(dose)", "ns(x, df = 3)", "I(a * b)", "I(a/b)", "I(-z)"), labels(s.fixed()));
    }

    @Test
    void powerOfASumGivesInteractionsUpToThatOrder() {
        ModelSpec s = ModelSpec.parse("y ~ (a + b + c)^2 + (1|g)");
        assertEquals(List.of("a", "b", "c", "a:b", "a:c", "b:c"), labels(s.fixed()));
    }

    @Test
    void nestingInFixedPart() {
        ModelSpec s = ModelSpec.parse("y ~ a/b + (1|g)");
        assertEquals(List.of("a", "a:b"), labels(s.fixed()));
    }

    @Test
    void parseErrorsShowTheFormulaWithACaret() {
        FormulaException e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ x + "));
        assertTrue(e.getMessage().contains("  y ~ x + \n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n          ^"), e.getMessage());

        e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ x + (1 | g"));
        assertTrue(e.getMessage().startsWith("Expected a closing ')' for the '(' of '(1 | g'"), e.getMessage());
        // the Spark job parses "feature ~ ..." but shows the right-hand side the user wrote
        FormulaException shown = e.withoutPrefix("y ");
        assertEquals("Expected a closing ')' for the '(' of '(1 | g' but found the end of the formula.\n  ~ x + (1 | g\n              ^",
                shown.getMessage());

        e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ x $ z"));
        assertTrue(e.getMessage().contains("'$'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n        ^"), e.getMessage());

        e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y x"));
        assertTrue(e.getMessage().contains("Unexpected 'x'"), e.getMessage());

        e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ x + 1 | g"));
        assertTrue(e.getMessage().contains("must be in parentheses"), e.getMessage());

        e = assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ x:(1|g)"));
        assertTrue(e.getMessage().contains("cannot be part of an interaction"), e.getMessage());

        assertThrows(FormulaException.class, () -> ModelSpec.parse(""));
        assertThrows(FormulaException.class, () -> ModelSpec.parse("y ~ 2 + x"));
    }

    @Test
    void oneSidedFormulaHasNoResponse() {
        ModelSpec s = ModelSpec.parse("~ age + sex + (1|patient) + (1|lab) + (1|batch)");
        assertEquals(null, s.response());
        assertEquals(3, s.random().size());
        assertEquals(List.of("age", "sex", "patient", "lab", "batch"), s.columns());
    }
}
