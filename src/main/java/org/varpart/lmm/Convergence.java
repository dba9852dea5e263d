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
    record Derivatives(double[] x, int[] free, double value, double[] gradient, double[][] hessian, double[][] cholesky) {}

    /** At most this many Newton steps after the quasi-Newton search. */
    static final int MAX_NEWTON_STEPS = 8;

    /**
     * The point that Newton iterations end at, its value, and the derivatives lme4's check is
     * judged on: taken at {@code x} itself, or, when the last step lowered f by less than
     * {@link #NEGLIGIBLE} relative, at the point that step started from (such a step changes the
     * scaled gradient by far less than the check's tolerance, and taking the derivatives again
     * would cost (m + 1)² evaluations for nothing).
     */
    record Refined(double[] x, double value, Derivatives checked) {}

    /** A full Newton step that lowers f by less than this (relative) ends the iterations. */
    static final double NEGLIGIBLE = 1e-9;

    /**
     * Newton steps x ← x − αH⁻¹g on finite-difference derivatives (α = 1, else ½ or ¼: the
     * differences' Hessian is not exact), while they lower f. After a full step whose decrease
     * is below {@link #NEGLIGIBLE}·max(1, |f|) the error left is of the order of the rounding of
     * f itself and the iterations stop; otherwise the derivatives are taken again at the new
     * point, up to {@link #MAX_NEWTON_STEPS} times.
     */
    static Refined newtonIterations(ToDoubleFunction<double[]> f, Derivatives der, double[] lower) {
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            double[] full = newtonStep(der, der.x(), lower);
            if (full == null) break;
            double[] y = null;
            double fy = Double.NaN;
            boolean fullStep = false;
            for (double alpha = 1; alpha >= 0.25 && y == null; alpha /= 2) {
                double[] t = new double[full.length];
                for (int i = 0; i < t.length; i++) t[i] = der.x()[i] + alpha * (full[i] - der.x()[i]);
                double ft = f.applyAsDouble(t);
                if (ft < der.value()) {
                    y = t;
                    fy = ft;
                    fullStep = alpha == 1;
                }
            }
            if (y == null) break;
            double decrease = der.value() - fy;
            if (fullStep && decrease <= NEGLIGIBLE * Math.max(1, Math.abs(fy))) return new Refined(y, fy, der);
            der = derivatives(f, y, lower, fy);
        }
        return new Refined(der.x(), der.value(), der);
    }

    static Derivatives derivatives(ToDoubleFunction<double[]> f, double[] x, double[] lower) {
        return derivatives(f, x, lower, f.applyAsDouble(x));
    }

    /** The same, with f(x) already known. */
    static Derivatives derivatives(ToDoubleFunction<double[]> f, double[] x, double[] lower, double f0) {
        int n = x.length;
        int[] free = java.util.stream.IntStream.range(0, n).filter(i -> x[i] > lower[i]).toArray();
        int m = free.length;
        double[] grad = new double[m];
        double[][] hess = new double[m][m];
        double[] fp = new double[m], fm = new double[m];
        double[] all = steps(x, lower);
        double[] h = new double[m];
        for (int a = 0; a < m; a++) h[a] = all[free[a]];
        for (int a = 0; a < m; a++) {
            fp[a] = f.applyAsDouble(shift(x, free[a], h[a], -1, 0));
            fm[a] = f.applyAsDouble(shift(x, free[a], -h[a], -1, 0));
            grad[a] = (fp[a] - fm[a]) / (2 * h[a]);
            hess[a][a] = (fp[a] - 2 * f0 + fm[a]) / (h[a] * h[a]);
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                double fpp = f.applyAsDouble(shift(x, free[a], h[a], free[b], h[b]));
                double fmm = f.applyAsDouble(shift(x, free[a], -h[a], free[b], -h[b]));
                double v = (fpp - fp[a] - fp[b] + 2 * f0 - fm[a] - fm[b] + fmm) / (2 * h[a] * h[b]);
                hess[a][b] = v;
                hess[b][a] = v;
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
        return new Derivatives(x.clone(), free, f0, grad, hess, r);
    }

    /**
     * The difference step of each θ: lme4's 1e-4 times the scale of the row of T the entry
     * belongs to, |T_rr| kept within [0.01, 1]. Where a term's variance is small against its
     * covariate's units (a slope per day over hundreds of days) θ is of order 1e-3 and a step of
     * 1e-4 would be a twentieth of it: the differences would then measure the function's shape
     * rather than its derivatives. The rows are read from the bounds: each column of a term's T
     * is one bounded (diagonal) θ followed by its unbounded entries below the diagonal, and the
     * columns of a c-column term have c, c−1, …, 1 entries.
     */
    static double[] steps(double[] x, double[] lower) {
        int n = x.length;
        int[] row = new int[n]; // index of the diagonal θ of each entry's row
        int i = 0;
        while (i < n) {
            int len = runLength(lower, i);
            if (len == 0) return uniform(n);
            int[] diag = new int[len]; // the diagonal θ of rows 0..len-1 of this term
            int pos = i;
            for (int col = 0; col < len; col++) {
                int run = runLength(lower, pos);
                if (run != len - col) return uniform(n);
                diag[col] = pos;
                pos += run;
            }
            pos = i;
            for (int col = 0; col < len; col++) {
                for (int r = col; r < len; r++) row[pos++] = diag[r];
            }
            i = pos;
        }
        double[] h = new double[n];
        for (int k = 0; k < n; k++) h[k] = STEP * Math.min(1, Math.max(0.01, Math.abs(x[row[k]])));
        return h;
    }

    /** The number of θ from i on that form one column: a bounded one and the unbounded ones after it (0 if i is unbounded). */
    private static int runLength(double[] lower, int i) {
        if (i >= lower.length || lower[i] != 0) return 0;
        int j = i + 1;
        while (j < lower.length && lower[j] != 0) j++;
        return j - i;
    }

    private static double[] uniform(int n) {
        double[] h = new double[n];
        java.util.Arrays.fill(h, STEP);
        return h;
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
