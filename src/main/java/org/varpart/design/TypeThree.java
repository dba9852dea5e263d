package org.varpart.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.varpart.formula.Term;
import org.varpart.formula.TermList;

/**
 * The contrast matrices of type III hypotheses for the fixed terms of a design, defined as
 * lmerTest 3.1 defines them for treatment-coded designs, so that varpart's F tests of every
 * fixed term (main effects inside interactions included) are lmerTest's default {@code anova}.
 *
 * <p>Let X (n × p, full column rank) be the fixed-effects matrix and R the over-parameterised
 * matrix: the intercept, then for each term t the columns of {@code ~ 0 + t} (every level of
 * every factor, numeric variables multiplied in). Every column of R is expressed in X's columns,
 * B = (XᵀX)⁻¹XᵀR (rounded as R's {@code zapsmall}), and L = Bᵀ has one row per column of R and
 * one column per column of X. Visiting the terms from the highest order down, the columns of L
 * of a term that is contained in others are replaced by their residuals after least squares on
 * the columns of the terms that contain it. A term s contains t when every variable of t is a
 * variable of s and the two have the same numeric (single-column) variables. The rows of L named
 * as X's columns are kept; the contrast of term t is the transpose of L's columns of t, without
 * rows whose absolute sum is below 1e-8. Its hypothesis is Cβ = 0.
 *
 * <p>With a single term (or a single column) lmerTest uses the type I contrasts instead: the rows
 * of the transposed unit lower factor of XᵀX's Doolittle decomposition that belong to the term.
 */
public final class TypeThree {
    private TypeThree() {}

    /** One fixed term as the containment rule sees it. */
    public record TermInfo(String label, Set<String> variables, Set<String> numericVariables, int order) {}

    /**
     * @param x X column-major (n × p)
     * @param xNames X's column names
     * @param assign for each column of X its index in {@code terms} (0 is the intercept when present)
     * @param terms the fixed terms in {@code assign}'s order; the intercept's entry has no variables
     * @param intercept whether the first entry of {@code terms} is the intercept
     * @param rd the columns of R, each of length n
     * @param rdNames R's column names
     * @return for each entry of {@code terms}, its contrast matrix (q × p), or null for the intercept;
     *     null altogether when an X column has no over-parameterised counterpart
     */
    public static List<double[][]> contrasts(double[] x, int n, String[] xNames, int[] assign, List<TermInfo> terms,
                                             boolean intercept, List<double[]> rd, List<String> rdNames) {
        int p = xNames.length;
        int first = intercept ? 1 : 0;
        List<double[][]> out = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) out.add(null);
        if (p == 0) return out;
        double[][] xtx = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += x[a * n + i] * x[b * n + i];
                xtx[a][b] = s;
                xtx[b][a] = s;
            }
        }
        if (p <= 1 || terms.size() - first <= 1) {
            double[][] u = doolittleUpper(xtx);
            for (int t = first; t < terms.size(); t++) out.set(t, rows(u, columnsOf(assign, t)));
            return out;
        }
        // B = (XᵀX)⁻¹ Xᵀ R, then L = Bᵀ (rows: R's columns; columns: X's columns)
        int m = rd.size();
        double[][] xtr = new double[p][m];
        for (int a = 0; a < p; a++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                double[] r = rd.get(c);
                for (int i = 0; i < n; i++) s += x[a * n + i] * r[i];
                xtr[a][c] = s;
            }
        }
        RealMatrix b = new CholeskyDecomposition(new Array2DRowRealMatrix(xtx), 0, 0).getSolver()
                .solve(new Array2DRowRealMatrix(xtr));
        double[][] l = zapsmall(b.transpose().getData());
        List<Integer> order = new ArrayList<>();
        for (int t = first; t < terms.size(); t++) order.add(t);
        order.sort(Comparator.comparingInt((Integer t) -> -terms.get(t).order()));
        for (int t : order) {
            List<Integer> containers = new ArrayList<>();
            for (int s = first; s < terms.size(); s++) if (s != t && contains(terms.get(s), terms.get(t))) containers.add(s);
            if (containers.isEmpty()) continue;
            int[] tc = columnsOf(assign, t);
            List<Integer> cc = new ArrayList<>();
            for (int s : containers) for (int j : columnsOf(assign, s)) cc.add(j);
            residualise(l, tc, cc.stream().mapToInt(Integer::intValue).toArray());
        }
        int[] keep = new int[p];
        for (int j = 0; j < p; j++) {
            keep[j] = rdNames.indexOf(xNames[j]);
            if (keep[j] < 0) return null; // cannot happen with this builder's names; no type III then
        }
        for (int t = first; t < terms.size(); t++) {
            int[] tc = columnsOf(assign, t);
            List<double[]> rowsOut = new ArrayList<>();
            for (int j : tc) {
                double[] row = new double[p];
                double abs = 0;
                for (int k = 0; k < p; k++) {
                    row[k] = l[keep[k]][j];
                    abs += Math.abs(row[k]);
                }
                if (abs > 1e-8) rowsOut.add(row);
            }
            out.set(t, rowsOut.toArray(new double[0][]));
        }
        return out;
    }

    /** The type III contrasts of the fixed terms, from the over-parameterised matrix; null where they cannot be formed. */
    static List<double[][]> of(TermList fixed, Map<String, Variable> vars, int[] rows, Design d) {
        List<TypeThree.TermInfo> info = new ArrayList<>();
        List<double[]> rd = new ArrayList<>();
        List<String> rdNames = new ArrayList<>();
        if (fixed.intercept()) {
            double[] one = new double[rows.length];
            Arrays.fill(one, 1.0);
            rd.add(one);
            rdNames.add("(Intercept)");
            info.add(new TypeThree.TermInfo("(Intercept)", Set.of(), Set.of(), 0));
        }
        for (Term t : fixed.terms()) {
            Set<String> numeric = new java.util.TreeSet<>();
            for (String v : t.key()) {
                if (vars.get(v) instanceof Variable.Numeric num && num.width() == 1) numeric.add(v);
            }
            info.add(new TypeThree.TermInfo(t.label(), t.key(), numeric, t.key().size()));
            ModelMatrix.Columns c = ModelMatrix.of(new TermList(false, List.of(t)), vars, rows);
            rd.addAll(c.cols);
            rdNames.addAll(c.names);
        }
        if (info.size() != d.fixedTerms().size()) return null;
        int[] assign = new int[d.p()];
        for (int j = 0; j < d.p(); j++) assign[j] = d.assign(j);
        try {
            return contrasts(d.x(), d.n(), d.xNames(), assign, info, fixed.intercept(), rd, rdNames);
        } catch (org.apache.commons.math3.exception.MathIllegalArgumentException e) {
            return null; // XᵀX not numerically positive definite: the terms' own coefficients are tested instead
        }
    }

    /** Whether term s contains term t (lmerTest's rule, see the class comment). */
    static boolean contains(TermInfo s, TermInfo t) {
        return s.variables().containsAll(t.variables()) && s.numericVariables().equals(t.numericVariables());
    }

    private static int[] columnsOf(int[] assign, int t) {
        return Arrays.stream(java.util.stream.IntStream.range(0, assign.length).toArray()).filter(j -> assign[j] == t).toArray();
    }

    private static double[][] rows(double[][] a, int[] idx) {
        double[][] r = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) r[i] = a[idx[i]].clone();
        return r;
    }

    /**
     * The transposed unit lower factor of the Doolittle decomposition A = LU, with lmerTest's
     * rule: an entry of L whose pivot is below 1e-6 in absolute value, or which is itself below
     * 1e-6, is zero.
     */
    static double[][] doolittleUpper(double[][] a) {
        int n = a.length;
        double[][] lo = new double[n][n];
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) lo[i][i] = 1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = a[i][j];
                for (int k = 0; k < i; k++) s -= lo[i][k] * u[k][j];
                u[i][j] = s;
            }
            for (int j = i + 1; j < n; j++) {
                double s = a[j][i];
                for (int k = 0; k < i; k++) s -= lo[j][k] * u[k][i];
                lo[j][i] = Math.abs(u[i][i]) < 1e-6 ? 0 : s / u[i][i];
            }
        }
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[j][i] = Math.abs(lo[i][j]) < 1e-6 ? 0 : lo[i][j];
        return t;
    }

    /** Replaces columns {@code y} of l by their least-squares residuals on columns {@code x}, then zapsmall. */
    private static void residualise(double[][] l, int[] y, int[] x) {
        int r = l.length;
        // orthonormal basis of the x columns (modified Gram–Schmidt, twice; dependent columns skipped)
        List<double[]> basis = new ArrayList<>();
        for (int c : x) {
            double[] v = new double[r];
            for (int i = 0; i < r; i++) v[i] = l[i][c];
            double n0 = norm(v);
            for (int pass = 0; pass < 2; pass++) for (double[] q : basis) project(v, q);
            double nv = norm(v);
            if (n0 > 0 && nv > 1e-7 * n0) {
                for (int i = 0; i < r; i++) v[i] /= nv;
                basis.add(v);
            }
        }
        double[][] res = new double[r][y.length];
        for (int k = 0; k < y.length; k++) {
            double[] v = new double[r];
            for (int i = 0; i < r; i++) v[i] = l[i][y[k]];
            for (int pass = 0; pass < 2; pass++) for (double[] q : basis) project(v, q);
            for (int i = 0; i < r; i++) res[i][k] = v[i];
        }
        res = zapsmall(res);
        for (int k = 0; k < y.length; k++) for (int i = 0; i < r; i++) l[i][y[k]] = res[i][k];
    }

    private static void project(double[] v, double[] q) {
        double d = 0;
        for (int i = 0; i < v.length; i++) d += v[i] * q[i];
        for (int i = 0; i < v.length; i++) v[i] -= d * q[i];
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) s += d * d;
        return Math.sqrt(s);
    }

    /**
     * R's {@code zapsmall} with 7 digits: rounds to 7 − log10(max |a|) decimal places, that count
     * rounded to the nearest integer as R's {@code round} does with a fractional {@code digits}.
     */
    static double[][] zapsmall(double[][] a) {
        double mx = 0;
        for (double[] row : a) for (double v : row) if (!Double.isNaN(v)) mx = Math.max(mx, Math.abs(v));
        int digits = mx > 0 ? Math.max(0, (int) Math.floor(7 - Math.log10(mx) + 0.5)) : 7;
        double scale = Math.pow(10, digits);
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) out[i][j] = Math.rint(a[i][j] * scale) / scale;
        }
        return out;
    }
}
