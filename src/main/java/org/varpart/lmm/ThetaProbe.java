package org.varpart.lmm;

import java.util.Arrays;

/**
 * The profiled criterion of one design looked at in points θ near a fit's θ̂: its analytic
 * gradient, the penalised residual sum of squares r²(θ) and (R_XᵀR_X)⁻¹(θ), all from one
 * factorisation per point. This is what Satterthwaite's derivatives need
 * ({@code org.varpart.stats.Satterthwaite}): the Hessian in θ by central differences of the
 * gradient, ∂r²/∂θ and ∂Var(β̂)/∂θ by central differences of the other two.
 *
 * <p>Where every term after the first is scalar the points are evaluated through the Schur
 * complement of the first term ({@link SchurObjective}, gradient {@link SchurGradient}), whose
 * factor of S holds R_X and r in its last rows; otherwise through the blocked Cholesky of
 * {@link LmmModel} and {@link CriterionGradient}. Built once per design (it keeps the per-count
 * sums of the Schur complement); {@link #setResponse} per fit. Not thread-safe.
 */
public final class ThetaProbe {
    private final LmmModel model;
    private final SchurObjective schur;

    /** @param model the design's model; its response and θ are replaced by the blocked-Cholesky path */
    public ThetaProbe(LmmModel model) {
        this.model = model;
        SchurObjective so = SchurObjective.forDesign(model);
        this.schur = so != null && so.hasGradient() ? so : null;
    }

    /** A probe on a model and its Schur complement already built (null where the blocked Cholesky is used). */
    ThetaProbe(LmmModel model, SchurObjective schur) {
        this.model = model;
        this.schur = schur;
    }

    public LmmModel model() {
        return model;
    }

    /** Sets the response whose criterion is probed (y − Xβ̂ keeps r² free of cancellation). */
    public void setResponse(ResponseStatistics r) {
        if (schur != null) schur.setResponse(r);
        else model.setResponse(r);
    }

    /**
     * Factorises at θ and writes the gradient of the criterion (REML criterion or ML deviance)
     * there into {@code gradient}; false where the factorisation fails.
     */
    public boolean evaluate(double[] theta, boolean reml, double[] gradient) {
        if (schur != null) {
            schur.objective(theta, reml);
            return schur.factored && schur.gradient(theta, reml, gradient);
        }
        model.setTheta(theta);
        return model.factorOk() && CriterionGradient.of(model, reml, gradient);
    }

    /** r² at the θ of the last {@link #evaluate}. */
    public double pwrss() {
        if (schur == null) return model.pwrss();
        double r = schur.s[(schur.m - 1) * schur.m + schur.m - 1];
        return r * r;
    }

    /** (R_XᵀR_X)⁻¹ at the θ of the last {@link #evaluate} (p × p, column-major). */
    public double[] unscaledVcov() {
        if (schur == null) return model.unscaledVcov();
        int m = schur.m, p = schur.p, off = schur.reDim * m + schur.reDim;
        double[] inv = new double[p * p];
        double[] e = new double[p];
        for (int col = 0; col < p; col++) {
            Arrays.fill(e, 0);
            e[col] = 1;
            Dense.solveLower(p, schur.s, off, m, e, 0);
            Dense.solveLowerTransposed(p, schur.s, off, m, e, 0);
            System.arraycopy(e, 0, inv, col * p, p);
        }
        return inv;
    }
}
