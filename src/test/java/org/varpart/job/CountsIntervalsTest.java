package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varpart.counts.DreamFit;
import org.varpart.counts.WeightedFit;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.FractionBootstrap;

/**
 * The intervals of a weighted feature ({@link CountsIntervals}): with every weight equal they are
 * a log-scale feature's ({@link FeatureIntervals}, the same seed, the same replicates), by either
 * method, up to the refits' optimiser precision (1e-6 absolute on the bounds: the weighted path
 * starts the REML replicates from dream's own REML fit, the log-scale path from a REML refit
 * started at the ML θ̂). With unequal weights each bound is a fraction and brackets the feature's own.
 * (That the bootstrap draws residuals of variance σ̂²/wᵢ is checked in {@code stats.WeightedBootstrapTest}.)
 */
class CountsIntervalsTest {
    private static final FitOptions ML = FitOptions.mlDefaults().withoutConditionalVariances();
    private static final FitOptions REML = FitOptions.remlDefaults().withoutConditionalVariances();

    private static Design design() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 60;
        String[] sample = new String[n], patient = new String[n], batch = new String[n], age = new String[n];
        for (int i = 0; i < n; i++) {
            sample[i] = "S" + i;
            patient[i] = "P" + (i / 4);
            batch[i] = "B" + rnd.nextInt(4);
            age[i] = String.format(Locale.ROOT, "%.1f", 20 + 60 * rnd.nextDouble());
        }
        List<String[]> cols = new ArrayList<>(List.of(sample, patient, batch, age));
        DataTable t = DataTable.fromText("study", List.of("sample", "patient", "batch", "age"), cols);
        return DesignBuilder.build(ModelSpec.parse("y ~ age + (1 | patient) + (1 | batch)"), t, "y", new double[n]);
    }

    private static double[] response(Design d) {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] up = new double[20], ub = new double[4];
        for (int i = 0; i < up.length; i++) up[i] = rnd.nextGaussian();
        for (int i = 0; i < ub.length; i++) ub[i] = 0.7 * rnd.nextGaussian();
        double[] y = new double[d.n()];
        for (int i = 0; i < y.length; i++) {
            y[i] = 5 + 0.03 * d.x(i, 1) + up[d.terms().get(0).code(i)] + ub[d.terms().get(1).code(i)] + rnd.nextGaussian();
        }
        return y;
    }

    @Test
    void equalWeightsGiveTheLogScaleIntervals() {
        Design d = design();
        double[] y = response(d), w = new double[d.n()];
        Arrays.fill(w, 2.5);
        for (FractionBootstrap.Method m : FractionBootstrap.Method.values()) {
            IntervalSettings s = new IntervalSettings(true, 40, 0.9, m, 5);
            BlockFitter fitter = new BlockFitter(d, ML);
            FitResult plain = fitter.fit("g", y);
            FeatureResult.Intervals expected = FeatureIntervals.of(fitter, plain, y, s, "a", "g");
            FitResult ml = WeightedFit.fit(d, y, w, ML);
            FitResult reml = DreamFit.fit(d, y, w, List.of(), REML).fit();
            FeatureResult.Intervals got = CountsIntervals.of(d, y, w, ml, reml, s, "a", "g");
            assertEquals(expected.note(), got.note(), m.toString());
            assertEquals(expected.intervals().size(), got.intervals().size());
            for (int k = 0; k < got.intervals().size(); k++) {
                FractionBootstrap.Interval e = expected.intervals().get(k), g = got.intervals().get(k);
                assertEquals(e.component(), g.component());
                assertEquals(e.lower(), g.lower(), 1e-6, m + " lower " + e.component());
                assertEquals(e.upper(), g.upper(), 1e-6, m + " upper " + e.component());
            }
        }
    }

    @Test
    void unequalWeightsGiveIntervalsAroundTheFractions() {
        Design d = design();
        double[] y = response(d), w = new double[d.n()];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < w.length; i++) w[i] = Math.exp(rnd.nextGaussian());
        FitResult ml = WeightedFit.fit(d, y, w, ML);
        FitResult reml = DreamFit.fit(d, y, w, List.of(), REML).fit();
        IntervalSettings s = new IntervalSettings(true, 60, 0.95, FractionBootstrap.Method.PERCENTILE, 5);
        FeatureResult.Intervals got = CountsIntervals.of(d, y, w, ml, reml, s, "a", "g");
        assertNotNull(got.intervals(), got.note());
        var own = org.varpart.stats.VarianceFractions.compute(d, ml, w);
        for (int k = 0; k < own.size(); k++) {
            FractionBootstrap.Interval i = got.intervals().get(k);
            assertTrue(i.lower() >= 0 && i.upper() <= 1 && i.lower() < i.upper(), i.toString());
            assertTrue(i.lower() <= own.get(k).fraction() + 1e-9 && own.get(k).fraction() <= i.upper() + 1e-9, i + " vs " + own.get(k));
        }
    }
}
