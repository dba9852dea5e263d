package org.varpart.lmm;

import java.util.List;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * The products of one response with a design (docs/model.md#shared-design): Zⱼᵀy for each
 * random-effects term, Xᵀy and yᵀy, computed in one pass over the observations. Everything a fit
 * needs from y, once per feature: the start values, the criterion's last block row of A and the
 * model without random effects all read them from here.
 *
 * @param y the response, one value per observation of the design
 * @param zty per term j, Zⱼᵀy (qⱼ values, level by level)
 * @param xty Xᵀy (p values)
 * @param yty yᵀy
 */
public record ResponseStatistics(double[] y, double[][] zty, double[] xty, double yty) {

    /**
     * The statistics of y on design d: O(n(Σcⱼ + p)). Every sum runs over the observations in
     * order. X's columns are summed four at a time with yᵀy: each sum keeps its order, so its
     * value, and the processor runs the four side by side rather than one dependent addition
     * after another.
     */
    public static ResponseStatistics of(Design d, double[] y) {
        int n = d.n(), p = d.p();
        if (y.length != n) throw new IllegalArgumentException("response has " + y.length + " values, the design " + n);
        List<ReTerm> terms = d.terms();
        double[][] zty = new double[terms.size()][];
        for (int t = 0; t < zty.length; t++) zty[t] = new double[terms.get(t).q()];
        double[] xty = new double[p];
        // term by term and column by column: each sum still runs over the observations in order
        for (int t = 0; t < zty.length; t++) {
            ReTerm term = terms.get(t);
            int c = term.columns();
            double[] zt = zty[t];
            if (c == 1) {
                for (int obs = 0; obs < n; obs++) zt[term.code(obs)] += y[obs] * term.z(obs, 0);
                continue;
            }
            for (int obs = 0; obs < n; obs++) {
                double yv = y[obs];
                int base = term.code(obs) * c;
                for (int v = 0; v < c; v++) zt[base + v] += yv * term.z(obs, v);
            }
        }
        double[] x = d.x();
        double yty = 0;
        for (int s = 0; s < p || s == 0; s += 4) {
            // up to four columns of X (and yᵀy with the first group) in one pass
            int cols = Math.max(0, Math.min(4, p - s));
            int c0 = s * n, c1 = (s + 1) * n, c2 = (s + 2) * n, c3 = (s + 3) * n;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0, q = yty;
            boolean first = s == 0;
            for (int obs = 0; obs < n; obs++) {
                double yv = y[obs];
                if (first) q += yv * yv;
                if (cols > 0) a0 += yv * x[c0 + obs];
                if (cols > 1) a1 += yv * x[c1 + obs];
                if (cols > 2) a2 += yv * x[c2 + obs];
                if (cols > 3) a3 += yv * x[c3 + obs];
            }
            yty = q;
            if (cols > 0) xty[s] = a0;
            if (cols > 1) xty[s + 1] = a1;
            if (cols > 2) xty[s + 2] = a2;
            if (cols > 3) xty[s + 3] = a3;
        }
        return new ResponseStatistics(y, zty, xty, yty);
    }

    /**
     * The same response's statistics on a design built from some of these terms' columns (the
     * reduced models of the component tests): each term of {@code to} is one of {@code from} (the
     * same grouping factor) with some of its columns, in any order of terms. No pass over the
     * observations: Zᵀy of a kept column is the one already summed.
     */
    public ResponseStatistics restrict(List<ReTerm> from, List<ReTerm> to) {
        double[][] out = new double[to.size()][];
        for (int j = 0; j < to.size(); j++) {
            ReTerm t = to.get(j);
            int src = t.sourceIn(from);
            if (src < 0) throw new IllegalArgumentException("no term on " + t.group() + " to restrict");
            ReTerm f = from.get(src);
            int cf = f.columns(), ct = t.columns();
            int[] col = new int[ct];
            for (int a = 0; a < ct; a++) col[a] = java.util.Arrays.asList(f.columnNames()).indexOf(t.columnName(a));
            out[j] = new double[t.q()];
            for (int lev = 0; lev < t.levels(); lev++) {
                for (int a = 0; a < ct; a++) out[j][lev * ct + a] = zty[src][lev * cf + col[a]];
            }
        }
        return new ResponseStatistics(y, out, xty, yty);
    }
}
