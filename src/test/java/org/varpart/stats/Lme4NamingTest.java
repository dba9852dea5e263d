package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.Fixtures;
import org.varpart.io.FitJson;
import org.varpart.lmm.VarComp;
import org.varpart.report.FitSummaryText;

/**
 * The printout and the JSON of a fit name its random-effects terms as lme4's VarCorr does: the
 * two terms of {@code (Days || Subject)} are {@code Subject} and {@code Subject.1} (the names in
 * the sleepstudy_uncorr fixture, written by lme4), and the printout lists a type III F test for
 * every fixed term, main effects inside an interaction included.
 */
class Lme4NamingTest {

    @Test
    void uncorrelatedTermsAreNamedAsLme4NamesThem() {
        Fixtures.Fitted f = Fixtures.model("sleepstudy_uncorr").fit("REML");
        List<String> names = VarComp.lme4Names(f.fit().varComps());
        Fixtures.Fixture ref = Fixtures.model("sleepstudy_uncorr").fixture("REML");
        assertTrue(ref.has("varcomp", "Subject.1|Days"), "lme4 names the slope's term Subject.1");
        assertEquals(List.of("Subject", "Subject.1"), names);
        Significance s = Significance.compute(f.design(), f.fit(), f.options());
        String text = FitSummaryText.format(f.fit(), f.design(), "sleepstudy.csv", s);
        assertTrue(text.matches("(?s).*\\n Subject\\.1 +Days .*"), text);
        String json = FitJson.write(f.fit(), f.design(), s);
        assertTrue(json.matches("(?s).*\"group\":\\s*\"Subject\\.1\",\\s*\"term\":\\s*\"Days\".*"), json);
        assertTrue(json.matches("(?s).*\"group\":\\s*\"Subject\",\\s*\"term\":\\s*\"\\(Intercept\\)\".*"), json);
    }

    @Test
    void theNamesFollowRsMakeUnique() {
        VarComp a = new VarComp("Tree", new String[] {"(Intercept)"}, new double[] {1});
        VarComp b = new VarComp("Tree", new String[] {"days"}, new double[] {1});
        VarComp c = new VarComp("plot", new String[] {"(Intercept)"}, new double[] {1});
        VarComp d = new VarComp("Tree", new String[] {"z"}, new double[] {1});
        assertEquals(List.of("Tree", "Tree.1", "plot", "Tree.2"), VarComp.lme4Names(List.of(a, b, c, d)));
    }

    @Test
    void thePrintoutTestsMainEffectsInsideInteractions() {
        Fixtures.Fitted f = Fixtures.model("categorical").fit("REML");
        Significance s = Significance.compute(f.design(), f.fit(), f.options());
        String text = FitSummaryText.format(f.fit(), f.design(), "categorical.csv", s);
        String table = text.substring(text.indexOf("Type III F tests"));
        for (String term : List.of("age ", "sex ", "treatment ", "age:sex ")) {
            assertTrue(table.contains("\n " + term), term + " in\n" + table);
        }
    }
}
