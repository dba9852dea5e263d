package org.varpart.lmm;

/**
 * How to fit: the criterion and the optimiser's settings, with lme4's defaults. Immutable; the
 * values used are recorded with each result.
 *
 * @param reml REML (true, lme4's default) or maximum likelihood
 * @param maxEvaluations the most objective evaluations the optimiser may use
 * @param tolerance the optimiser's final trust-region radius in θ (BOBYQA's ρ_end)
 * @param checkConvergence whether to run lme4's gradient check at the optimum
 * @param conditionalVariances whether to compute the conditional variances of the random effects
 */
public record FitOptions(boolean reml, Optimizer optimizer, int maxEvaluations, double tolerance,
                         boolean checkConvergence, boolean conditionalVariances) implements java.io.Serializable {

    /** The optimiser over θ. */
    public enum Optimizer {
        /** Powell's BOBYQA, lme4's default: derivative-free, bounded. */
        BOBYQA,
        /**
         * Projected BFGS with finite-difference gradients, polished by a Newton step on the
         * finite-difference Hessian; far less work per evaluation, the same optimum.
         */
        QUASI_NEWTON
    }

    /** A fit is singular when a diagonal entry of some T ends below this (lme4's rule). */
    public static final double SINGULAR_TOLERANCE = 1e-4;
    /** lme4's tolerance for the scaled gradient at the optimum. */
    public static final double GRADIENT_TOLERANCE = 2e-3;

    public FitOptions {
        if (maxEvaluations < 10) throw new IllegalArgumentException("maxEvaluations must be at least 10, got " + maxEvaluations);
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
        java.util.Objects.requireNonNull(optimizer, "optimizer");
    }

    /** REML with lme4's defaults. */
    public static FitOptions remlDefaults() {
        return new FitOptions(true, Optimizer.QUASI_NEWTON, 100_000, 1e-8, true, true);
    }

    /** Maximum likelihood with lme4's defaults. */
    public static FitOptions mlDefaults() {
        return new FitOptions(false, Optimizer.QUASI_NEWTON, 100_000, 1e-8, true, true);
    }

    public FitOptions withReml(boolean r) {
        return new FitOptions(r, optimizer, maxEvaluations, tolerance, checkConvergence, conditionalVariances);
    }

    public FitOptions withOptimizer(Optimizer o) {
        return new FitOptions(reml, o, maxEvaluations, tolerance, checkConvergence, conditionalVariances);
    }

    /** The same options without the conditional variances of the random effects (the job needs none). */
    public FitOptions withoutConditionalVariances() {
        return new FitOptions(reml, optimizer, maxEvaluations, tolerance, checkConvergence, false);
    }

    public String criterion() {
        return reml ? "REML" : "ML";
    }
}
