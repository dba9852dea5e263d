package org.varpart.stats;

import java.util.Arrays;
import java.util.List;
import org.varpart.design.ReTerm;
import org.varpart.lmm.CovarianceTerm;

/**
 * Where a reduced model of the component tests ({@link RandomTermTests}) starts its optimiser:
 * at the full fit's θ̂ with the removed parameters taken out. A term kept whole keeps its θ
 * slice. A term that lost a column keeps the covariance of its other columns: with
 * Σ = TTᵀ the full term's relative covariance, the reduced term's T is the Cholesky factor of Σ
 * restricted to the kept columns. A diagonal entry below {@link #FLOOR} starts at the floor: at
 * 0 the criterion is flat in a scalar term's θ (it depends on θ²), so an optimiser started there
 * could not move the variance that the removed term leaves to it. The mapping depends on the
 * terms only and is built once per design.
 */
final class ReducedStart {
    /** The least a diagonal entry of T starts at. */
    static final double FLOOR = 0.1;

    private final List<CovarianceTerm> full, reduced;
    /** Per reduced term: the full term it comes from, and the full term's index of each of its columns. */
    private final int[] source;
    private final int[][] columns;

    /** @param to the reduced model's terms, each one of {@code from} (same grouping factor) with some of its columns */
    ReducedStart(List<ReTerm> from, List<ReTerm> to) {
        this.full = CovarianceTerm.of(from);
        this.reduced = CovarianceTerm.of(to);
        this.source = new int[to.size()];
        this.columns = new int[to.size()][];
        for (int j = 0; j < to.size(); j++) {
            ReTerm t = to.get(j);
            int src = t.sourceIn(from);
            if (src < 0) throw new IllegalArgumentException("no term on " + t.group() + " in the full model");
            source[j] = src;
            List<String> names = Arrays.asList(from.get(src).columnNames());
            columns[j] = new int[t.columns()];
            for (int a = 0; a < t.columns(); a++) columns[j][a] = names.indexOf(t.columnName(a));
        }
    }

    /** The reduced model's start from the full fit's θ̂. */
    double[] from(double[] theta) {
        double[] out = new double[CovarianceTerm.nTheta(reduced)];
        for (int j = 0; j < reduced.size(); j++) {
            CovarianceTerm f = full.get(source[j]);
            int cf = f.columns(), c = columns[j].length;
            double[] tf = f.factor(theta);
            // Σ restricted to the kept columns, then its Cholesky factor (T itself when nothing is removed)
            double[] t = new double[c * c];
            for (int b = 0; b < c; b++) {
                for (int a = b; a < c; a++) {
                    int ra = columns[j][a], rb = columns[j][b];
                    double s = 0;
                    for (int x = 0; x <= Math.min(ra, rb); x++) s += tf[x * cf + ra] * tf[x * cf + rb];
                    t[b * c + a] = s;
                }
            }
            cholesky(t, c);
            int idx = reduced.get(j).offset();
            for (int b = 0; b < c; b++) {
                for (int a = b; a < c; a++) out[idx++] = a == b ? Math.max(t[b * c + a], FLOOR) : t[b * c + a];
            }
        }
        return out;
    }

    /** In place, lower triangle, column-major; a non-positive pivot leaves that column 0 below the diagonal. */
    private static void cholesky(double[] s, int c) {
        for (int j = 0; j < c; j++) {
            double d = s[j * c + j];
            for (int x = 0; x < j; x++) d -= s[x * c + j] * s[x * c + j];
            double piv = d > 0 ? Math.sqrt(d) : 0;
            s[j * c + j] = piv;
            for (int i = j + 1; i < c; i++) {
                double v = s[j * c + i];
                for (int x = 0; x < j; x++) v -= s[x * c + i] * s[x * c + j];
                s[j * c + i] = piv > 0 ? v / piv : 0;
            }
        }
    }
}
