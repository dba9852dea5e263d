package org.varpart.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;

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
                         long evaluations) {

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
                    if (method == Method.LOGIT_BASIC && fractions[j] == 0) {
                        lo = 0;
                        hi = 1;
                    } else if (method == Method.LOGIT_BASIC) {
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
        if (method == Method.LOGIT_BASIC && !fitter.options().reml()) {
            if (!remlFitter.options().reml() || remlFitter.design() != fitter.design()) {
                throw new IllegalArgumentException("the REML fitter must fit the same design by REML");
            }
            FitResult reml = remlFitter.fit("REML", y, fit.theta());
            if (reml.status().hasEstimates()) return run(remlFitter, reml, replicates, seed);
        }
        return run(fitter, fit, replicates, seed);
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

    /** As {@link #run(BlockFitter, FitResult, int, long)}; refits from θ̂ if {@code fromTheta}, else from every fit's start. */
    public static Result run(BlockFitter fitter, FitResult fit, int replicates, long seed, boolean fromTheta) {
        return run(fitter, fit, replicates, seed, fromTheta, r -> VarianceFractions.compute(fitter.design(), r));
    }

    /**
     * As {@link #run(BlockFitter, FitResult, int, long, boolean)}, each fit's fractions given by
     * {@code fractionsOf}: for a weighted model the fitter's design is the one scaled by √w (see
     * {@code counts.WeightedFit}), whose draws ε* = σ̂z' are residuals of variance σ̂²/wᵢ on the
     * scale of y, and the fractions are those of the weighted model on the original design.
     */
    public static Result run(BlockFitter fitter, FitResult fit, int replicates, long seed, boolean fromTheta,
                             java.util.function.Function<FitResult, List<VarianceFractions.Component>> fractionsOf) {
        if (!fit.status().hasEstimates()) throw new IllegalArgumentException("fit has no estimates: " + fit.status());
        if (replicates < 1) throw new IllegalArgumentException("replicates must be at least 1, got " + replicates);
        Design d = fitter.design();
        List<VarianceFractions.Component> own = fractionsOf.apply(fit);
        int k = own.size();
        double[] mean = fixedPart(d, fit.beta());
        double[][] factors = relativeFactors(d, fit.theta());
        Normal normal = new Normal(new SplittableRandom(seed));
        double[][] draws = new double[replicates][];
        int usable = 0;
        long evaluations = 0;
        for (int r = 0; r < replicates; r++) {
            double[] y = simulate(d, mean, factors, Math.sqrt(fit.sigma2()), normal);
            FitResult rf = fromTheta ? fitter.fit("replicate " + (r + 1), y, fit.theta()) : fitter.fit("replicate " + (r + 1), y);
            evaluations += rf.evaluations();
            draws[r] = new double[k];
            if (!rf.status().hasEstimates()) {
                Arrays.fill(draws[r], Double.NaN);
                continue;
            }
            List<VarianceFractions.Component> c = fractionsOf.apply(rf);
            for (int j = 0; j < k; j++) draws[r][j] = c.get(j).fraction();
            usable++;
        }
        List<String> names = own.stream().map(VarianceFractions.Component::name).toList();
        double[] fractions = own.stream().mapToDouble(VarianceFractions.Component::fraction).toArray();
        return new Result(names, fractions, replicates, usable, draws, evaluations);
    }

    /** Xβ, per observation. */
    static double[] fixedPart(Design d, double[] beta) {
        double[] f = new double[d.n()];
        for (int j = 0; j < d.p(); j++) {
            for (int i = 0; i < d.n(); i++) f[i] += d.x(i, j) * beta[j];
        }
        return f;
    }

    /**
     * Each term's relative factor T (c × c lower triangular, column-major) from θ, which lists
     * term by term the lower triangle of T column by column, as lme4 lays it out.
     */
    static double[][] relativeFactors(Design d, double[] theta) {
        List<ReTerm> terms = d.terms();
        double[][] out = new double[terms.size()][];
        int pos = 0;
        for (int t = 0; t < terms.size(); t++) {
            int c = terms.get(t).columns();
            double[] tm = new double[c * c];
            for (int col = 0; col < c; col++) {
                for (int row = col; row < c; row++) tm[col * c + row] = theta[pos++];
            }
            out[t] = tm;
        }
        if (pos != theta.length) throw new IllegalArgumentException("θ has " + theta.length + " entries, the design " + pos);
        return out;
    }

    /** One simulated response: the fixed part, σ̂·Tⱼz per level of each term, σ̂·z' per observation. */
    static double[] simulate(Design d, double[] mean, double[][] factors, double sigma, Normal normal) {
        int n = d.n();
        double[] y = mean.clone();
        List<ReTerm> terms = d.terms();
        for (int t = 0; t < terms.size(); t++) {
            ReTerm term = terms.get(t);
            int c = term.columns();
            double[] tm = factors[t];
            double[] b = new double[term.levels() * c];
            double[] z = new double[c];
            for (int l = 0; l < term.levels(); l++) {
                for (int a = 0; a < c; a++) z[a] = normal.next();
                for (int row = 0; row < c; row++) {
                    double s = 0;
                    for (int col = 0; col <= row; col++) s += tm[col * c + row] * z[col];
                    b[l * c + row] = sigma * s;
                }
            }
            for (int i = 0; i < n; i++) {
                int base = term.code(i) * c;
                for (int a = 0; a < c; a++) y[i] += term.z(i, a) * b[base + a];
            }
        }
        for (int i = 0; i < n; i++) y[i] += sigma * normal.next();
        return y;
    }

    /** R's default sample quantile (type 7) of sorted values: linear between order statistics. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Standard normal draws by the Box–Muller transform, both values of each pair used. */
    static final class Normal {
        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        Normal(SplittableRandom random) {
            this.random = random;
        }

        double next() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u1 = 1.0 - random.nextDouble(); // in (0, 1]: log is finite
            double u2 = random.nextDouble();
            double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
            spare = r * StrictMath.sin(2 * Math.PI * u2);
            hasSpare = true;
            return r * StrictMath.cos(2 * Math.PI * u2);
        }
    }
}
