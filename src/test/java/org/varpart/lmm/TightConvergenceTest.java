package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.varpart.io.TableReader;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/**
 * Fits stop where the criterion is stationary to far below lme4's tolerance, so that the
 * estimates do not depend on the rounding of the BLAS: on every corpus model with an interior
 * optimum, by REML and by ML, the exact gradient at the returned θ̂, scaled as the optimiser
 * scales it (|gᵢ|·max(1, |θᵢ|), coordinates on their bound left out), is at most 1e-6 — the
 * search stops at 1e-7, and the gradient here is recomputed on the blocked Cholesky path, on the
 * response as the fit sees it (less its least-squares fit on X). A stop at lme4's own tolerance (2e-3) fails this by orders of magnitude.
 */
class TightConvergenceTest {
    static final double BOUND = 1e-6;

    @Test
    void theGradientVanishesAtEveryInteriorOptimum() {
        StringBuilder failures = new StringBuilder();
        for (CorpusTest.Model m : CorpusTest.models()) {
            Design d = DesignBuilder.build(ModelSpec.parse(m.formula()), TableReader.read(CorpusTest.ROOT.resolve("data").resolve(m.data())));
            for (boolean reml : new boolean[] {true, false}) {
                FitResult r = MixedModel.fit(d, reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults());
                if (r.status() != FitStatus.OK) continue; // boundary fits: the gradient need not vanish
                double worst = scaledGradient(d, r.theta(), reml);
                if (!(worst <= BOUND)) {
                    failures.append(String.format(Locale.ROOT, "%s %s: scaled gradient %.2e at θ̂%n", m.name(), reml ? "REML" : "ML", worst));
                }
            }
        }
        assertTrue(failures.length() == 0, failures.toString());
    }

    /**
     * The same for weighted fits (the counts path's {@code WeightedFit}: the unweighted engine
     * on the design scaled by √w), with uneven weights on corpus models.
     */
    @Test
    void weightedFitsConvergeAsTightly() {
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (CorpusTest.Model m : CorpusTest.models()) {
            if (!List.of("sleepstudy_slope", "penicillin_crossed", "grouseticks", "omics_large_theta_2", "machines_nested").contains(m.name())) continue;
            Design d = DesignBuilder.build(ModelSpec.parse(m.formula()), TableReader.read(CorpusTest.ROOT.resolve("data").resolve(m.data())));
            double[] w = new double[d.n()];
            for (int i = 0; i < w.length; i++) w[i] = 0.5 + (i % 7);
            Design scaled = org.varpart.counts.WeightedFit.scaled(d, d.y(), org.varpart.counts.WeightedFit.rescale(w));
            for (boolean reml : new boolean[] {true, false}) {
                FitResult r = MixedModel.fit(scaled, reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults());
                if (r.status() != FitStatus.OK) continue;
                checked++;
                double worst = scaledGradient(scaled, r.theta(), reml);
                if (!(worst <= BOUND)) {
                    failures.append(String.format(Locale.ROOT, "weighted %s %s: scaled gradient %.2e at θ̂%n", m.name(), reml ? "REML" : "ML", worst));
                }
            }
        }
        assertTrue(checked >= 6, "only " + checked + " interior weighted fits");
        assertTrue(failures.length() == 0, failures.toString());
    }

    /** max |gᵢ|·max(1, |θᵢ|) over the coordinates above their bound, g the exact gradient at θ. */
    static double scaledGradient(Design d, double[] theta, boolean reml) {
        LmmModel md = new LmmModel(d);
        // the response as the fit sees it: y less its least-squares fit on X
        ResponseShift shift = new ResponseShift(d, md.xtx());
        ResponseStatistics y = ResponseStatistics.of(d, d.y());
        md.setResponse(shift.shifted(y, shift.coefficients(y)));
        double[] g = new double[theta.length];
        assertTrue(CriterionGradient.at(md, theta, reml, g), "the factorisation failed at θ̂");
        double[] lower = md.lowerBounds();
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            if (theta[i] <= lower[i]) continue;
            worst = Math.max(worst, Math.abs(g[i]) * Math.max(1, Math.abs(theta[i])));
        }
        return worst;
    }
}
