package org.varpart.lmm;

import java.util.List;
import org.varpart.design.Design;

/**
 * Fits y through y′ = y − Xb₀, b₀ the least-squares coefficients of y on X, and adds b₀ back.
 * For any b₀ the criterion is the same function of θ (β′ = β − b₀ absorbs the shift; the
 * log-determinants do not involve y), but the penalised residual sum of squares r² is the last
 * pivot of a Cholesky factor, yᵀy minus what X and Z explain. With y far from zero (log volumes
 * near 5, say) that is a difference of numbers thousands of times larger than r², whose rounding
 * then moves the criterion by ~1e-12 relative from one θ to the next and from one BLAS to
 * another: enough to shift a flat optimum in the seventh digit. y′ is already orthogonal to X,
 * so yᵀy is of the size of r² and the rounding of every evaluation drops by that factor.
 */
final class ResponseShift {
    private final Design design;
    private final double[] xtxChol; // Cholesky of XᵀX, lower, column-major; null when singular

    /** @param xtx XᵀX of the design (lower triangle, column-major), which this keeps and factorises */
    ResponseShift(Design d, double[] xtx) {
        this.design = d;
        int p = d.p();
        xtxChol = p > 0 && Dense.cholLower(p, xtx) == 0 ? xtx : null;
    }

    /** Whether y is shifted at all: false when X has no columns or XᵀX is singular. */
    boolean projects() {
        return xtxChol != null;
    }

    /** b₀ = (XᵀX)⁻¹Xᵀy from the response's Xᵀy (zeros when there is no shift). */
    double[] coefficients(ResponseStatistics response) {
        int p = design.p();
        if (xtxChol == null) return new double[p];
        double[] b = response.xty().clone();
        Dense.solveLower(p, xtxChol, 0, p, b, 0);
        Dense.solveLowerTransposed(p, xtxChol, 0, p, b, 0);
        return b;
    }

    /** The statistics of y − Xb₀, summed afresh from the shifted values (that is the point: no cancellation). */
    ResponseStatistics shifted(ResponseStatistics response, double[] b0) {
        return xtxChol == null ? response : ResponseStatistics.of(design, shifted(response.y(), b0));
    }

    /** y − Xb₀. */
    private double[] shifted(double[] y, double[] b0) {
        int n = y.length;
        double[] xb = new double[n], x = design.x();
        for (int j = 0; j < b0.length; j++) {
            double bj = b0[j];
            for (int i = 0; i < n; i++) xb[i] += x[j * n + i] * bj;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = y[i] - xb[i];
        return out;
    }

    /** The fit of y from the fit of y − Xb₀: β̂ + b₀ and fitted values + Xb₀ (the rest is unchanged). */
    FitResult restore(FitResult r, double[] b0) {
        if (!r.status().hasEstimates()) return r;
        double[] beta = r.beta().clone();
        for (int j = 0; j < beta.length; j++) beta[j] += b0[j];
        double[] fitted = r.fitted().clone();
        int n = fitted.length;
        double[] xb = new double[n], x = design.x();
        for (int j = 0; j < b0.length; j++) {
            double bj = b0[j];
            for (int i = 0; i < n; i++) xb[i] += x[j * n + i] * bj;
        }
        for (int i = 0; i < n; i++) fitted[i] += xb[i];
        return new FitResult(r.status(), r.messages(), r.criterion(), r.nObs(), r.objective(), r.logLikelihood(), r.aic(),
                r.bic(), r.evaluations(), r.converged(), r.singular(), r.theta(), r.fixedNames(), beta, r.vcov(), r.sigma2(),
                List.copyOf(r.varComps()), List.copyOf(r.randomEffects()), fitted, r.residuals());
    }
}
