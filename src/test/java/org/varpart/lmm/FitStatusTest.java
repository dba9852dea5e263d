package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.varpart.Fixtures;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;

/** Fits that cannot be done, or end on the boundary, come back as a status with a message. */
class FitStatusTest {

    static Design design(String formula, DataTable t) {
        return DesignBuilder.build(ModelSpec.parse(formula), t);
    }

    static DataTable table(String csv) throws IOException {
        return TableReader.read("test.csv", new java.io.BufferedReader(new java.io.StringReader(csv)));
    }

    static DataTable sleep() {
        return TableReader.read(Fixtures.ROOT.resolve("data/sleepstudy.csv"));
    }

    @Test
    void singularFitIsReportedWithEstimates() {
        DataTable t = TableReader.read(Fixtures.ROOT.resolve("data/dyestuff2.csv"));
        FitResult r = MixedModel.fit(design("Yield ~ 1 + (1 | Batch)", t), FitOptions.remlDefaults());
        assertEquals(FitStatus.SINGULAR, r.status());
        assertTrue(r.singular());
        assertEquals(0.0, r.theta()[0]);
        assertTrue(r.message().contains("boundary (singular) fit"), r.message());
        assertEquals(0.0, r.varComps().get(0).variance(0));
    }

    @Test
    void constantResponseIsSkipped() {
        Design d = design("Reaction ~ Days + (1 | Subject)", sleep());
        double[] y = new double[d.n()];
        java.util.Arrays.fill(y, 3.0);
        FitResult r = MixedModel.fit(d.withResponse("flat", y), FitOptions.mlDefaults());
        assertEquals(FitStatus.SKIPPED_CONSTANT, r.status());
        assertFalse(r.status().hasEstimates());
        assertTrue(r.message().contains("constant"), r.message());
    }

    @Test
    void infiniteValueFailsWithAMessage() {
        Design d = design("Reaction ~ Days + (1 | Subject)", sleep());
        double[] y = d.y().clone();
        y[3] = Double.POSITIVE_INFINITY;
        FitResult r = MixedModel.fit(d.withResponse("inf", y), FitOptions.mlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().contains("non-finite"), r.message());
    }

    @Test
    void valuesBeyondDoublePrecisionFailWithAMessage() {
        Design d = design("Reaction ~ Days + (1 | Subject)", sleep());
        double[] huge = d.y().clone(), tiny = d.y().clone();
        for (int i = 0; i < huge.length; i++) {
            huge[i] *= 1e300;
            tiny[i] *= 1e-300;
        }
        FitResult r = MixedModel.fit(d.withResponse("huge", huge), FitOptions.mlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("numerical failure: the values are too large"), r.message());
        r = MixedModel.fit(d.withResponse("tiny", tiny), FitOptions.mlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("numerical failure: the values differ by too little"), r.message());
        // far from both limits, the same data rescaled fits as usual
        for (int i = 0; i < huge.length; i++) huge[i] = d.y()[i] * 1e100;
        assertEquals(FitStatus.OK, MixedModel.fit(d.withResponse("large", huge), FitOptions.mlDefaults()).status());
    }

    @Test
    void singleLevelGroupingFactorFails() throws IOException {
        DataTable t = table("y,x,g\n1,1,a\n2,2,a\n3,1,a\n5,3,a\n");
        FitResult r = MixedModel.fit(design("y ~ x + (1 | g)", t), FitOptions.remlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().contains("'g' has only one level (a)"), r.message());
    }

    @Test
    void asManyLevelsAsObservationsIsTooFew() throws IOException {
        DataTable t = table("y,x,g\n1,1,a\n2,2,b\n3,1,c\n5,3,d\n");
        FitResult r = MixedModel.fit(design("y ~ x + (1 | g)", t), FitOptions.remlDefaults());
        assertEquals(FitStatus.SKIPPED_TOO_FEW, r.status());
        assertTrue(r.message().contains("less than the number of observations"), r.message());
    }

    @Test
    void noRandomTermFails() {
        FitResult r = MixedModel.fit(design("Reaction ~ Days", sleep()), FitOptions.remlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().contains("no random-effects terms"), r.message());
    }
}
