package org.varpart.lmm;

/**
 * lme4's profiled criteria from the pieces of the Cholesky factor (docs/model.md#profiled-criterion),
 * the one place they are written: the ML deviance, the REML criterion and, for Satterthwaite's
 * derivatives, the criterion before σ is profiled out. Every path that evaluates a criterion
 * (the blocked Cholesky, the Schur complement, the model without random effects, the tests)
 * calls these.
 */
public final class ProfiledCriterion {
    private ProfiledCriterion() {}

    /**
     * ML: log|L_Z|² + n(1 + log(2πr²/n)); REML: log|L_Z|² + log|R_X|² + (n−p)(1 + log(2πr²/(n−p))).
     * +∞ when r² is not positive (the factorisation broke down or y is fitted exactly).
     *
     * @param logDetL log|L_Z|² (0 without random effects)
     * @param logDetRX log|R_X|² (read for REML only)
     * @param r2 the penalised residual sum of squares
     */
    public static double value(boolean reml, double logDetL, double logDetRX, double r2, int n, int p) {
        if (!(r2 > 0)) return Double.POSITIVE_INFINITY;
        if (reml) {
            int dof = n - p;
            return logDetL + logDetRX + dof * (1 + Math.log(2 * Math.PI * r2 / dof));
        }
        return logDetL + n * (1 + Math.log(2 * Math.PI * r2 / n));
    }

    /**
     * D(θ, σ) = log|L_Z|² [+ log|R_X|² for REML] + ν log(2πσ²) + r²/σ², ν = n (ML) or n − p
     * (REML): the criterion as a function of θ and σ, whose minimum over σ is {@link #value}
     * (lmerTest's deviance in the variance parameters).
     */
    public static double unprofiled(boolean reml, double logDetL, double logDetRX, double r2, double sigma2, int n, int p) {
        double nu = reml ? n - p : n;
        double d = logDetL + nu * Math.log(2 * Math.PI * sigma2) + r2 / sigma2;
        return reml ? d + logDetRX : d;
    }
}
