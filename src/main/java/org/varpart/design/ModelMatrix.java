package org.varpart.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.varpart.InputException;
import org.varpart.formula.Expr;
import org.varpart.formula.Term;
import org.varpart.formula.TermList;

/**
 * Model-matrix columns of a term list, as R's {@code model.matrix} makes them (used for the
 * fixed effects, for each random-effects term's per-level columns, and for the type III tests),
 * and the removal of linearly dependent fixed-effects columns that lme4 does with a message.
 */
final class ModelMatrix {
    private ModelMatrix() {}

    /** Relative tolerance below which a fixed-effects column counts as linearly dependent (lme4's 1e-7). */
    static final double RANK_TOLERANCE = 1e-7;

    /** Model-matrix columns with their names and terms. */
    static final class Columns {
        final List<double[]> cols = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<Integer> assign = new ArrayList<>();
        final List<String> termLabels = new ArrayList<>();
    }

    /**
     * The model matrix of a term list over the given rows, as R's {@code model.matrix}: an
     * intercept column, then each term's columns; a factor in a term is coded by contrasts when
     * the term without it is contained in an earlier term (or is empty), else by indicators; with
     * no intercept, the first factor of the first term that has one is coded by indicators.
     */
    static Columns of(TermList tl, Map<String, Variable> vars, int[] rows) {
        Columns out = new Columns();
        int n = rows.length;
        if (tl.intercept()) {
            double[] one = new double[n];
            Arrays.fill(one, 1.0);
            out.cols.add(one);
            out.names.add("(Intercept)");
            out.assign.add(0);
            out.termLabels.add("(Intercept)");
        }
        String fullDummy = null;
        int fullDummyTerm = -1;
        if (!tl.intercept()) {
            outer:
            for (int t = 0; t < tl.terms().size(); t++) {
                for (Expr e : tl.terms().get(t).variables()) {
                    if (vars.get(e.deparse()) instanceof Variable.Factor) {
                        fullDummy = e.deparse();
                        fullDummyTerm = t;
                        break outer;
                    }
                }
            }
        }
        for (int t = 0; t < tl.terms().size(); t++) {
            Term term = tl.terms().get(t);
            List<double[]> acc = new ArrayList<>();
            List<String> accNames = new ArrayList<>();
            double[] one = new double[n];
            Arrays.fill(one, 1.0);
            acc.add(one);
            accNames.add("");
            for (Expr e : term.variables()) {
                String label = e.deparse();
                Variable v = vars.get(label);
                List<double[]> vc = new ArrayList<>();
                List<String> vn = new ArrayList<>();
                if (v instanceof Variable.Numeric num) {
                    for (int j = 0; j < num.width(); j++) {
                        double[] c = new double[n];
                        for (int k = 0; k < n; k++) c[k] = num.columns()[j][rows[k]];
                        vc.add(c);
                        vn.add(num.columnName(j));
                    }
                } else {
                    Variable.Factor f = (Variable.Factor) v;
                    String[] lv = Grouping.levels(f, rows);
                    if (lv.length < 2) {
                        throw new InputException("The categorical covariate '" + label + "' has a single level (" + (lv.length == 0 ? "none" : lv[0])
                                + ") among the observations used; it says nothing about them (R refuses it too: contrasts can be applied"
                                + " only to factors with 2 or more levels). Leave it out of the formula.");
                    }
                    boolean contrasts = !(t == fullDummyTerm && label.equals(fullDummy)) && marginPresent(tl, t, label);
                    for (int l = contrasts ? 1 : 0; l < lv.length; l++) {
                        double[] c = new double[n];
                        for (int k = 0; k < n; k++) c[k] = lv[l].equals(f.values()[rows[k]]) ? 1 : 0;
                        vc.add(c);
                        vn.add(label + lv[l]);
                    }
                }
                List<double[]> next = new ArrayList<>();
                List<String> nextNames = new ArrayList<>();
                for (int b = 0; b < vc.size(); b++) {
                    for (int a = 0; a < acc.size(); a++) {
                        double[] c = new double[n];
                        double[] x = acc.get(a), z = vc.get(b);
                        for (int k = 0; k < n; k++) c[k] = x[k] * z[k];
                        next.add(c);
                        nextNames.add(accNames.get(a).isEmpty() ? vn.get(b) : accNames.get(a) + ":" + vn.get(b));
                    }
                }
                acc = next;
                accNames = nextNames;
            }
            out.termLabels.add(term.label());
            int termIndex = out.termLabels.size() - 1;
            for (int j = 0; j < acc.size(); j++) {
                out.cols.add(acc.get(j));
                out.names.add(accNames.get(j));
                out.assign.add(termIndex);
            }
        }
        return out;
    }

    /** Whether term t without the given variable is empty or contained in an earlier term. */
    private static boolean marginPresent(TermList tl, int t, String variable) {
        Set<String> margin = new java.util.TreeSet<>(tl.terms().get(t).key());
        margin.remove(variable);
        if (margin.isEmpty()) return true;
        for (int s = 0; s < t; s++) {
            if (tl.terms().get(s).key().containsAll(margin)) return true;
        }
        return false;
    }

    /**
     * Drops columns that are linear combinations of earlier ones (Gram–Schmidt in column order,
     * relative tolerance {@link #RANK_TOLERANCE}), as lme4 does with a message.
     */
    static void dropDependentColumns(Columns fx, List<String> messages) {
        List<double[]> basis = new ArrayList<>();
        List<Integer> drop = new ArrayList<>();
        for (int j = 0; j < fx.cols.size(); j++) {
            double[] v = fx.cols.get(j).clone();
            double norm0 = norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (double[] b : basis) {
                    double d = 0;
                    for (int k = 0; k < v.length; k++) d += b[k] * v[k];
                    for (int k = 0; k < v.length; k++) v[k] -= d * b[k];
                }
            }
            double norm = norm(v);
            if (norm0 == 0 || norm <= RANK_TOLERANCE * norm0) {
                drop.add(j);
            } else {
                for (int k = 0; k < v.length; k++) v[k] /= norm;
                basis.add(v);
            }
        }
        if (drop.isEmpty()) return;
        List<String> dropped = new ArrayList<>();
        for (int i = drop.size() - 1; i >= 0; i--) {
            int j = drop.get(i);
            dropped.add(0, fx.names.get(j));
            fx.cols.remove(j);
            fx.names.remove(j);
            fx.assign.remove(j);
        }
        messages.add("fixed-effect model matrix is rank deficient so dropping " + drop.size()
                + (drop.size() == 1 ? " column / coefficient" : " columns / coefficients") + " (" + String.join(", ", dropped) + ")");
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) s += d * d;
        return Math.sqrt(s);
    }
}
