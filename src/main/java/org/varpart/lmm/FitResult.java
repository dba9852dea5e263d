package org.varpart.lmm;

import java.util.List;

/**
 * Everything a fit reports. For a status without estimates ({@link FitStatus#hasEstimates()}
 * false) only {@code status}, {@code messages}, {@code criterion} and {@code nObs} are set.
 *
 * @param status the outcome
 * @param messages notes and warnings, e.g. lme4's "boundary (singular) fit"
 * @param criterion {@code REML} or {@code ML}
 * @param nObs observations used
 * @param objective the REML criterion or ML deviance at the optimum
 * @param logLikelihood −objective/2
 * @param aic objective + 2·npar, npar = #θ + p + 1
 * @param bic objective + log(n)·npar
 * @param evaluations evaluations of the criterion and of its analytic gradient (one each) used by
 *     the optimiser, lme4's convergence check included
 * @param converged whether the optimiser finished and passed the gradient check
 * @param singular whether a diagonal entry of some T is below 1e-4
 * @param theta θ̂
 * @param fixedNames names of the fixed-effects columns
 * @param beta β̂
 * @param vcov Var(β̂) = σ̂²(R_XᵀR_X)⁻¹, p × p column-major
 * @param sigma2 σ̂², the residual variance
 * @param varComps the covariance of each random-effects term, in lme4's term order
 * @param randomEffects the conditional modes of each term
 * @param fitted fitted values Xβ̂ + Zb̂ per observation
 * @param residuals y − fitted per observation
 */
public record FitResult(FitStatus status, List<String> messages, String criterion, int nObs,
                        double objective, double logLikelihood, double aic, double bic,
                        int evaluations, boolean converged, boolean singular,
                        double[] theta, String[] fixedNames, double[] beta, double[] vcov, double sigma2,
                        List<VarComp> varComps, List<RandomEffects> randomEffects,
                        double[] fitted, double[] residuals) {

    /** A result without estimates. */
    public static FitResult without(FitStatus status, String message, String criterion, int nObs) {
        return new FitResult(status, List.of(message), criterion, nObs, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, false, false, null, null, null, null, Double.NaN, List.of(), List.of(), null, null);
    }

    /** Standard error of β̂ⱼ. */
    public double stdError(int j) {
        return Math.sqrt(vcov[j * beta.length + j]);
    }

    /** The messages joined into one line. */
    public String message() {
        return String.join("; ", messages);
    }
}
