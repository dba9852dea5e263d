package org.varpart.counts;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.ResponseStatistics;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;

/**
 * One feature's dream fit: the weighted mixed model (REML by default, as {@code dream}), the
 * Satterthwaite t test of every coefficient and of every contrast (lmerTest's {@code contest} on
 * the weighted fit), and the residual degrees of freedom {@link ResidualDf} that the moderation
 * needs. Never throws for a problem of the data: a fit without estimates comes back with no tests.
 * <p>On request, also the tests a log-scale assay's fit gets: the type III F test of each fixed
 * term (lmerTest's {@code anova} on the weighted fit) and the likelihood-ratio test of each
 * random-effects component (lmerTest's {@code ranova}, each reduced model refitted with the same
 * weights). Both are computed on the scaled model (y, X, Z times √w), whose criterion differs from
 * the weighted model's by Σ log wᵢ for every model with these weights, so the differences of
 * criteria, and with them the statistics, are the weighted model's.
 */
public final class DreamFit {
    /** A test of a coefficient ({@code contrast} false) or of a contrast. */
    public record Test(String name, boolean contrast, double estimate, double stdError, double df, double t, double p) {}

    /**
     * The fit, its tests and its residual df (NaN without estimates); the F tests of the fixed
     * terms and the component tests when asked for (empty otherwise, or without estimates).
     */
    public record Result(FitResult fit, List<Test> tests, double residualDf, List<Satterthwaite.FTest> terms,
                         List<RandomTermTests.Test> components) {
        /** Without the term and component tests. */
        public Result(FitResult fit, List<Test> tests, double residualDf) {
            this(fit, tests, residualDf, List.of(), List.of());
        }
    }

    private DreamFit() {}

    /**
     * @param d the design on the original scale
     * @param y the feature's log-CPM values
     * @param w its precision weights (rescaled to mean 1 here)
     */
    public static Result fit(Design d, double[] y, double[] w, List<Contrast> contrasts, FitOptions options) {
        return fit(d, y, w, contrasts, options, false);
    }

    /**
     * As {@link #fit(Design, double[], double[], List, FitOptions)}, with the F tests of the fixed
     * terms and the likelihood-ratio tests of the components when {@code termTests} is true.
     */
    public static Result fit(Design d, double[] y, double[] w, List<Contrast> contrasts, FitOptions options, boolean termTests) {
        double[] wr = WeightedFit.rescale(w);
        if (wr == null) return new Result(WeightedFit.fit(d, y, w, options), List.of(), Double.NaN);
        Design scaled = WeightedFit.scaled(d, y, wr);
        return onScaled(scaled, new BlockFitter(scaled, options), y, wr, contrasts, termTests);
    }

    /** A feature's two weighted fits: the ML fit (the fractions) and dream's REML fit with its tests. */
    public record Both(FitResult ml, Result dream) {}

    /**
     * The weighted ML fit ({@link WeightedFit#fit} with {@code ml}) and dream's fit
     * ({@link #fit(Design, double[], double[], List, FitOptions, boolean)} with {@code reml}) of one
     * feature, the numbers of the two calls (up to the last bits: the shared model is left in
     * another state between fits), with the work that does not depend on the
     * criterion done once: one scaled design, one set of its cross-products and Schur sums, shared
     * by both fitters, by the Satterthwaite derivatives and by the component tests' full model.
     */
    public static Both fitBoth(Design d, double[] y, double[] w, List<Contrast> contrasts, FitOptions ml, FitOptions reml,
                               boolean termTests) {
        double[] wr = WeightedFit.rescale(w);
        if (wr == null) return new Both(WeightedFit.fit(d, y, w, ml), fit(d, y, w, contrasts, reml, termTests));
        Design scaled = WeightedFit.scaled(d, y, wr);
        BlockFitter mlFitter = new BlockFitter(scaled, ml);
        FitResult mlFit = WeightedFit.onOriginalScale(mlFitter.fit(scaled.response(), scaled.y()), y, wr);
        return new Both(mlFit, onScaled(scaled, mlFitter.withOptions(reml), y, wr, contrasts, termTests));
    }

    /** Dream's fit and tests on the scaled design, fitted by {@code fitter} (of that design). */
    private static Result onScaled(Design scaled, BlockFitter fitter, double[] y, double[] wr, List<Contrast> contrasts,
                                   boolean termTests) {
        FitResult scaledFit = fitter.fit(scaled.response(), scaled.y());
        FitResult fit = WeightedFit.onOriginalScale(scaledFit, y, wr);
        if (!fit.status().hasEstimates()) return new Result(fit, List.of(), Double.NaN);
        boolean reml = fitter.options().reml();
        Satterthwaite sat = new Satterthwaite(fitter.probe(), scaledFit, scaled.y(), reml);
        List<Test> tests = new ArrayList<>();
        for (Satterthwaite.TTest t : sat.coefficientTests(fit.fixedNames())) {
            tests.add(new Test(t.name(), false, t.estimate(), t.stdError(), t.df(), t.t(), t.p()));
        }
        for (Contrast c : contrasts) tests.add(contrastTest(c, fit, sat));
        double rdf = ResidualDf.of(scaled, fit.theta());
        if (!termTests) return new Result(fit, tests, rdf);
        List<RandomTermTests.Test> components = new RandomTermTests(fitter).compute(scaledFit, ResponseStatistics.of(scaled, scaled.y()));
        return new Result(fit, tests, rdf, sat.termTests(scaled), components);
    }

    private static Test contrastTest(Contrast c, FitResult fit, Satterthwaite sat) {
        double[] l = c.vector(fit.fixedNames());
        int p = l.length;
        double est = 0, v = 0;
        for (int i = 0; i < p; i++) {
            est += l[i] * fit.beta()[i];
            for (int j = 0; j < p; j++) v += l[i] * fit.vcov()[j * p + i] * l[j];
        }
        double se = Math.sqrt(v), df = sat.df(l), t = est / se;
        return new Test(c.label(), true, est, se, df, t, org.varpart.stats.ModeratedT.twoSidedP(t, df));
    }
}
