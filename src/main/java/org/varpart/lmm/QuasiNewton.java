package org.varpart.lmm;

import java.util.function.ToDoubleFunction;

/**
 * A projected BFGS minimiser for smooth functions of a few variables with lower bounds, using
 * the analytic gradient where one is given, else finite-difference gradients. The profiled deviance is smooth in θ and cheap to evaluate once
 * the design is shared, so this needs a fraction of the work per evaluation of a model-based
 * derivative-free method, and about as many evaluations. Variables at their bound whose
 * gradient points outwards are held there (the active set); the step is projected onto the
 * bounds and accepted by an Armijo backtracking line search.
 */
final class QuasiNewton {
    private final ToDoubleFunction<double[]> f;
    private final double[] lower;
    private final int n;
    /** Changes of f below this (relative) are taken as its rounding. */
    static final double FLAT = 1e-12;
    /** Distance to the bound below which a shrinking variable is put on it. */
    static final double SNAP = 1e-6;
    private final boolean[] project;
    private final int maxEvaluations;
    private int evaluations;
    /** The analytic gradient, or null for forward differences. */
    private final ThetaOptimizer.Gradient analytic;

    /**
     * @param project the variables whose steps are projected straight onto the bound (those for
     *     which the bound is a regular point of f, such as variances as φ = θ²); the others
     *     follow the bent path
     */
    QuasiNewton(ToDoubleFunction<double[]> f, double[] lower, boolean[] project, int maxEvaluations) {
        this(f, null, lower, project, maxEvaluations);
    }

    /**
     * @param analytic the gradient of f (one evaluation each), or null for forward differences
     *     (one evaluation per variable)
     */
    QuasiNewton(ToDoubleFunction<double[]> f, ThetaOptimizer.Gradient analytic, double[] lower, boolean[] project, int maxEvaluations) {
        this.analytic = analytic;
        this.f = f;
        this.lower = lower;
        this.project = project;
        this.n = lower.length;
        this.maxEvaluations = maxEvaluations;
    }

    int evaluations() {
        return evaluations;
    }

    boolean exhausted() {
        return evaluations >= maxEvaluations;
    }

    private double eval(double[] x) {
        evaluations++;
        return f.applyAsDouble(x);
    }

    /**
     * Minimises from x (modified in place); returns the final value. Stops when the projected
     * gradient, scaled by max(1, |xᵢ|), falls below {@code gtol}, or when no progress is made.
     * Keeps a BFGS approximation B of the Hessian and solves the reduced system B_ff d_f = −g_f
     * over the free variables, so holding a variable at its bound does not spoil the others'
     * curvature.
     */
    double minimize(double[] x, double gtol) {
        double fx = eval(x);
        double[] g = gradient(x, fx);
        double[][] b = null; // set after the first step; until then a step of at most 0.5
        double[] d = new double[n], xn = new double[n], gn, s = new double[n], yv = new double[n];
        for (int iter = 0; iter < 200 && !exhausted(); iter++) {
            boolean[] active = active(x, g);
            double slope = direction(b, g, active, d);
            if (!(slope < 0)) {
                b = null; // not a descent direction: start again from a scaled steepest descent
                slope = direction(null, g, active, d);
                if (!(slope < 0)) break;
            }
            // Projected variables stop at their bound. The others may shrink by at most 95% of
            // their distance to it along the step (a bent path) and are put on the bound once
            // within SNAP of it: where f is even in a variable (a diagonal θ of a vector term)
            // its bound is a stationary point that a projected step could land on and never
            // leave.
            double step = 1, fn;
            double[] accepted = null; // the gradient at xn when the step was accepted on it
            while (true) {
                for (int i = 0; i < n; i++) {
                    double v = x[i] + step * d[i];
                    if (lower[i] == Double.NEGATIVE_INFINITY) {
                        xn[i] = v;
                        continue;
                    }
                    double floor = project[i] ? lower[i] : lower[i] + 0.05 * (x[i] - lower[i]);
                    xn[i] = v >= floor ? v : floor - lower[i] < SNAP ? lower[i] : floor;
                }
                fn = eval(xn);
                double dec = 0;
                for (int i = 0; i < n; i++) dec += g[i] * (xn[i] - x[i]);
                if (fn <= fx + 1e-4 * dec && (fn < fx || analytic == null) || exhausted()) break;
                // Near the optimum f changes by less than its own rounding and the test above
                // cannot tell a better point; with an exact gradient a step that leaves f the same
                // to rounding and shrinks the gradient is progress.
                if (analytic != null && fn <= fx + FLAT * (1 + Math.abs(fx))) {
                    double[] gt = gradient(xn, fn);
                    if (projectedGradient(xn, gt) < projectedGradient(x, g)) {
                        accepted = gt;
                        break;
                    }
                }
                step = shorter(step, fx, fn, dec);
                if (step < 1e-12) break;
            }
            double moved = 0;
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                moved = Math.max(moved, Math.abs(s[i]) / Math.max(1, Math.abs(x[i])));
            }
            if (!(fn < fx) && accepted == null || moved == 0) break;
            gn = accepted != null ? accepted : gradient(xn, fn);
            double sy = 0, yy = 0;
            for (int i = 0; i < n; i++) {
                yv[i] = gn[i] - g[i];
                sy += s[i] * yv[i];
                yy += yv[i] * yv[i];
            }
            if (sy > 1e-12 * norm(s) * Math.sqrt(yy)) {
                if (b == null) { // Shanno–Phua scaling of the first approximation
                    b = new double[n][n];
                    for (int i = 0; i < n; i++) b[i][i] = yy / sy;
                }
                bfgsUpdate(b, s, yv, sy);
            }
            double df = fx - fn;
            System.arraycopy(xn, 0, x, 0, n);
            fx = fn;
            g = gn;
            if (projectedGradient(x, g) < gtol || moved < 1e-12) break;
            if (analytic == null && df < 1e-14 * (1 + Math.abs(fx))) break;
        }
        return fx;
    }

    /**
     * The next trial step after {@code step} was rejected: the minimum of the parabola through f
     * at 0 (value fx, slope dec/step) and at {@code step} (value fn), kept within a tenth and a
     * half of {@code step}; where f was not finite, a fifth of it.
     */
    static double shorter(double step, double fx, double fn, double dec) {
        if (!Double.isFinite(fn) || !(dec < 0)) return step * 0.2;
        double curvature = fn - fx - dec; // c·step² of the parabola fx + (dec/step)·α + c·α²
        if (!(curvature > 0)) return step * 0.5;
        double best = -dec * step / (2 * curvature);
        return Math.max(0.1 * step, Math.min(0.5 * step, best));
    }

    /**
     * The search direction: −B_ff⁻¹g_f on the free variables (0 on the active ones), or without
     * B a steepest-descent step of length at most 0.5. Returns the slope gᵀd.
     */
    private double direction(double[][] b, double[] g, boolean[] active, double[] d) {
        java.util.Arrays.fill(d, 0);
        if (b == null) {
            double gmax = 0;
            for (int i = 0; i < n; i++) if (!active[i]) gmax = Math.max(gmax, Math.abs(g[i]));
            double scale = gmax > 0 ? Math.min(1, 0.5 / gmax) : 0;
            for (int i = 0; i < n; i++) if (!active[i]) d[i] = -scale * g[i];
        } else {
            int[] free = java.util.stream.IntStream.range(0, n).filter(i -> !active[i]).toArray();
            int m = free.length;
            double[][] a = new double[m][m + 1];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) a[r][c] = b[free[r]][free[c]];
                a[r][m] = -g[free[r]];
            }
            if (!solveInPlace(a)) return Double.NaN;
            for (int r = 0; r < m; r++) d[free[r]] = a[r][m];
        }
        double slope = 0;
        for (int i = 0; i < n; i++) slope += d[i] * g[i];
        return slope;
    }

    /** Gaussian elimination with partial pivoting on an augmented m × (m+1) system. */
    private static boolean solveInPlace(double[][] a) {
        int m = a.length;
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (!(Math.abs(a[piv][col]) > 0)) return false;
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            for (int r = col + 1; r < m; r++) {
                double factor = a[r][col] / a[col][col];
                for (int c = col; c <= m; c++) a[r][c] -= factor * a[col][c];
            }
        }
        for (int r = m - 1; r >= 0; r--) {
            double acc = a[r][m];
            for (int c = r + 1; c < m; c++) acc -= a[r][c] * a[c][m];
            a[r][m] = acc / a[r][r];
        }
        return true;
    }

    /** max over i of |gᵢ|·max(1, |xᵢ|), leaving out variables held at their bound. */
    private double projectedGradient(double[] x, double[] g) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] <= lower[i] && g[i] > 0) continue;
            m = Math.max(m, Math.abs(g[i]) * Math.max(1, Math.abs(x[i])));
        }
        return m;
    }

    /** Variables at their bound whose gradient pushes them further out. */
    private boolean[] active(double[] x, double[] g) {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = x[i] <= lower[i] && g[i] > 0;
        return a;
    }

    /**
     * The analytic gradient where there is one, else forward differences (backward is never
     * needed: the bounds are lower bounds only).
     */
    double[] gradient(double[] x, double fx) {
        double[] g = new double[n];
        if (analytic != null) {
            evaluations++;
            if (analytic.at(x, g)) return g;
        }
        double[] y = x.clone();
        for (int i = 0; i < n; i++) {
            double hstep = 1e-8 * Math.max(1, Math.abs(x[i]));
            y[i] = x[i] + hstep;
            g[i] = (eval(y) - fx) / hstep;
            y[i] = x[i];
        }
        return g;
    }

    /** B ← B − (Bs)(Bs)ᵀ/(sᵀBs) + yyᵀ/(sᵀy). */
    private void bfgsUpdate(double[][] b, double[] s, double[] y, double sy) {
        double[] bs = new double[n];
        double sbs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) bs[i] += b[i][j] * s[j];
            sbs += s[i] * bs[i];
        }
        if (!(sbs > 0)) return;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) b[i][j] += -bs[i] * bs[j] / sbs + y[i] * y[j] / sy;
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
