package org.varpart.lmm;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;

/**
 * Derivatives of the objective at an optimum by central differences (step 1e-4, as lme4's
 * {@code deriv12}), used twice: for lme4's convergence check — the scaled gradient
 * s = chol(H)⁻¹ g where H is positive definite, a warning when max(min(|s|, |g|)) exceeds
 * 2e-3 — and for a final Newton step. Coordinates at their lower bound are left out: the
 * gradient need not vanish there.
 */
public final class Convergence {
    static final double STEP = 1e-4;

    private Convergence() {}

    /**
     * Gradient and Hessian over the free coordinates.
     *
     * @param free indices of the coordinates above their bound
     * @param value the objective at the point
     * @param cholesky the upper-triangular R with H = RᵀR, or null when H is not positive definite
     */
    record Derivatives(int[] free, double value, double[] gradient, double[][] hessian, double[][] cholesky) {}

    static Derivatives derivatives(ToDoubleFunction<double[]> f, double[] x, double[] lower) {
        int n = x.length;
        int[] free = java.util.stream.IntStream.range(0, n).filter(i -> x[i] > lower[i]).toArray();
        int m = free.length;
        double f0 = f.applyAsDouble(x);
        double[] grad = new double[m];
        double[][] hess = new double[m][m];
        double[] fp = new double[m], fm = new double[m];
        for (int a = 0; a < m; a++) {
            fp[a] = f.applyAsDouble(shift(x, free[a], STEP, -1, 0));
            fm[a] = f.applyAsDouble(shift(x, free[a], -STEP, -1, 0));
            grad[a] = (fp[a] - fm[a]) / (2 * STEP);
            hess[a][a] = (fp[a] - 2 * f0 + fm[a]) / (STEP * STEP);
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                double fpp = f.applyAsDouble(shift(x, free[a], STEP, free[b], STEP));
                double fmm = f.applyAsDouble(shift(x, free[a], -STEP, free[b], -STEP));
                double h = (fpp - fp[a] - fp[b] + 2 * f0 - fm[a] - fm[b] + fmm) / (2 * STEP * STEP);
                hess[a][b] = h;
                hess[b][a] = h;
            }
        }
        double[][] r = null;
        if (m > 0) {
            try {
                r = new CholeskyDecomposition(new Array2DRowRealMatrix(hess)).getLT().getData();
            } catch (RuntimeException e) {
                r = null; // not positive definite
            }
        }
        return new Derivatives(free, f0, grad, hess, r);
    }

    /** lme4's check; null when it passes, else its warning text. */
    static String assess(Derivatives d) {
        int m = d.free().length;
        if (m == 0) return null;
        double[] scaled = d.gradient();
        if (d.cholesky() != null) { // s = R⁻ᵀ... lme4: solve(chol(H), g), R upper triangular
            double[][] r = d.cholesky();
            scaled = new double[m];
            for (int i = m - 1; i >= 0; i--) {
                double s = d.gradient()[i];
                for (int j = i + 1; j < m; j++) s -= r[i][j] * scaled[j];
                scaled[i] = s / r[i][i];
            }
        }
        double maxMin = 0;
        for (int a = 0; a < m; a++) maxMin = Math.max(maxMin, Math.min(Math.abs(scaled[a]), Math.abs(d.gradient()[a])));
        if (!(maxMin <= FitOptions.GRADIENT_TOLERANCE)) {
            return String.format(java.util.Locale.ROOT, "Model failed to converge with max|grad| = %.6g (tol = %.3g)",
                    maxMin, FitOptions.GRADIENT_TOLERANCE);
        }
        return null;
    }

    /** The Newton step x − H⁻¹g on the free coordinates, projected on the bounds; null without a positive definite H. */
    static double[] newtonStep(Derivatives d, double[] x, double[] lower) {
        if (d.cholesky() == null || d.free().length == 0) return null;
        int m = d.free().length;
        double[][] r = d.cholesky();
        // H = RᵀR: solve Rᵀz = g, then R s = z
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            double s = d.gradient()[i];
            for (int j = 0; j < i; j++) s -= r[j][i] * z[j];
            z[i] = s / r[i][i];
        }
        double[] step = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double s = z[i];
            for (int j = i + 1; j < m; j++) s -= r[i][j] * step[j];
            step[i] = s / r[i][i];
        }
        double[] y = x.clone();
        for (int a = 0; a < m; a++) y[d.free()[a]] = Math.max(lower[d.free()[a]], x[d.free()[a]] - step[a]);
        return y;
    }

    /** x with di added to coordinate i and dj to coordinate j (none when j < 0): a finite-difference point. */
    public static double[] shift(double[] x, int i, double di, int j, double dj) {
        double[] y = x.clone();
        y[i] += di;
        if (j >= 0) y[j] += dj;
        return y;
    }
}
