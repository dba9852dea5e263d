package org.varpart.lmm;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.util.ExceptionContextProvider;

/**
 * The lean refit of a parametric bootstrap replicate on a {@link BlockFitter}'s design: only
 * θ̂, β̂ and σ̂², with the same criterion, optimiser and convergence rule as
 * {@link BlockFitter#fit}, but none of what a replicate does not read (Var(β̂), conditional modes,
 * fitted values, residuals, messages, the checks of a response that is finite and varies by
 * construction).
 *
 * <p>The replicate is given as e = y* − Xβ₀ with β₀ known (the fixed part it was simulated
 * from), so e plays the part of {@link ResponseShift}'s shifted response: the criterion is the
 * same function of θ for y* and for e, and β̂(y*) = β̂(e) + β₀. Where the design has a Schur
 * objective (a scalar first term) the criterion is evaluated there and β̂ and σ̂² are read off its
 * Cholesky factor at θ̂: the factor of the Schur complement is the trailing block of the full
 * model's factor, so its X block is R_Xᵀ and its last row holds R_X β̂ and √r²
 * (docs/model.md#schur-complement-of-the-first-term); the full model is never factorised.
 * {@link #minimum} is leaner still, the criterion's minimum alone, for the reduced models of the
 * likelihood-ratio tests.
 */
public final class Refit {

    /**
     * The estimates of one refit.
     *
     * @param status OK, SINGULAR, NOT_CONVERGED (all with estimates) or FAILED (the rest null/NaN)
     * @param theta θ̂
     * @param beta β̂ of y*
     * @param sigma2 σ̂² (r²/(n − p) for REML, r²/n for ML)
     * @param evaluations evaluations of the criterion and of its gradient, as {@link FitResult#evaluations}
     */
    public record Estimates(FitStatus status, double[] theta, double[] beta, double sigma2, int evaluations) {}

    private Refit() {}

    /**
     * Refits e = y* − Xβ₀ on the fitter's design from {@code start} (entries below their bound
     * raised to it).
     */
    static Estimates of(BlockFitter fitter, SchurObjective schur, double[] e, double[] start, double[] beta0) {
        LmmModel model = fitter.model();
        if (model == null) return failed();
        boolean reml = fitter.options().reml();
        ThetaOptimizer.Result opt = optimum(fitter, schur, ResponseStatistics.of(fitter.design(), e), start);
        if (opt == null || !Double.isFinite(opt.value())) return failed();
        double[] x = opt.x();
        double[] lower = model.lowerBounds();
        boolean singular = false;
        for (int i = 0; i < lower.length; i++) if (lower[i] == 0 && x[i] < FitOptions.SINGULAR_TOLERANCE) singular = true;
        boolean converged = !opt.hitLimit() && opt.convergenceWarning() == null;
        FitStatus status = singular ? FitStatus.SINGULAR : converged ? FitStatus.OK : FitStatus.NOT_CONVERGED;
        int n = model.design().n(), p = model.design().p();
        double r2;
        double[] beta;
        if (schur != null) {
            if (!Double.isFinite(schur.objective(x, reml))) return failed();
            int m = schur.m, mx = m - 1, re = schur.reDim;
            double r = schur.s[mx * m + mx];
            r2 = r * r;
            beta = new double[p];
            for (int j = 0; j < p; j++) beta[j] = schur.s[(re + j) * m + mx];
            Dense.solveLowerTransposed(p, schur.s, re * m + re, m, beta, 0);
        } else {
            model.setTheta(x);
            r2 = model.pwrss();
            beta = model.beta();
        }
        for (int j = 0; j < p; j++) beta[j] += beta0[j];
        return new Estimates(status, x.clone(), beta, r2 / (reml ? n - p : n), opt.evaluations());
    }

    /**
     * The minimum of the criterion from {@code start} for a response given by its statistics
     * (already shifted by its least-squares fit, as {@link BlockFitter#fit} shifts it): the same
     * optimiser on the same function as the fit, so the same value, and nothing else
     * (docs/model.md#likelihood-ratio-tests-of-components). NaN where the optimiser fails.
     */
    static double minimum(BlockFitter fitter, SchurObjective schur, ResponseStatistics stats, double[] start) {
        ThetaOptimizer.Result opt = optimum(fitter, schur, stats, start);
        return opt == null ? Double.NaN : opt.value();
    }

    /** The optimiser's result on the fitter's criterion for these statistics; null where it fails numerically. */
    private static ThetaOptimizer.Result optimum(BlockFitter fitter, SchurObjective schur, ResponseStatistics stats, double[] start) {
        LmmModel model = fitter.model();
        boolean reml = fitter.options().reml();
        if (schur != null) schur.setResponse(stats);
        else model.setResponse(stats);
        ToDoubleFunction<double[]> objective = objective(model, schur, reml);
        ThetaOptimizer.Gradient gradient = gradient(model, schur, reml);
        double[] lower = model.lowerBounds();
        double[] from = start.clone();
        for (int i = 0; i < from.length; i++) from[i] = Math.max(from[i], lower[i]);
        try {
            return ThetaOptimizer.minimize(objective, gradient, from, lower, model.scalarThetas(), fitter.options());
        } catch (RuntimeException ex) {
            if (!(ex instanceof ExceptionContextProvider)) throw ex;
            return null;
        }
    }

    /**
     * The criterion of a fitter's design at θ, through the Schur complement where there is one:
     * one function for the fit, the refits and the tests' reduced models, so that the optimiser's
     * calls of it see one kind of function wherever it runs.
     */
    static ToDoubleFunction<double[]> objective(LmmModel model, SchurObjective schur, boolean reml) {
        return schur != null ? th -> schur.objective(th, reml) : th -> model.objective(th, reml);
    }

    /** The gradient of {@link #objective}'s criterion. */
    static ThetaOptimizer.Gradient gradient(LmmModel model, SchurObjective schur, boolean reml) {
        return schur != null ? (th, out) -> schur.gradient(th, reml, out) : (th, out) -> CriterionGradient.at(model, th, reml, out);
    }

    private static Estimates failed() {
        return new Estimates(FitStatus.FAILED, null, null, Double.NaN, 0);
    }
}
