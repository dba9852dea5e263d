package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.io.TableReader;
import org.varpart.design.Design;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.lmm.MixedModel;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.VarianceFractions;

/**
 * Definition tests of the weighted fit: equal weights (of any size) give the unweighted fit,
 * weighted fractions with equal weights are the unweighted ones, and a weight that is not
 * positive is a {@code failed} fit, not an exception. Equal weights rescale to 1 only to rounding,
 * so Z of the scaled design is no longer exactly 1 and the engine takes its general objective
 * route: the criterion agrees to 1e-10 relative, the estimates to the optimiser's stopping
 * accuracy (1e-7 relative for σ̂², 1e-7 absolute for fitted values and fractions).
 */
class WeightedFitTest {
    private static final CountsFixtures F = CountsFixtures.load();

    private static double[] response() {
        double[] y = LogCpm.of(F.counts[0], LogCpm.columnTotals(F.counts, F.samples.length));
        return y;
    }

    @Test
    void equalWeightsGiveTheUnweightedFit() {
        double[] y = response();
        Design d = F.design(y);
        double[] w = new double[y.length];
        Arrays.fill(w, 3.7);
        for (FitOptions o : List.of(FitOptions.mlDefaults(), FitOptions.remlDefaults())) {
            FitResult plain = MixedModel.fit(d, o), weighted = WeightedFit.fit(d, y, w, o);
            assertEquals(plain.objective(), weighted.objective(), 1e-10 * Math.abs(plain.objective()), "criterion");
            assertEquals(plain.sigma2(), weighted.sigma2(), 1e-7 * plain.sigma2(), "sigma2");
            for (int i = 0; i < y.length; i++) assertEquals(plain.fitted()[i], weighted.fitted()[i], 1e-7, "fitted " + i);
            List<VarianceFractions.Component> a = VarianceFractions.compute(d, plain), b = VarianceFractions.compute(d, weighted, w);
            for (int k = 0; k < a.size(); k++) assertEquals(a.get(k).fraction(), b.get(k).fraction(), 1e-7, a.get(k).name());
        }
    }

    /**
     * A weighted design carries the type III contrasts of its fixed terms, so the main effects
     * inside an interaction get their F tests too; with equal weights these are the unweighted
     * tests (F and df to 1e-6 relative: both fits converge to a scaled gradient of 1e-7).
     */
    @Test
    void weightedDesignsGetTypeThreeTestsOfEveryTerm() {
        Design d = org.varpart.design.DesignBuilder.build(org.varpart.formula.ModelSpec.parse("angle ~ recipe * temp + (1 | replicate)"),
                TableReader.read(java.nio.file.Path.of("src/test/resources/corpus/data/cake.csv")));
        double[] y = d.y();
        FitOptions o = FitOptions.remlDefaults();
        List<Satterthwaite.FTest> plain = new Satterthwaite(d, MixedModel.fit(d, o), true).termTests(d);
        assertEquals(List.of("recipe", "temp", "recipe:temp"), plain.stream().map(Satterthwaite.FTest::term).toList());
        double[] equal = new double[y.length];
        Arrays.fill(equal, 3.7);
        Design scaled = WeightedFit.scaled(d, y, WeightedFit.rescale(equal));
        for (int t = 0; t < d.fixedTerms().size(); t++) {
            if (d.typeThree(t) != null) assertTrue(Arrays.deepEquals(d.typeThree(t), scaled.typeThree(t)), d.fixedTerms().get(t));
        }
        List<Satterthwaite.FTest> weighted = new Satterthwaite(scaled, MixedModel.fit(scaled, o), true).termTests(scaled);
        assertEquals(plain.size(), weighted.size());
        for (int i = 0; i < plain.size(); i++) {
            Satterthwaite.FTest a = plain.get(i), b = weighted.get(i);
            assertEquals(a.term(), b.term());
            assertEquals(a.numDf(), b.numDf());
            assertEquals(a.f(), b.f(), 1e-6 * a.f(), a.term() + " F");
            assertEquals(a.denDf(), b.denDf(), 1e-6 * a.denDf(), a.term() + " df");
        }
        double[] w = new double[y.length];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + (i % 7);
        Design unequal = WeightedFit.scaled(d, y, WeightedFit.rescale(w));
        List<Satterthwaite.FTest> tests = new Satterthwaite(unequal, MixedModel.fit(unequal, o), true).termTests(unequal);
        assertEquals(List.of("recipe", "temp", "recipe:temp"), tests.stream().map(Satterthwaite.FTest::term).toList());
        for (Satterthwaite.FTest f : tests) assertTrue(f.f() > 0 && f.denDf() > 0 && f.p() >= 0 && f.p() <= 1, f.toString());
    }

    @Test
    void fittedValuesAreOnTheScaleOfTheResponse() {
        double[] y = response();
        double[] w = new double[y.length];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + (i % 5);
        FitResult r = WeightedFit.fit(F.design(y), y, w, FitOptions.mlDefaults());
        assertTrue(r.status().hasEstimates(), r.message());
        for (int i = 0; i < y.length; i++) assertEquals(y[i] - r.fitted()[i], r.residuals()[i], 1e-12, "residual " + i);
        double mean = 0;
        for (double v : r.fitted()) mean += v / y.length;
        double ymean = 0;
        for (double v : y) ymean += v / y.length;
        assertEquals(ymean, mean, 1.0, "fitted values near the data, not scaled by sqrt(w)");
    }

    @Test
    void nonPositiveWeightIsAFailedFit() {
        double[] y = response();
        double[] w = new double[y.length];
        Arrays.fill(w, 1);
        w[3] = 0;
        FitResult r = WeightedFit.fit(F.design(y), y, w, FitOptions.remlDefaults());
        assertEquals(FitStatus.FAILED, r.status());
        assertTrue(r.message().contains("precision weight"), r.message());
        assertEquals(FitStatus.FAILED, DreamFit.fit(F.design(y), y, w, List.of(), FitOptions.remlDefaults()).fit().status());
    }
}
