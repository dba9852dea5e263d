package org.varpart.counts;

import java.util.ArrayList;
import java.util.List;

/**
 * R's {@code approxfun(x, y, rule = 2)}: linear interpolation through the points, constant beyond
 * the first and last x (rule 2). Tied x values are first collapsed to one point at the mean of
 * their y (approxfun's default {@code ties = mean}).
 */
public final class Interpolation implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] x, y;

    /** @param x increasing (ties allowed) */
    public Interpolation(double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("need as many x as y, at least one");
        List<double[]> pts = new ArrayList<>();
        int i = 0;
        while (i < x.length) {
            int j = i;
            double s = 0;
            while (j < x.length && x[j] == x[i]) s += y[j++];
            if (i > 0 && x[i] < x[i - 1]) throw new IllegalArgumentException("x must be sorted");
            pts.add(new double[] {x[i], s / (j - i)});
            i = j;
        }
        this.x = new double[pts.size()];
        this.y = new double[pts.size()];
        for (int k = 0; k < pts.size(); k++) {
            this.x[k] = pts.get(k)[0];
            this.y[k] = pts.get(k)[1];
        }
    }

    /** The interpolated value at v (NaN for NaN). */
    public double value(double v) {
        if (Double.isNaN(v)) return Double.NaN;
        int n = x.length;
        if (v < x[0]) return y[0];
        if (v > x[n - 1]) return y[n - 1];
        int i = 0, j = n - 1;
        while (i < j - 1) {
            int m = (i + j) >>> 1;
            if (v < x[m]) j = m;
            else i = m;
        }
        if (v == x[j]) return y[j];
        if (v == x[i]) return y[i];
        return y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]));
    }

    /** The knots after collapsing ties. */
    public double[] knotsX() {
        return x.clone();
    }

    public double[] knotsY() {
        return y.clone();
    }
}
