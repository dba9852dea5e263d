package org.varpart.design;

import java.util.Arrays;
import org.varpart.InputException;

/**
 * The natural cubic spline basis of R's {@code splines::ns(x, df)} (no intercept column): interior
 * knots at the quantiles of x (R's type 7), boundary knots at the range of x, the cubic B-spline
 * basis with the second derivative constrained to zero at both boundary knots, the constraint
 * projected out with LINPACK's Householder QR exactly as {@code ns} does, so the columns equal R's.
 */
public final class NaturalSpline {
    private final double[] interiorKnots;
    private final double[] boundary;
    private final int df;

    /**
     * Chooses knots from the present (non-NaN) values of x.
     *
     * @param df degrees of freedom: the number of basis columns (at least 1)
     */
    public NaturalSpline(double[] x, int df) {
        if (df < 1) throw new InputException("ns(): df must be at least 1, got " + df + ".");
        double[] v = Arrays.stream(x).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) throw new InputException("ns(): the variable has no present values.");
        this.df = df;
        this.boundary = new double[] {v[0], v[v.length - 1]};
        int nIknots = df - 1;
        this.interiorKnots = new double[nIknots];
        for (int i = 0; i < nIknots; i++) {
            interiorKnots[i] = quantile7(v, (i + 1.0) / (nIknots + 1.0));
        }
    }

    /** R's default quantile (type 7) of sorted values. */
    static double quantile7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double f = h - lo;
        return sorted[lo] + f * (sorted[hi] - sorted[lo]);
    }

    public double[] interiorKnots() {
        return interiorKnots.clone();
    }

    public double[] boundaryKnots() {
        return boundary.clone();
    }

    public int df() {
        return df;
    }

    /** The full knot sequence: each boundary knot 4 times around the interior knots. */
    private double[] allKnots() {
        double[] t = new double[interiorKnots.length + 8];
        for (int i = 0; i < 4; i++) {
            t[i] = boundary[0];
            t[t.length - 1 - i] = boundary[1];
        }
        System.arraycopy(interiorKnots, 0, t, 4, interiorKnots.length);
        return t;
    }

    /**
     * The basis at the given points: {@code result[i][j]} is column j at x[i]; NaN rows for NaN x.
     * Points outside the boundary knots are not supported (they do not occur when the basis is
     * evaluated on the data it was built from).
     */
    public double[][] basis(double[] x) {
        double[] t = allKnots();
        int nb = t.length - 4; // number of cubic B-splines
        // constraint rows: second derivatives at both boundaries, first basis function dropped
        double[][] cons = new double[2][];
        cons[0] = Arrays.copyOfRange(bspline(t, 4, boundary[0], 2), 1, nb);
        cons[1] = Arrays.copyOfRange(bspline(t, 4, boundary[1], 2), 1, nb);
        int m = nb - 1;
        // Householder QR of t(cons) (m x 2), LINPACK dqrdc convention
        double[][] a = new double[2][m]; // columns of t(cons)
        for (int j = 0; j < 2; j++) a[j] = cons[j].clone();
        double[] qraux = new double[2];
        for (int l = 0; l < 2; l++) {
            double nrm = 0;
            for (int i = l; i < m; i++) nrm = Math.hypot(nrm, a[l][i]);
            if (nrm == 0) {
                qraux[l] = 0;
                continue;
            }
            if (a[l][l] != 0) nrm = Math.copySign(nrm, a[l][l]);
            for (int i = l; i < m; i++) a[l][i] /= nrm;
            a[l][l] += 1;
            for (int j = l + 1; j < 2; j++) {
                double s = 0;
                for (int i = l; i < m; i++) s += a[l][i] * a[j][i];
                double tt = -s / a[l][l];
                for (int i = l; i < m; i++) a[j][i] += tt * a[l][i];
            }
            qraux[l] = a[l][l];
            a[l][l] = -nrm;
        }
        double[][] out = new double[x.length][df];
        for (int r = 0; r < x.length; r++) {
            if (Double.isNaN(x[r])) {
                Arrays.fill(out[r], Double.NaN);
                continue;
            }
            double[] b = Arrays.copyOfRange(bspline(t, 4, x[r], 0), 1, nb);
            // Q' b: apply H1 then H2 (LINPACK dqrsl, job "qty")
            for (int l = 0; l < 2; l++) {
                if (qraux[l] == 0) continue;
                double diag = a[l][l];
                a[l][l] = qraux[l];
                double s = 0;
                for (int i = l; i < m; i++) s += a[l][i] * b[i];
                double tt = -s / a[l][l];
                for (int i = l; i < m; i++) b[i] += tt * a[l][i];
                a[l][l] = diag;
            }
            System.arraycopy(b, 2, out[r], 0, df);
        }
        return out;
    }

    /**
     * Values (or derivatives of order {@code deriv}) of all B-splines of the given order on knots
     * t at x, by the Cox–de Boor recursion. At the right end knot the left limit is used.
     */
    static double[] bspline(double[] t, int order, double x, int deriv) {
        int nk = t.length;
        // order-1 indicator: the interval containing x (the last non-empty one at the right end)
        double[] b = new double[nk - 1];
        int span = -1;
        for (int i = 0; i < nk - 1; i++) {
            if (t[i] <= x && x < t[i + 1]) span = i;
        }
        if (span < 0) {
            for (int i = nk - 2; i >= 0; i--) {
                if (t[i] < t[i + 1] && x == t[i + 1]) {
                    span = i;
                    break;
                }
            }
        }
        if (span >= 0) b[span] = 1;
        return raise(t, b, 1, order, x, deriv);
    }

    /** From basis of order {@code m} to {@code order}, differentiating in the last {@code deriv} steps. */
    private static double[] raise(double[] t, double[] b, int m, int order, double x, int deriv) {
        while (m < order) {
            int k = m + 1; // new order
            double[] nb = new double[t.length - k];
            boolean differentiate = order - m <= deriv;
            for (int i = 0; i < nb.length; i++) {
                double d1 = t[i + k - 1] - t[i];
                double d2 = t[i + k] - t[i + 1];
                double left, right;
                if (differentiate) {
                    left = d1 > 0 ? (k - 1) * b[i] / d1 : 0;
                    right = d2 > 0 ? (k - 1) * b[i + 1] / d2 : 0;
                    nb[i] = left - right;
                } else {
                    left = d1 > 0 ? (x - t[i]) / d1 * b[i] : 0;
                    right = d2 > 0 ? (t[i + k] - x) / d2 * b[i + 1] : 0;
                    nb[i] = left + right;
                }
            }
            b = nb;
            m = k;
        }
        return b;
    }
}
