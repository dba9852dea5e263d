package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varpart.counts.WeightedFit;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;

/**
 * The bootstrap of a weighted fit's fractions, as the counts path runs it: {@link FractionBootstrap}
 * on the design scaled by √w with the weighted model's fractions. Checked against the definition
 * written out on the original scale — each replicate y* = Xβ̂ + Σ Zⱼb*ⱼ + ε*, ε*ᵢ of variance
 * σ̂²/wᵢ, from the same normal draws in the same order, refitted by {@link WeightedFit#fit} — replicate
 * by replicate. The two refits start from different places (θ̂ and the default start), so their
 * fractions agree to the optimiser's precision, compared at 1e-5 absolute.
 */
class WeightedBootstrapTest {
    @Test
    void scaledBootstrapDrawsResidualsOfVarianceSigma2OverW() {
        Design d = FractionBootstrapTest.design(FractionBootstrapTest.study(20, 4, 7));
        SplittableRandom rnd = new SplittableRandom(3);
        double[] w = new double[d.n()];
        for (int i = 0; i < w.length; i++) w[i] = Math.exp(1.2 * (rnd.nextDouble() - 0.5));
        double[] wr = WeightedFit.rescale(w);
        double[] y = FractionBootstrapTest.feature(d, new SplittableRandom(11));
        for (int i = 0; i < y.length; i++) y[i] += (1 / Math.sqrt(wr[i]) - 1) * 0.8 * Math.sin(i); // heteroscedastic noise
        FitResult fit = WeightedFit.fit(d, y, w, FractionBootstrapTest.ML);
        assertTrue(fit.status().hasEstimates());
        Design scaled = WeightedFit.scaled(d, y, wr);
        int replicates = 25;
        long seed = FractionBootstrap.seed(42, "g1");
        FractionBootstrap.Result b = FractionBootstrap.runWeighted(new BlockFitter(scaled, FractionBootstrapTest.ML), fit, replicates, seed,
                r -> VarianceFractions.compute(d, r, wr));
        assertEquals(replicates, b.usable());
        List<VarianceFractions.Component> own = VarianceFractions.compute(d, fit, w);
        for (int k = 0; k < own.size(); k++) assertEquals(own.get(k).fraction(), b.fractions()[k], 1e-12, own.get(k).name());
        // the definition on the original scale, the same draws in the same order
        ReplicateDraws.Normal normal = new ReplicateDraws.Normal(new SplittableRandom(seed));
        double[] mean = ReplicateDraws.fixedPart(d, fit.beta());
        double sigma = Math.sqrt(fit.sigma2());
        for (int r = 0; r < replicates; r++) {
            double[] ys = mean.clone();
            List<ReTerm> terms = d.terms();
            for (int t = 0; t < terms.size(); t++) {
                ReTerm term = terms.get(t);
                double[] u = new double[term.levels()];
                for (int l = 0; l < u.length; l++) u[l] = sigma * fit.theta()[t] * normal.next();
                for (int i = 0; i < d.n(); i++) ys[i] += u[term.code(i)];
            }
            for (int i = 0; i < d.n(); i++) ys[i] += sigma / Math.sqrt(wr[i]) * normal.next();
            FitResult rf = WeightedFit.fit(d, ys, w, FractionBootstrapTest.ML);
            List<VarianceFractions.Component> c = VarianceFractions.compute(d, rf, w);
            for (int k = 0; k < c.size(); k++) {
                assertEquals(c.get(k).fraction(), b.draws()[r][k], 1e-5, "replicate " + (r + 1) + ", " + c.get(k).name());
            }
        }
    }
}
