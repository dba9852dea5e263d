package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.design.ReTerm;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.LmmModel;
import org.varpart.lmm.MixedModel;
import org.varpart.lmm.ResponseStatistics;
import org.varpart.lmm.ThetaProbe;

/**
 * Definition tests of Satterthwaite's derivatives and of the reduced models' start.
 *
 * <p>The fast derivatives (σ parts analytic, θ block one central difference of the profiled
 * criterion's analytic gradient, through the Schur complement for scalar later terms and the
 * blocked Cholesky for a slope term) against the brute-force ones (second differences of D and
 * differences of Var(β̂) over all of (θ, σ), Richardson-extrapolated): every coefficient's df
 * agrees to 1e-6 relative (measured: below 5e-8 on the benchmark's reference design).
 */
class SatterthwaiteDerivativesTest {

    @Test
    void fastDerivativesGiveTheDfOfBruteForceDifferences() {
        for (String formula : new String[] {"y ~ x + (1 | a) + (1 | b)", "y ~ x + (1 + x | a) + (1 | b)"}) {
            Design d = DesignBuilder.build(ModelSpec.parse(formula), SharedTestsTest.simulated(31, 90));
            for (boolean reml : new boolean[] {true, false}) {
                FitResult fit = MixedModel.fit(d, reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults());
                assertTrue(fit.status().hasEstimates(), fit.message());
                LmmModel model = new LmmModel(d);
                double[] centred = d.y().clone();
                for (int i = 0; i < d.n(); i++) for (int j = 0; j < d.p(); j++) centred[i] -= d.x(i, j) * fit.beta()[j];
                ThetaProbe probe = new ThetaProbe(model);
                probe.setResponse(ResponseStatistics.of(d, centred));
                int nu = reml ? d.n() - d.p() : d.n();
                SatterthwaiteDerivatives.Derivatives fast = SatterthwaiteDerivatives.fromGradient(probe, fit, reml, nu, d.p());
                assertNotNull(fast, formula);
                model.setResponse(centred);
                SatterthwaiteDerivatives.Derivatives brute = SatterthwaiteDerivatives.bySecondDifferences(model, fit, reml);
                for (int j = 0; j < d.p(); j++) {
                    double a = df(fast, fit, j), b = df(brute, fit, j);
                    assertTrue(a > 0 && Double.isFinite(a), formula + " df " + a);
                    assertEquals(b, a, 1e-6 * b, formula + (reml ? " REML" : " ML") + " df of " + fit.fixedNames()[j]);
                }
            }
        }
    }

    /** df = 2v²/(gᵀAg) of coefficient j. */
    private static double df(SatterthwaiteDerivatives.Derivatives d, FitResult fit, int j) {
        int p = fit.beta().length, m = d.jacobian().length;
        double v = fit.vcov()[j * p + j];
        double[] g = new double[m];
        for (int i = 0; i < m; i++) g[i] = d.jacobian()[i][j][j];
        double q = 0;
        for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) q += g[r] * d.twiceInverseHessian()[r][c] * g[c];
        return 2 * v * v / q;
    }

    /**
     * The reduced model's start: a term kept whole keeps its θ, a term that lost a column starts
     * at the Cholesky factor of its relative covariance restricted to the kept columns, and a
     * diagonal entry below 0.1 starts at 0.1.
     */
    @Test
    void reducedModelsStartFromTheFullFit() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 + x | a) + (1 | b)"), SharedTestsTest.simulated(31, 90));
        List<ReTerm> terms = d.terms();
        int ia = terms.get(0).group().equals("a") ? 0 : 1, ib = 1 - ia;
        ReTerm a = terms.get(ia), b = terms.get(ib);
        double[] theta = new double[4];
        int oa = ia == 0 ? 0 : 1, ob = ia == 0 ? 3 : 0;
        theta[oa] = 1.5;     // T₀₀
        theta[oa + 1] = 0.7; // T₁₀
        theta[oa + 2] = 2.0; // T₁₁
        theta[ob] = 1.2;
        // drop the slope: (1 | a) keeps Σ₀₀ = T₀₀², so T = 1.5; b keeps 1.2
        List<ReTerm> intercept = d.withTerms(List.of(a.keepColumns(new int[] {0}), b)).terms();
        double[] s = new ReducedStart(terms, intercept).from(theta);
        assertEquals(1.5, s[indexOf(intercept, "a")], 1e-15);
        assertEquals(1.2, s[indexOf(intercept, "b")], 1e-15);
        // keep the slope alone: Σ₁₁ = T₁₀² + T₁₁²
        List<ReTerm> slope = d.withTerms(List.of(a.keepColumns(new int[] {1}), b)).terms();
        assertEquals(Math.sqrt(0.49 + 4), new ReducedStart(terms, slope).from(theta)[indexOf(slope, "a")], 1e-15);
        // diagonal entries below 0.1 start at 0.1 (θ̂ = 0 would leave a scalar term's variance stuck at 0)
        theta[oa] = 0.05;
        theta[ob] = 0;
        List<ReTerm> onlyA = d.withTerms(List.of(a.keepColumns(new int[] {0}))).terms();
        assertEquals(0.1, new ReducedStart(terms, onlyA).from(theta)[0], 0);
        List<ReTerm> onlyB = d.withTerms(List.of(b)).terms();
        assertEquals(0.1, new ReducedStart(terms, onlyB).from(theta)[0], 0);
    }

    private static int indexOf(List<ReTerm> terms, String group) {
        for (int i = 0; i < terms.size(); i++) if (terms.get(i).group().equals(group)) return i;
        throw new AssertionError(group);
    }
}
