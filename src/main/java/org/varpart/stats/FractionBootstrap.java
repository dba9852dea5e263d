package org.varpart.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.SplittableRandom;
import org.varpart.design.Design;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.Refit;

/**
 * Intervals for the variance fractions of one feature by a parametric bootstrap
 * (lme4's {@code bootMer} with {@code use.u = FALSE}): from the fit's estimates β̂, θ̂ and σ̂,
 * each replicate draws new random effects and residuals,
 * <pre>
 *   y* = Xβ̂ + Σⱼ Zⱼ b*ⱼ + ε*,    b*ⱼ,level = σ̂ Tⱼ(θ̂) z,    ε* = σ̂ z',    z, z' ~ N(0, I),
 * </pre>
 * refits y* on the same design (the same observations, hence the same missingness pattern) with
 * the same criterion, starting at θ̂, and recomputes every fraction ({@link VarianceFractions}).
 * The default reading, {@link Method#LOGIT_BASIC}, bootstraps the feature's REML fit with REML
 * refits ({@link #run(Method, BlockFitter, BlockFitter, FitResult, double[], int, long)}). The intervals
 * ({@link Result#intervals}) use the replicates whose refit has estimates (singular ones
 * included: a fraction of 0 is a legitimate draw) and R's default quantile (type 7) at
 * (1−L)/2 and (1+L)/2 for level L, read as the percentile interval or reflected on the logit
 * scale ({@link Method}).
 *
 * <p>Deterministic: the random stream is SplitMix64 ({@link SplittableRandom}, whose algorithm
 * Java specifies) seeded from the run's seed and the feature ID ({@link #seed}), and the normal
 * draws are Box–Muller on its doubles with {@link StrictMath}, so a rerun, a resume or a retried
 * task draws the same replicates on any JVM, and gets the same interval wherever the refits
 * round alike (the same BLAS). Draw order: per replicate, the terms in the design's order, level by level
 * and column by column, then the n residuals.
 *
 * <p>Unlike variancePartition's {@code varPartConfInf}, which calls {@code bootMer} with
 * {@code use.u = TRUE} (the estimated random effects held fixed, only residuals redrawn), the
 * random effects are redrawn: holding them fixed cannot reflect the uncertainty of a variance
 * estimated from a few levels, which is the uncertainty that matters most here.
 */
public final class FractionBootstrap {

    private FractionBootstrap() {}

    /**
     * One component's interval.
     *
     * @param component as in {@link VarianceFractions}: {@code patient}, {@code age}, {@code Residuals}
     * @param fraction the fit's own fraction
     * @param lower the interval's lower bound by its {@link Method} (NaN with fewer than two usable replicates)
     * @param upper its upper bound
     */
    public record Interval(String component, double fraction, double lower, double upper) {}

    /** How the interval is read off the replicates' quantiles q_lo = q((1−L)/2) and q_hi = q((1+L)/2). */
    public enum Method {
        /** [q_lo, q_hi]: the percentile interval (bootMer's "perc", varPartConfInf's). */
        PERCENTILE,
        /**
         * The basic bootstrap interval on the logit scale (Davison and Hinkley 1997, §5.2):
         * with e = logit of the fit's fraction, [logit⁻¹(2e − logit q_hi), logit⁻¹(2e − logit q_lo)].
         * It reflects the replicates about the estimate, so that an estimate that lies low
         * (a variance from few levels) gets an interval reaching up to the truth, where the
         * percentile interval stays as low as the estimate. A quantile at 0 (more than (1−L)/2 of
         * the replicates singular for the component) reflects to an upper bound of 1: the
         * bootstrap cannot bound that component from above. A component estimated at exactly 0
         * gets [0, 1], the limit of the interval as the estimate goes to 0 (its lower quantile is
         * then 0). {@link #run(Method, BlockFitter, BlockFitter, FitResult, double[], int, long)}
         * draws its replicates from the REML fit, with REML refits: the ML variance from q levels
         * is biased low by about (q − 1)/q, and with few levels that bias is no longer a pivot.
         * A fixed term's fraction is read by the percentile interval [q_lo, q_hi] of the same
         * replicates: it is a function of β̂, whose error β̂ − β is symmetric, so the
         * percentile interval (which respects any monotone transformation) fits it, where the
         * reflection about the estimate, which is biased up by Var β̂, lands too high.
         */
        LOGIT_BASIC
    }

    /**
     * The bootstrap of one feature.
     *
     * @param components the components, in {@link VarianceFractions}' order
     * @param fractions the fit's own fraction of each component
     * @param replicates the replicates drawn
     * @param usable the replicates whose refit had estimates (the intervals' basis)
     * @param draws each replicate's fractions, replicate by replicate in the components' order
     *     (NaN for a replicate without estimates)
     * @param evaluations the objective evaluations of all refits together
     */
    public record Result(List<String> components, double[] fractions, int replicates, int usable, double[][] draws,
                         long evaluations, boolean[] fixedTerms) {

        /** A bootstrap without fixed-term components. */
        public Result(List<String> components, double[] fractions, int replicates, int usable, double[][] draws, long evaluations) {
            this(components, fractions, replicates, usable, draws, evaluations, new boolean[components.size()]);
        }

        /** The intervals at the given level, one per component (NaN bounds with fewer than two usable replicates). */
        public List<Interval> intervals(double level, Method method) {
            if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
            List<Interval> out = new ArrayList<>(components.size());
            for (int j = 0; j < components.size(); j++) {
                double[] x = new double[usable];
                int m = 0;
                for (double[] row : draws) if (!Double.isNaN(row[j])) x[m++] = row[j];
                Arrays.sort(x);
                double lo = Double.NaN, hi = Double.NaN;
                if (usable >= 2) {
                    lo = quantile(x, (1 - level) / 2);
                    hi = quantile(x, (1 + level) / 2);
                    // LOGIT_BASIC reads a fixed term's fraction by the percentile interval (see Method)
                    boolean reflected = method == Method.LOGIT_BASIC && !fixedTerms[j];
                    if (reflected && fractions[j] == 0) {
                        lo = 0;
                        hi = 1;
                    } else if (reflected) {
                        double e = fractions[j];
                        double rLo = reflect(e, hi), rHi = reflect(e, lo);
                        lo = Double.isNaN(rLo) ? lo : rLo;
                        hi = Double.isNaN(rHi) ? hi : rHi;
                    }
                }
                out.add(new Interval(components.get(j), fractions[j], lo, hi));
            }
            return List.copyOf(out);
        }
    }

    /**
     * logit⁻¹(2·logit e − logit q); its limits 1 for q = 0 and 0 for q = 1; NaN when e is not
     * inside (0, 1).
     */
    static double reflect(double e, double q) {
        if (!(e > 0 && e < 1)) return Double.NaN;
        if (q <= 0) return 1;
        if (q >= 1) return 0;
        double z = 2 * Math.log(e / (1 - e)) - Math.log(q / (1 - q));
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * A feature's seed from the run's seed and its ID: the 64-bit FNV-1a hash of the ID's UTF-8
     * bytes, combined with the run seed through SplitMix64's finaliser, so nearby IDs and seeds
     * give unrelated streams.
     */
    public static long seed(long runSeed, String featureId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : featureId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(mix(runSeed) ^ h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The bootstrap {@code method} reads. {@link Method#PERCENTILE}: from the feature's fit, refits
     * by its criterion (as {@code varPartConfInf}, apart from redrawing the random effects).
     * {@link Method#LOGIT_BASIC}: from the feature's REML fit (started at the fit's θ̂), with
     * REML refits, so the intervals are centred on the REML fractions; when that fit has no
     * estimates, from the feature's own fit.
     *
     * @param remlFitter a REML fitter of the same design; unused when {@code fitter} fits by REML
     * @param y the feature's response on that design
     */
    public static Result run(Method method, BlockFitter fitter, BlockFitter remlFitter, FitResult fit, double[] y,
                             int replicates, long seed) {
        return run(method, fitter, remlFitter, fit, y, replicates, seed, true);
    }

    /** As above; {@code lean} as in {@link #run(BlockFitter, FitResult, int, long, boolean)}. */
    public static Result run(Method method, BlockFitter fitter, BlockFitter remlFitter, FitResult fit, double[] y,
                             int replicates, long seed, boolean lean) {
        if (method == Method.LOGIT_BASIC && !fitter.options().reml()) {
            if (!remlFitter.options().reml() || remlFitter.design() != fitter.design()) {
                throw new IllegalArgumentException("the REML fitter must fit the same design by REML");
            }
            FitResult reml = remlFitter.fit("REML", y, fit.theta());
            if (reml.status().hasEstimates()) return run(remlFitter, reml, replicates, seed, lean);
        }
        return run(fitter, fit, replicates, seed, lean);
    }

    /**
     * Bootstraps one feature from its fit, each replicate refitted from the fit's θ̂.
     *
     * @param fitter the fitter of the feature's design (its options give the criterion)
     * @param fit the feature's fit on that design; must have estimates
     * @param replicates the number of replicates (at least 1)
     * @param seed the feature's seed, {@link #seed}
     */
    public static Result run(BlockFitter fitter, FitResult fit, int replicates, long seed) {
        return run(fitter, fit, replicates, seed, true);
    }

    /**
     * As {@link #run(BlockFitter, FitResult, int, long)}. Per feature, what depends only on the
     * design and the fit is formed once (T(θ̂), the design's centred cross-products); per
     * replicate, e = y* − Xβ̂ is drawn and, if {@code lean}, refitted from θ̂ for θ̂, β̂ and σ̂² only
     * ({@link BlockFitter#refit}, fractions by {@link ReplicateFractions}); otherwise y* gets the
     * full fit from θ̂ ({@link BlockFitter#fit}, fractions by {@link VarianceFractions}), the same
     * numbers to the optimiser's tolerance, kept to measure what the lean refit saves.
     */
    public static Result run(BlockFitter fitter, FitResult fit, int replicates, long seed, boolean lean) {
        return run(fitter, fit, replicates, seed, lean, null);
    }

    /**
     * As {@link #run(BlockFitter, FitResult, int, long)}, each replicate fully refitted from θ̂ and
     * its fractions given by {@code fractionsOf}: for a weighted model the fitter's design is the
     * one scaled by √w (see {@code counts.WeightedFit}), whose draws ε* = σ̂z' are residuals of
     * variance σ̂²/wᵢ on the scale of y, and the fractions are those of the weighted model on the
     * original design.
     */
    public static Result runWeighted(BlockFitter fitter, FitResult fit, int replicates, long seed,
                                     Function<FitResult, List<VarianceFractions.Component>> fractionsOf) {
        return run(fitter, fit, replicates, seed, false, fractionsOf);
    }

    private static Result run(BlockFitter fitter, FitResult fit, int replicates, long seed, boolean lean,
                              Function<FitResult, List<VarianceFractions.Component>> given) {
        Function<FitResult, List<VarianceFractions.Component>> fractionsOfFit =
                given != null ? given : r -> VarianceFractions.compute(fitter.design(), r);
        if (!fit.status().hasEstimates()) throw new IllegalArgumentException("fit has no estimates: " + fit.status());
        if (replicates < 1) throw new IllegalArgumentException("replicates must be at least 1, got " + replicates);
        Design d = fitter.design();
        List<VarianceFractions.Component> own = fractionsOfFit.apply(fit);
        int k = own.size();
        ReplicateFractions fractionsOf = new ReplicateFractions(d);
        if (fractionsOf.size() != k) throw new IllegalStateException("components: " + fractionsOf.size() + " != " + k);
        double[] xb = lean ? null : ReplicateDraws.fixedPart(d, fit.beta()), zero = new double[d.n()];
        double[][] factors = ReplicateDraws.relativeFactors(d, fit.theta());
        double sigma = Math.sqrt(fit.sigma2());
        ReplicateDraws.Normal normal = new ReplicateDraws.Normal(new SplittableRandom(seed));
        double[][] draws = new double[replicates][k];
        int usable = 0;
        long evaluations = 0;
        for (int r = 0; r < replicates; r++) {
            double[] y = ReplicateDraws.simulate(d, zero, factors, sigma, normal);
            if (lean) {
                Refit.Estimates e = fitter.refit(y, fit.theta(), fit.beta());
                evaluations += e.evaluations();
                if (!e.status().hasEstimates()) {
                    Arrays.fill(draws[r], Double.NaN);
                    continue;
                }
                fractionsOf.of(e.theta(), e.beta(), e.sigma2(), draws[r]);
            } else {
                for (int i = 0; i < y.length; i++) y[i] += xb[i];
                FitResult rf = fitter.fit("replicate " + (r + 1), y, fit.theta());
                evaluations += rf.evaluations();
                if (!rf.status().hasEstimates()) {
                    Arrays.fill(draws[r], Double.NaN);
                    continue;
                }
                List<VarianceFractions.Component> c = fractionsOfFit.apply(rf);
                for (int j = 0; j < k; j++) draws[r][j] = c.get(j).fraction();
            }
            usable++;
        }
        List<String> names = own.stream().map(VarianceFractions.Component::name).toList();
        double[] fractions = own.stream().mapToDouble(VarianceFractions.Component::fraction).toArray();
        boolean[] fixed = new boolean[k]; // VarianceFractions' order: random columns, fixed terms, residuals
        long nFixed = d.fixedTerms().stream().filter(t -> !t.equals("(Intercept)")).count();
        for (int j = (int) (k - 1 - nFixed); j < k - 1; j++) fixed[j] = true;
        return new Result(names, fractions, replicates, usable, draws, evaluations, fixed);
    }

    /** R's default sample quantile (type 7) of sorted values: linear between order statistics. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

}
