package org.varpart.gwas;

/**
 * GEMMA's search for the λ that maximises a {@link SpectralLmm}'s log-likelihood (its
 * {@code CalcLambda}): the same grid, the same root bracketing and polishing, the same rules for
 * the ends of the range and for failures, so that λ, and every p-value that depends on it, agree
 * with GEMMA's to its printed digits.
 */
final class LambdaSearch {
    private LambdaSearch() {}

    /**
     * GEMMA's maximisation over λ in [{@link SpectralLmm#L_MIN}, {@link SpectralLmm#L_MAX}]: the
     * derivative is evaluated on the grid of {@link SpectralLmm#N_REGION} intervals equal on the
     * log scale; in each interval where it changes sign a root is bracketed by Brent's method (to 10% of λ) and polished by Newton's
     * (to 1e-5 relative, keeping the last iterate but one, as GEMMA does); the best root, or the
     * better end of the range, wins. A Newton iteration that leaves the range or does not settle
     * makes the whole result NaN, as in GEMMA.
     */
    static SpectralLmm.Optimum maximise(SpectralLmm m, boolean reml) {
        double step = Math.log(SpectralLmm.L_MAX / SpectralLmm.L_MIN) / SpectralLmm.N_REGION;
        double[] grid = new double[SpectralLmm.N_REGION + 1], dev = new double[SpectralLmm.N_REGION + 1];
        for (int i = 0; i <= SpectralLmm.N_REGION; i++) {
            grid[i] = SpectralLmm.L_MIN * Math.exp(step * i);
            dev[i] = m.derivatives(grid[i], reml, false)[0];
        }
        double lambda = Double.NaN, logf = Double.NaN;
        boolean any = false;
        for (int i = 0; i < SpectralLmm.N_REGION; i++) {
            if (!(dev[i] * dev[i + 1] <= 0)) continue;
            double start = brent(m, reml, grid[i], grid[i + 1], dev[i], dev[i + 1]);
            if (Double.isNaN(start)) break;
            double root = newton(m, reml, start);
            if (Double.isNaN(root)) return new SpectralLmm.Optimum(Double.NaN, Double.NaN);
            root = Math.min(SpectralLmm.L_MAX, Math.max(SpectralLmm.L_MIN, root));
            double f = m.logLik(root, reml);
            if (!any || logf < f) {
                logf = f;
                lambda = root;
            }
            any = true;
        }
        double fLow = m.logLik(SpectralLmm.L_MIN, reml), fHigh = m.logLik(SpectralLmm.L_MAX, reml);
        if (!any) return fLow >= fHigh ? new SpectralLmm.Optimum(SpectralLmm.L_MIN, fLow) : new SpectralLmm.Optimum(SpectralLmm.L_MAX, fHigh);
        if (fLow > logf) {
            lambda = SpectralLmm.L_MIN;
            logf = fLow;
        }
        if (fHigh > logf) {
            lambda = SpectralLmm.L_MAX;
            logf = fHigh;
        }
        return new SpectralLmm.Optimum(lambda, logf);
    }

    /**
     * Brent's root bracketing of the derivative on [lo, hi] (Brent 1973: inverse quadratic or
     * secant steps kept inside the bracket, bisection otherwise), stopped when the bracket is
     * narrower than 10% of its smaller end; returns the best estimate, NaN after 100 steps.
     */
    private static double brent(SpectralLmm m, boolean reml, double lo, double hi, double flo, double fhi) {
        double a = lo, fa = flo, b = hi, fb = fhi, c = hi, fc = fhi, d = hi - lo, e = hi - lo;
        for (int iter = 0; iter < 100; iter++) {
            boolean acEqual = false;
            if ((fb < 0 && fc < 0) || (fb > 0 && fc > 0)) {
                acEqual = true;
                c = a;
                fc = fa;
                d = b - a;
                e = b - a;
            }
            if (Math.abs(fc) < Math.abs(fb)) {
                acEqual = true;
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }
            double tol = 0.5 * Math.ulp(1.0) * Math.abs(b);
            double half = 0.5 * (c - b);
            if (fb == 0 || Math.abs(half) <= tol) return b;
            if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
                d = half;
                e = half;
            } else {
                double s = fb / fa, p, q;
                if (acEqual) {
                    p = 2 * half * s;
                    q = 1 - s;
                } else {
                    double qa = fa / fc, r = fb / fc;
                    p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
                    q = (qa - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) q = -q;
                else p = -p;
                if (2 * p < Math.min(3 * half * q - Math.abs(tol * q), Math.abs(e * q))) {
                    e = d;
                    d = p / q;
                } else {
                    d = half;
                    e = half;
                }
            }
            a = b;
            fa = fb;
            b += Math.abs(d) > tol ? d : (half > 0 ? tol : -tol);
            fb = m.derivatives(b, reml, false)[0];
            if ((fb < 0 && fc < 0) || (fb > 0 && fc > 0)) c = a;
            double lower = Math.min(b, c), upper = Math.max(b, c);
            double minAbs = (lower > 0 || upper < 0) ? Math.min(Math.abs(lower), Math.abs(upper)) : 0;
            if (Math.abs(upper - lower) < 0.1 * minAbs) return b;
        }
        return Double.NaN;
    }

    /** Newton's iteration on the derivative from {@code x}; the iterate before the last, or NaN. */
    private static double newton(SpectralLmm m, boolean reml, double x) {
        double[] fd = m.derivatives(x, reml, true);
        double root = x;
        for (int iter = 0; iter < 100; iter++) {
            if (fd[1] == 0 || !Double.isFinite(fd[0]) || !Double.isFinite(fd[1])) return Double.NaN;
            double previous = root;
            root = previous - fd[0] / fd[1];
            if (!Double.isFinite(root)) return Double.NaN;
            // the step's size alone decides; the derivatives at the new root are needed only for the next step
            if (Math.abs(root - previous) < 1e-5 * Math.abs(root)) return previous;
            fd = m.derivatives(root, reml, true);
            if (!(root > SpectralLmm.L_MIN && root < SpectralLmm.L_MAX)) return Double.NaN;
        }
        return Double.NaN;
    }
}
