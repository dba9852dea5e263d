package org.varpart.lmm;

import java.util.function.ToDoubleFunction;

/**
 * A projected BFGS minimiser for smooth functions of a few variables with lower bounds, using
 * finite-difference gradients. The profiled deviance is smooth in θ and cheap to evaluate once
 * the design is shared, so this needs a fraction of the work per evaluation of a model-based
 * derivative-free method, and about as many evaluations. Variables at their bound whose
 * gradient points outwards are held there (the active set); the step is projected onto the
 * bounds and accepted by an Armijo backtracking line search.
 */
final class QuasiNewton {
    private final ToDoubleFunction<double[]> f;
    private final double[] lower;
    private final int n;
    private final int maxEvaluations;
    private int evaluations;

    QuasiNewton(ToDoubleFunction<double[]> f, double[] lower, int maxEvaluations) {
        this.f = f;
        this.lower = lower;
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

    /** Minimises from x (modified in place); returns the final value. */
    double minimize(double[] x, double xtol) {
        double fx = eval(x);
        double[] g = gradient(x, fx);
        double[][] h = identity();
        double gmax = 0;
        for (double v : g) gmax = Math.max(gmax, Math.abs(v));
        if (gmax > 0) scale(h, Math.min(1, 0.5 / gmax)); // a first step of at most 0.5 in θ
        boolean scaled = false;
        double[] d = new double[n], xn = new double[n], gn, s = new double[n], yv = new double[n];
        for (int iter = 0; iter < 200 && !exhausted(); iter++) {
            boolean[] active = active(x, g);
            // d = −H g on the free variables
            double slope = 0;
            for (int i = 0; i < n; i++) {
                double acc = 0;
                if (!active[i]) for (int j = 0; j < n; j++) if (!active[j]) acc -= h[i][j] * g[j];
                d[i] = acc;
                slope += acc * g[i];
            }
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                h = identity();
                slope = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = active[i] ? 0 : -g[i];
                    slope += d[i] * g[i];
                }
                if (!(slope < 0)) break;
            }
            double step = 1, fn;
            while (true) {
                for (int i = 0; i < n; i++) xn[i] = Math.max(lower[i], x[i] + step * d[i]);
                fn = eval(xn);
                double dec = 0;
                for (int i = 0; i < n; i++) dec += g[i] * (xn[i] - x[i]);
                if (fn <= fx + 1e-4 * dec || exhausted()) break;
                step *= step > 0.1 ? 0.5 : 0.2;
                if (step < 1e-12) break;
            }
            double moved = 0;
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                moved = Math.max(moved, Math.abs(s[i]) / Math.max(1, Math.abs(x[i])));
            }
            if (!(fn < fx) || moved == 0) break;
            gn = gradient(xn, fn);
            double sy = 0;
            for (int i = 0; i < n; i++) {
                yv[i] = gn[i] - g[i];
                sy += s[i] * yv[i];
            }
            if (sy > 1e-12 * norm(s) * norm(yv)) {
                if (!scaled) { // Shanno's scaling of the initial inverse Hessian
                    h = identity();
                    scale(h, sy / (norm(yv) * norm(yv)));
                    scaled = true;
                }
                bfgsUpdate(h, s, yv, sy);
            }
            double df = fx - fn;
            System.arraycopy(xn, 0, x, 0, n);
            fx = fn;
            g = gn;
            if (moved < xtol || df < 1e-10 * (1 + Math.abs(fx))) break;
        }
        return fx;
    }

    /** Variables at their bound whose gradient pushes them further out. */
    private boolean[] active(double[] x, double[] g) {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = x[i] <= lower[i] && g[i] > 0;
        return a;
    }

    /** Forward differences (backward is never needed: the bounds are lower bounds only). */
    double[] gradient(double[] x, double fx) {
        double[] g = new double[n];
        double[] y = x.clone();
        for (int i = 0; i < n; i++) {
            double hstep = 1e-7 * Math.max(1, Math.abs(x[i]));
            y[i] = x[i] + hstep;
            g[i] = (eval(y) - fx) / hstep;
            y[i] = x[i];
        }
        return g;
    }

    private static void scale(double[][] h, double factor) {
        for (double[] row : h) for (int j = 0; j < row.length; j++) row[j] *= factor;
    }

    private double[][] identity() {
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) h[i][i] = 1;
        return h;
    }

    /** H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ with ρ = 1/sᵀy. */
    private void bfgsUpdate(double[][] h, double[] s, double[] y, double sy) {
        double rho = 1 / sy;
        double[] hy = new double[n];
        double yhy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) hy[i] += h[i][j] * y[j];
            yhy += y[i] * hy[i];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
