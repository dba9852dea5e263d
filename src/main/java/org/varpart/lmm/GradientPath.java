package org.varpart.lmm;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;

/**
 * The optimisation of θ when the analytic gradient of the criterion is available
 * (docs/model.md#gradient-of-the-profiled-criterion): projected BFGS on the exact gradient down
 * to a scaled gradient of {@link ThetaOptimizer#ANALYTIC_GRADIENT_TOLERANCE}, each bounded
 * coordinate tried at its bound, then lme4's convergence check on the exact gradient. Where
 * every free component of the gradient is within lme4's tolerance the check passes whatever the
 * Hessian (it takes min(|scaled|, |g|)), so the Hessian is only formed, by forward differences
 * of the gradient, when some component is not. Where the check fails, or a vector-valued term
 * ends on its boundary, the search is run again from lme4's start (and, when the check failed,
 * from the point found moved off its bounds), and the lowest criterion seen is kept, as
 * {@link Restarts} does without the gradient.
 */
final class GradientPath {
    private GradientPath() {}

    static ThetaOptimizer.Result minimize(ThetaOptimizer.Counter f, double[] start, double[] lower, boolean[] squared, FitOptions opt) {
        double tol = ThetaOptimizer.ANALYTIC_GRADIENT_TOLERANCE;
        boolean hitLimit = false;
        double[] x;
        String warning = null;
        try {
            x = search(f, start, lower, opt, tol);
            if (opt.checkConvergence()) warning = check(f, x, lower);
            if (warning != null || Restarts.vectorTermOnBoundary(x, lower, squared)) {
                double fx = f.apply(x);
                double[] y = x;
                if (warning != null) {
                    double[] fromHere = x.clone();
                    for (int i = 0; i < fromHere.length; i++) if (lower[i] == 0 && fromHere[i] < 1e-3) fromHere[i] = 1e-3;
                    y = search(f, fromHere, lower, opt, tol);
                }
                double[] z = search(f, Restarts.lme4Start(lower), lower, opt, tol);
                double fy = f.apply(y), fz = f.apply(z);
                double[] better = fz < fy ? z : y;
                if (Math.min(fy, fz) < fx) {
                    x = better;
                    warning = opt.checkConvergence() ? check(f, x, lower) : null;
                }
            }
        } catch (TooManyEvaluationsException e) {
            hitLimit = true;
            x = f.best.clone();
            warning = null;
        }
        return new ThetaOptimizer.Result(x, f.apply(x), f.count, hitLimit, warning);
    }

    /**
     * A single θ found by Brent's method on f is located only to the rounding of f (the minimum
     * of a function is flat): secant steps on the exact derivative take it to a scaled derivative
     * of {@link ThetaOptimizer#ANALYTIC_GRADIENT_TOLERANCE}. A step is kept when f stays the same
     * to its rounding and the derivative shrinks; a θ on its bound is left there.
     */
    static double[] polishOne(ThetaOptimizer.Counter f, double[] x, double[] lower) {
        if (!(x[0] > lower[0])) return x;
        double[] g = f.gradient(x);
        if (g == null) return x;
        double fx = f.apply(x);
        double prevX = Double.NaN, prevG = Double.NaN;
        for (int it = 0; it < 6 && Math.abs(g[0]) * Math.max(1, Math.abs(x[0])) > ThetaOptimizer.ANALYTIC_GRADIENT_TOLERANCE; it++) {
            double curv;
            if (Double.isNaN(prevX)) {
                double h = 1e-6 * Math.max(Math.abs(x[0]), 1e-3);
                double[] gh = f.gradient(new double[] {x[0] + h});
                if (gh == null) break;
                curv = (gh[0] - g[0]) / h;
            } else {
                curv = (g[0] - prevG) / (x[0] - prevX);
            }
            if (!(curv > 0)) break;
            double[] y = {Math.max(lower[0], x[0] - g[0] / curv)};
            double fy = f.apply(y);
            double[] gy = f.gradient(y);
            if (gy == null || !(fy <= fx + QuasiNewton.FLAT * (1 + Math.abs(fx))) || !(Math.abs(gy[0]) < Math.abs(g[0]))) break;
            prevX = x[0];
            prevG = g[0];
            x = y;
            fx = fy;
            g = gy;
        }
        return x;
    }

    /** BFGS from start, the best point seen, each bounded coordinate near its bound tried on it. */
    private static double[] search(ThetaOptimizer.Counter f, double[] start, double[] lower, FitOptions opt, double tol) {
        double[] x = ThetaOptimizer.quasiNewton(f, start, lower, opt, tol);
        // a point seen on the way is preferred only when it is lower beyond the rounding of f
        double fx = f.apply(x);
        if (f.bestValue < fx - QuasiNewton.FLAT * (1 + Math.abs(fx))) x = f.best.clone();
        return ThetaOptimizer.tryBounds(f, x, lower);
    }

    /** lme4's check on the exact gradient at x; null when it passes, else its warning. */
    static String check(ThetaOptimizer.Counter f, double[] x, double[] lower) {
        double[] g = f.gradient(x);
        if (g == null) return "Model failed to converge: the gradient could not be computed at the optimum";
        int[] free = java.util.stream.IntStream.range(0, x.length).filter(i -> x[i] > lower[i]).toArray();
        int m = free.length;
        double[] gf = new double[m];
        double worst = 0;
        for (int a = 0; a < m; a++) {
            gf[a] = g[free[a]];
            worst = Math.max(worst, Math.abs(gf[a]));
        }
        if (worst <= FitOptions.GRADIENT_TOLERANCE) return null;
        double[] h = Convergence.steps(x, lower);
        double[][] hess = new double[m][m];
        for (int a = 0; a < m; a++) {
            double[] y = x.clone();
            y[free[a]] += h[free[a]];
            double[] gy = f.gradient(y);
            if (gy == null) return Convergence.assess(new Convergence.Derivatives(x, free, f.apply(x), gf, hess, null));
            for (int b = 0; b < m; b++) hess[b][a] = (gy[free[b]] - g[free[b]]) / h[free[a]];
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) hess[a][b] = hess[b][a] = (hess[a][b] + hess[b][a]) / 2;
        }
        double[][] r;
        try {
            r = new CholeskyDecomposition(new Array2DRowRealMatrix(hess)).getLT().getData();
        } catch (RuntimeException e) {
            r = null; // not positive definite
        }
        return Convergence.assess(new Convergence.Derivatives(x, free, f.apply(x), gf, hess, r));
    }
}
