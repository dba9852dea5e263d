package org.varpart.stats;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.varpart.lmm.Convergence;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.LmmModel;
import org.varpart.lmm.ThetaProbe;

/**
 * The two derivatives behind Satterthwaite's df ({@link Satterthwaite}), in φ = (θ, σ):
 * A = 2H⁻¹ for H the Hessian of D(θ, σ) = ld(θ) + ν log(2πσ²) + r²(θ)/σ² (ld the
 * log-determinants; ν = n for ML, n − p for REML) at (θ̂, σ̂), and the Jacobian of
 * Var(β̂) = σ²U(θ), U = (R_XᵀR_X)⁻¹.
 *
 * <p>Only the θ block needs differences. With f(θ) = min_σ D the profiled criterion
 * (ld + ν log(2πr²/ν) + ν) and σ̂² = r²(θ̂)/ν,
 * <pre>
 *   ∂²D/∂θ∂θᵀ = ∇²f + ∇r² ∇r²ᵀ / (ν σ̂⁴),   ∂²D/∂θ∂σ = −2 ∇r² / σ̂³,   ∂²D/∂σ² = 4ν / σ̂²,
 *   ∂Var(β̂)/∂θⱼ = σ̂² ∂U/∂θⱼ,   ∂Var(β̂)/∂σ = 2σ̂ U = 2 Var(β̂)/σ̂,
 * </pre>
 * and ∇²f, ∇r² and ∂U/∂θⱼ come from one central difference of the analytic gradient of f, of r²
 * and of U in each θⱼ: 2·#θ factorisations ({@link ThetaProbe}). Differences of an exact gradient
 * have rounding error ε/h rather than the ε/h² of second differences, so one step of
 * {@link #STEP} relative to θ keeps both the rounding and the h² truncation near 1e-8 relative in
 * the df (measured against the extrapolated differences below), without Richardson extrapolation.
 *
 * <p>Where a factorisation fails at one of the points, the derivatives are taken as before the
 * gradient existed: second differences of D and central differences of Var(β̂) over all of φ,
 * each at two steps combined by Richardson extrapolation.
 */
final class SatterthwaiteDerivatives {
    /** Relative step of the central differences in θ (of |θⱼ|, at least of 0.1). */
    static final double STEP = 3e-5;

    private SatterthwaiteDerivatives() {}

    /** A = 2H⁻¹ ((#θ + 1)²) and the Jacobian of Var(β̂) (one p × p matrix per φⱼ). */
    record Derivatives(double[][] twiceInverseHessian, double[][][] jacobian) {}

    /**
     * The derivatives from the analytic gradient, or null where a factorisation fails.
     *
     * @param probe holding the response y − Xβ̂ of the fit
     * @param nu ν: n for ML, n − p for REML
     */
    static Derivatives fromGradient(ThetaProbe probe, FitResult fit, boolean reml, int nu, int p) {
        double[] theta = fit.theta();
        int nt = theta.length, m = nt + 1;
        double s2 = fit.sigma2(), s = Math.sqrt(s2);
        double[][] fxx = new double[nt][nt];
        double[] dr2 = new double[nt];
        double[][][] jac = new double[m][][];
        double[] gp = new double[nt], gm = new double[nt];
        for (int j = 0; j < nt; j++) {
            double h = STEP * Math.max(Math.abs(theta[j]), 0.1);
            if (!probe.evaluate(Convergence.shift(theta, j, h, -1, 0), reml, gp)) return null;
            double r2p = probe.pwrss();
            double[] up = probe.unscaledVcov();
            if (!probe.evaluate(Convergence.shift(theta, j, -h, -1, 0), reml, gm)) return null;
            double r2m = probe.pwrss();
            double[] um = probe.unscaledVcov();
            for (int i = 0; i < nt; i++) fxx[i][j] = (gp[i] - gm[i]) / (2 * h);
            dr2[j] = (r2p - r2m) / (2 * h);
            double[][] d = new double[p][p];
            for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) d[r][c] = s2 * (up[c * p + r] - um[c * p + r]) / (2 * h);
            jac[j] = d;
        }
        double[][] h = new double[m][m];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) h[i][j] = (fxx[i][j] + fxx[j][i]) / 2 + dr2[i] * dr2[j] / (nu * s2 * s2);
            h[i][nt] = h[nt][i] = -2 * dr2[i] / (s2 * s);
        }
        h[nt][nt] = 4 * nu / s2;
        double[][] dsigma = new double[p][p];
        for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) dsigma[r][c] = 2 * fit.vcov()[c * p + r] / s;
        jac[nt] = dsigma;
        return new Derivatives(twiceInverse(h), jac);
    }

    /**
     * The derivatives without a gradient: H by second differences of D and the Jacobian of
     * Var(β̂) by central differences, over all of φ, each Richardson-extrapolated from steps h
     * and h/2 (h = 1e-3 relative). The model's response must be y − Xβ̂; it is left at θ̂.
     */
    static Derivatives bySecondDifferences(LmmModel model, FitResult fit, boolean reml) {
        int nt = fit.theta().length, p = fit.beta().length;
        double[] phi = Arrays.copyOf(fit.theta(), nt + 1);
        phi[nt] = Math.sqrt(fit.sigma2());
        double[][] h1 = hessian(model, phi, reml, 1), h2 = hessian(model, phi, reml, 0.5);
        int m = phi.length;
        double[][] h = new double[m][m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) h[i][j] = (4 * h2[i][j] - h1[i][j]) / 3;
        double[][][] jac = new double[m][][];
        for (int i = 0; i < m; i++) {
            double[][] d1 = centralDifference(model, phi, i, step(phi, i), p), d2 = centralDifference(model, phi, i, step(phi, i) / 2, p);
            double[][] d = new double[p][p];
            for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) d[r][c] = (4 * d2[r][c] - d1[r][c]) / 3;
            jac[i] = d;
        }
        model.setTheta(fit.theta());
        return new Derivatives(twiceInverse(h), jac);
    }

    private static double step(double[] phi, int i) {
        return 1e-3 * Math.max(Math.abs(phi[i]), 0.1);
    }

    /** D(φ) of lmerTest's {@code devfun_vp}. */
    private static double deviance(LmmModel model, double[] x, boolean reml) {
        int nt = x.length - 1;
        model.setTheta(Arrays.copyOf(x, nt));
        return model.unprofiledObjective(reml, x[nt] * x[nt]);
    }

    private static double[][] hessian(LmmModel model, double[] phi, boolean reml, double scale) {
        int m = phi.length;
        double[][] h = new double[m][m];
        double f0 = deviance(model, phi, reml);
        for (int i = 0; i < m; i++) {
            double hi = step(phi, i) * scale;
            double fp = deviance(model, Convergence.shift(phi, i, hi, -1, 0), reml);
            double fm = deviance(model, Convergence.shift(phi, i, -hi, -1, 0), reml);
            h[i][i] = (fp - 2 * f0 + fm) / (hi * hi);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double hi = step(phi, i) * scale, hj = step(phi, j) * scale;
                double fpp = deviance(model, Convergence.shift(phi, i, hi, j, hj), reml);
                double fmm = deviance(model, Convergence.shift(phi, i, -hi, j, -hj), reml);
                double fpm = deviance(model, Convergence.shift(phi, i, hi, j, -hj), reml);
                double fmp = deviance(model, Convergence.shift(phi, i, -hi, j, hj), reml);
                h[i][j] = h[j][i] = (fpp - fpm - fmp + fmm) / (4 * hi * hj);
            }
        }
        return h;
    }

    private static double[][] vcovAt(LmmModel model, double[] x, int p) {
        int nt = x.length - 1;
        model.setTheta(Arrays.copyOf(x, nt));
        double s2 = x[nt] * x[nt];
        double[] u = model.unscaledVcov();
        double[][] v = new double[p][p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) v[i][j] = s2 * u[j * p + i];
        return v;
    }

    private static double[][] centralDifference(LmmModel model, double[] phi, int i, double h, int p) {
        double[][] plus = vcovAt(model, Convergence.shift(phi, i, h, -1, 0), p);
        double[][] minus = vcovAt(model, Convergence.shift(phi, i, -h, -1, 0), p);
        double[][] d = new double[p][p];
        for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) d[r][c] = (plus[r][c] - minus[r][c]) / (2 * h);
        return d;
    }

    /** 2H⁻¹, the pseudo-inverse over the eigenvalues above 1e-8. */
    static double[][] twiceInverse(double[][] h) {
        int m = h.length;
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(h));
        RealMatrix vs = eig.getV();
        double[][] inv = new double[m][m];
        for (int k = 0; k < m; k++) {
            double ev = eig.getRealEigenvalue(k);
            if (!(ev > 1e-8)) continue;
            double[] v = vs.getColumn(k);
            for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) inv[r][c] += v[r] * v[c] * (2 / ev);
        }
        return inv;
    }
}
