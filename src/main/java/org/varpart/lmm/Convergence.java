package org.varpart.lmm;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * lme4's convergence check: the gradient g and Hessian H of the objective at the optimum by
 * central differences (step 1e-4, as lme4's {@code deriv12}); the scaled gradient
 * s = chol(H)⁻¹ g where H is positive definite; a warning when max(min(|s|, |g|)) exceeds
 * 2e-3. Coordinates at their lower bound are left out: the gradient need not vanish there.
 */
final class Convergence {
    static final double STEP = 1e-4;

    private Convergence() {}

    /** Returns null when the check passes, else lme4's warning text. */
    static String check(ToDoubleFunction<double[]> f, double[] x, double[] lower) {
        int n = x.length;
        int[] free = java.util.stream.IntStream.range(0, n).filter(i -> x[i] != lower[i]).toArray();
        int m = free.length;
        if (m == 0) return null;
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
        double[] scaled;
        try {
            CholeskyDecomposition ch = new CholeskyDecomposition(new Array2DRowRealMatrix(hess));
            // s solves Rᵀ... lme4: solve(chol(H), g) with chol(H) upper-triangular R, H = RᵀR
            double[][] r = ch.getLT().getData();
            scaled = new double[m];
            for (int i = m - 1; i >= 0; i--) {
                double s = grad[i];
                for (int j = i + 1; j < m; j++) s -= r[i][j] * scaled[j];
                scaled[i] = s / r[i][i];
            }
        } catch (NonPositiveDefiniteMatrixException | org.apache.commons.math3.linear.NonSymmetricMatrixException e) {
            scaled = grad;
        }
        double maxMin = 0;
        for (int a = 0; a < m; a++) maxMin = Math.max(maxMin, Math.min(Math.abs(scaled[a]), Math.abs(grad[a])));
        if (!(maxMin <= FitOptions.GRADIENT_TOLERANCE)) {
            return String.format(java.util.Locale.ROOT, "Model failed to converge with max|grad| = %.6g (tol = %.3g)",
                    maxMin, FitOptions.GRADIENT_TOLERANCE);
        }
        return null;
    }

    private static double[] shift(double[] x, int i, double di, int j, double dj) {
        double[] y = x.clone();
        y[i] += di;
        if (j >= 0) y[j] += dj;
        return y;
    }
}
