package org.varpart.counts;

import java.util.Arrays;
import java.util.Comparator;

/**
 * R's {@code lowess(x, y, f, iter = 3, delta = 0.01·range(x))}: Cleveland's robust locally
 * weighted linear regression, computed step for step as R's C routine {@code clowess} does so that
 * the smooth is the same to rounding.
 * <p>For each estimated point xᵢ the window is the ns = max(2, min(n, ⌊f·n + 10⁻⁷⌋)) nearest
 * points (ties on the right included), with tricube weights (1 − (|x − xᵢ|/h)³)³ (1 within
 * 0.001h, 0 beyond 0.999h), times the robustness weights after the first pass; the fit is the
 * weighted mean, with a weighted linear term when the points spread over more than 0.001 of the
 * range. Points within {@code delta} of the last estimated one are interpolated linearly. After
 * each pass the robustness weights are the bisquare (1 − (r/6m)²)² of the residuals, m their
 * median absolute value (1 within 0.001·6m, 0 beyond 0.999·6m); iterating stops early when 6m
 * is below 10⁻⁷ times the mean absolute residual.
 */
public final class Lowess {
    /** The sorted x and the smooth at each. */
    public record Smooth(double[] x, double[] y) {}

    private Lowess() {}

    /** R's {@code lowess(x, y, f = span)}: points ordered by x (stably), three robustness iterations. */
    public static Smooth smooth(double[] x, double[] y, double span) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        double delta = n == 0 ? 0 : 0.01 * (xs[n - 1] - xs[0]);
        return new Smooth(xs, fit(xs, ys, span, 3, delta));
    }

    /** {@code clowess} on x sorted increasingly. */
    public static double[] fit(double[] x, double[] y, double f, int iterations, double delta) {
        int n = x.length;
        double[] ys = new double[n];
        if (n < 2) {
            if (n == 1) ys[0] = y[0];
            return ys;
        }
        double[] rw = new double[n], res = new double[n], w = new double[n];
        int ns = Math.max(2, Math.min(n, (int) (f * n + 1e-7)));
        for (int iter = 1; iter <= iterations + 1; iter++) {
            smoothPass(x, y, ns, delta, iter > 1, rw, w, ys);
            double sc = 0;
            for (int i = 0; i < n; i++) {
                res[i] = y[i] - ys[i];
                sc += Math.abs(res[i]);
            }
            sc /= n;
            if (iter > iterations) break;
            double[] abs = new double[n];
            for (int i = 0; i < n; i++) abs[i] = Math.abs(res[i]);
            Arrays.sort(abs);
            int m1 = n / 2;
            double cmad = n % 2 == 0 ? 3 * (abs[m1] + abs[n - m1 - 1]) : 6 * abs[m1];
            if (cmad < 1e-7 * sc) break;
            double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
            for (int i = 0; i < n; i++) {
                double r = Math.abs(res[i]);
                if (r <= c1) rw[i] = 1;
                else if (r <= c9) {
                    double u = r / cmad;
                    double b = 1 - u * u;
                    rw[i] = b * b;
                } else rw[i] = 0;
            }
        }
        return ys;
    }

    /** One pass over the points: local fits at a subset, linear interpolation between them. */
    private static void smoothPass(double[] x, double[] y, int ns, double delta, boolean robust, double[] rw,
                                   double[] w, double[] ys) {
        int n = x.length;
        int nleft = 0, nright = ns - 1, last = -1, i = 0;
        while (true) {
            if (nright < n - 1) {
                double d1 = x[i] - x[nleft], d2 = x[nright + 1] - x[i];
                if (d1 > d2) {
                    nleft++;
                    nright++;
                    continue;
                }
            }
            double fitted = local(x, y, x[i], nleft, nright, w, robust, rw);
            ys[i] = Double.isNaN(fitted) ? y[i] : fitted;
            if (last < i - 1) {
                double denom = x[i] - x[last];
                for (int j = last + 1; j < i; j++) {
                    double alpha = (x[j] - x[last]) / denom;
                    ys[j] = alpha * ys[i] + (1 - alpha) * ys[last];
                }
            }
            last = i;
            double cut = x[last] + delta;
            for (i = last + 1; i < n; i++) {
                if (x[i] > cut) break;
                if (x[i] == x[last]) {
                    ys[i] = ys[last];
                    last = i;
                }
            }
            i = Math.max(last + 1, i - 1);
            if (last >= n - 1) break;
        }
    }

    /**
     * clowess's {@code lowest}: the weighted local linear fit at xs over the window
     * [nleft, nright] (extended to the right over ties), or NaN when every weight is zero.
     */
    private static double local(double[] x, double[] y, double xs, int nleft, int nright, double[] w,
                                boolean robust, double[] rw) {
        int n = x.length;
        double range = x[n - 1] - x[0];
        double h = Math.max(xs - x[nleft], x[nright] - xs);
        double h9 = 0.999 * h, h1 = 0.001 * h;
        double a = 0;
        int j = nleft;
        while (j < n) {
            w[j] = 0;
            double r = Math.abs(x[j] - xs);
            if (r <= h9) {
                if (r <= h1) w[j] = 1;
                else {
                    double q = r / h;
                    double t = 1 - q * q * q;
                    w[j] = t * t * t;
                }
                if (robust) w[j] *= rw[j];
                a += w[j];
            } else if (x[j] > xs) break;
            j++;
        }
        int nrt = j - 1;
        if (a <= 0) return Double.NaN;
        for (j = nleft; j <= nrt; j++) w[j] /= a;
        if (h > 0) {
            a = 0;
            for (j = nleft; j <= nrt; j++) a += w[j] * x[j];
            double b = xs - a, c = 0;
            for (j = nleft; j <= nrt; j++) c += w[j] * (x[j] - a) * (x[j] - a);
            if (Math.sqrt(c) > 0.001 * range) {
                b /= c;
                for (j = nleft; j <= nrt; j++) w[j] *= (b * (x[j] - a) + 1);
            }
        }
        double ys = 0;
        for (j = nleft; j <= nrt; j++) ys += w[j] * y[j];
        return ys;
    }
}
