package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;
import org.varpart.lmm.ResponseStatistics;

/**
 * The job's path — one {@link BlockFitter} and one {@link Significance.Tester} per design, the
 * reduced models of the component tests built once, Satterthwaite on the fitter's own model, the
 * response statistics computed once per response — gives bit for bit the numbers of a fit and
 * tests built from scratch for each response, over several responses in a row (so no state of
 * one response leaks into the next). A design with a slope (reduced by dropping a column) and a
 * scalar term whose removal leaves the model without random effects are both covered.
 */
class SharedTestsTest {

    @Test
    void testsOnASharedDesignEqualTestsBuiltPerResponse() {
        for (String formula : new String[] {"y ~ x + (1 + x | a) + (1 | b)", "y ~ x + (1 | a)"}) {
            Design d = DesignBuilder.build(ModelSpec.parse(formula), simulated(31, 90));
            for (FitOptions options : new FitOptions[] {FitOptions.remlDefaults(), FitOptions.mlDefaults()}) {
                BlockFitter fitter = new BlockFitter(d, options);
                Significance.Tester tester = new Significance.Tester(fitter);
                Random rnd = new Random(2);
                for (int f = 0; f < 4; f++) {
                    double[] y = new double[d.n()];
                    for (int i = 0; i < y.length; i++) y[i] = d.y()[i] + (f + 1) * rnd.nextGaussian();
                    ResponseStatistics response = ResponseStatistics.of(d, y);
                    FitResult shared = fitter.fit("f" + f, response);
                    Significance sharedTests = tester.test(shared, response);

                    Design alone = d.withResponse("f" + f, y);
                    FitResult fresh = MixedModel.fit(alone, options);
                    Significance freshTests = Significance.compute(alone, fresh, options);
                    assertTrue(shared.status().hasEstimates(), shared.message());
                    assertEquals(fresh.objective(), shared.objective(), 0, formula + " objective");
                    assertEquals(freshTests, sharedTests, formula + " " + options.criterion() + " response " + f);
                }
            }
        }
    }

    /**
     * A reduced model's criterion in the tests is its minimum alone ({@link BlockFitter#minimum})
     * on the full fit's shifted statistics: the very number, bit for bit, that a whole fit of the
     * reduced model from the same start reports as its objective, so each statistic is that
     * objective less the full fit's.
     */
    @Test
    void reducedCriterionIsTheObjectiveOfAWholeFitOfTheReducedModel() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 + x | a) + (1 | b)"), simulated(31, 90));
        java.util.List<org.varpart.design.ReTerm> terms = d.terms();
        int ia = terms.get(0).group().equals("a") ? 0 : 1, ib = 1 - ia;
        // removing (1 | b), and removing the slope x from (1 + x | a) (ranova names it "x in (x | a)"), in RandomTermTests' order of terms
        java.util.Map<String, java.util.List<org.varpart.design.ReTerm>> kept = new java.util.LinkedHashMap<>();
        kept.put("x in (x | a)", java.util.List.of(terms.get(ia).keepColumns(new int[] {0}), terms.get(ib)));
        kept.put("(1 | b)", java.util.List.of(terms.get(ia)));
        for (FitOptions options : new FitOptions[] {FitOptions.remlDefaults(), FitOptions.mlDefaults()}) {
            BlockFitter fitter = new BlockFitter(d, options);
            Significance.Tester tester = new Significance.Tester(fitter);
            Random rnd = new Random(5);
            for (int f = 0; f < 3; f++) {
                double[] y = new double[d.n()];
                for (int i = 0; i < y.length; i++) y[i] = d.y()[i] + (f + 1) * rnd.nextGaussian();
                ResponseStatistics response = ResponseStatistics.of(d, y);
                FitResult full = fitter.fit("f" + f, response);
                java.util.List<RandomTermTests.Test> tests = tester.test(full, response).components();
                int checked = 0;
                for (RandomTermTests.Test t : tests) {
                    if (!kept.containsKey(t.name())) continue;
                    Design rd = d.withTerms(kept.get(t.name()));
                    BlockFitter reduced = new BlockFitter(rd, options.withoutConditionalVariances());
                    double[] start = new ReducedStart(terms, rd.terms()).from(full.theta());
                    FitResult whole = reduced.fit("r", response.restrict(terms, rd.terms()), start);
                    double lean = reduced.minimum(fitter.shifted(response).restrict(terms, rd.terms()), start);
                    assertEquals(whole.objective(), lean, 0, t.name() + " " + options.criterion());
                    double lrt = whole.objective() - full.objective();
                    if (lrt <= 1e-11 * Math.abs(full.objective())) lrt = 0;
                    assertEquals(lrt, t.statistic(), 0, t.name() + " " + options.criterion());
                    checked++;
                }
                assertEquals(2, checked, "both reduced models were found among " + tests);
            }
        }
    }

    static DataTable simulated(long seed, int n) {
        Random rnd = new Random(seed);
        java.util.List<String[]> cols = new java.util.ArrayList<>();
        String[] y = new String[n], x = new String[n], a = new String[n], b = new String[n];
        for (int i = 0; i < n; i++) {
            int la = rnd.nextInt(9), lb = rnd.nextInt(5);
            double xv = rnd.nextGaussian();
            y[i] = Double.toString(2 + 0.4 * xv + 0.5 * la * xv / 9 + 0.3 * lb + rnd.nextGaussian());
            x[i] = Double.toString(xv);
            a[i] = "a" + la;
            b[i] = "b" + lb;
        }
        cols.add(y);
        cols.add(x);
        cols.add(a);
        cols.add(b);
        return DataTable.fromText("sim", java.util.List.of("y", "x", "a", "b"), cols);
    }
}
