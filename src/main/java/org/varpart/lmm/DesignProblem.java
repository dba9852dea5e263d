package org.varpart.lmm;

/**
 * Why a design cannot be fitted: a problem of the model (no random-effects term, a grouping
 * factor with one level), which makes the fit {@link FitStatus#FAILED}, or too few observations
 * for it, which makes it {@link FitStatus#SKIPPED_TOO_FEW}.
 *
 * @param status the status every response on this design gets
 * @param message what is wrong, for the user
 */
public record DesignProblem(FitStatus status, String message) {
    static DesignProblem model(String message) {
        return new DesignProblem(FitStatus.FAILED, message);
    }

    static DesignProblem tooFew(String message) {
        return new DesignProblem(FitStatus.SKIPPED_TOO_FEW, message);
    }
}
