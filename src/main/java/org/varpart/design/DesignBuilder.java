package org.varpart.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.varpart.InputException;
import org.varpart.formula.Expr;
import org.varpart.formula.ModelSpec;
import org.varpart.formula.RandomTerm;
import org.varpart.formula.Term;
import org.varpart.formula.TermList;

/**
 * Builds a {@link Design} from a {@link ModelSpec} and a data table as lme4's {@code lFormula}
 * does: variables are evaluated on all rows, rows with a missing value in any model variable are
 * dropped (R's {@code na.omit}), unused factor levels are dropped, factors get treatment contrasts
 * by R's marginality rule, linearly dependent fixed-effects columns are dropped, and random-effects
 * terms are ordered by decreasing number of levels.
 */
public final class DesignBuilder {
    /** Relative tolerance below which a fixed-effects column counts as linearly dependent (lme4's 1e-7). */
    static final double RANK_TOLERANCE = 1e-7;

    private DesignBuilder() {}

    /** Builds the design of a two-sided formula. */
    public static Design build(ModelSpec spec, DataTable data) {
        if (spec.response() == null) {
            throw new InputException("The formula '" + spec.formula() + "' has no response; write it as \"y ~ ...\".");
        }
        Evaluator ev = new Evaluator(data, spec.formula());
        Variable yv = ev.variable(spec.response());
        if (!(yv instanceof Variable.Numeric yn) || yn.width() != 1) {
            throw new InputException("The response '" + spec.response().deparse() + "' must be a numeric column.");
        }
        return build(spec, data, spec.response().deparse(), yn.columns()[0]);
    }

    /** Builds the design with the given response values (one per table row, NaN missing). */
    public static Design build(ModelSpec spec, DataTable data, String responseName, double[] response) {
        ModelChecks.covariates(spec, data);
        ModelChecks.randomTerms(spec);
        Evaluator ev = new Evaluator(data, spec.formula());
        int n = data.rows();
        Map<String, Variable> vars = new LinkedHashMap<>();
        collect(spec.fixed(), ev, vars);
        List<List<Variable.Factor>> groupVars = new ArrayList<>();
        for (RandomTerm rt : spec.random()) {
            collect(rt.effects(), ev, vars);
            List<Variable.Factor> gv = new ArrayList<>();
            for (Expr g : rt.groupVariables()) gv.add(asFactor(ev.variable(g)));
            groupVars.add(gv);
        }
        boolean[] keep = new boolean[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean ok = !Double.isNaN(response[i]);
            for (Variable v : vars.values()) ok &= !v.missing(i);
            for (List<Variable.Factor> gv : groupVars) for (Variable.Factor f : gv) ok &= !f.missing(i);
            keep[i] = ok;
            if (ok) kept++;
        }
        int[] rows = new int[kept];
        for (int i = 0, k = 0; i < n; i++) if (keep[i]) rows[k++] = i;
        if (kept == 0) {
            throw new InputException("No observations are left after dropping rows with a missing value in a model variable ("
                    + n + " rows in " + data.source() + ").");
        }
        double[] y = new double[kept];
        for (int k = 0; k < kept; k++) y[k] = response[rows[k]];

        List<String> messages = new ArrayList<>();
        Columns fx = modelMatrix(spec.fixed(), vars, rows);
        ModelChecks.finite(fx.cols, fx.names, data, rows);
        dropDependentColumns(fx, messages);
        double[] x = new double[kept * fx.cols.size()];
        for (int j = 0; j < fx.cols.size(); j++) System.arraycopy(fx.cols.get(j), 0, x, j * kept, kept);

        List<ReTerm> terms = new ArrayList<>();
        for (int t = 0; t < spec.random().size(); t++) {
            RandomTerm rt = spec.random().get(t);
            Columns zc = modelMatrix(rt.effects(), vars, rows);
            double[] z = new double[kept * zc.cols.size()];
            int c = zc.cols.size();
            for (int a = 0; a < c; a++) for (int i = 0; i < kept; i++) z[i * c + a] = zc.cols.get(a)[i];
            Grouping g = grouping(groupVars.get(t), rows);
            terms.add(new ReTerm(rt.groupName(), zc.names.toArray(new String[0]), g.levels, g.codes, z));
        }
        terms.sort(Comparator.comparingInt(ReTerm::levels).reversed());
        Design design = new Design(spec.formula(), responseName, y, x, fx.names.toArray(new String[0]),
                fx.assign.stream().mapToInt(Integer::intValue).toArray(), fx.termLabels, terms, rows, n - kept, messages);
        List<double[][]> typeThree = TypeThree.of(spec.fixed(), vars, rows, design);
        return typeThree == null ? design : design.withTypeThree(typeThree);
    }

    private static void collect(TermList tl, Evaluator ev, Map<String, Variable> vars) {
        for (Term t : tl.terms()) {
            for (Expr e : t.variables()) vars.computeIfAbsent(e.deparse(), k -> ev.variable(e));
        }
    }

    private static Variable.Factor asFactor(Variable v) {
        if (v instanceof Variable.Factor f) return f;
        Variable.Numeric num = (Variable.Numeric) v;
        if (num.width() != 1) throw new InputException("A grouping factor must be a single column; '" + num.label() + "' is not.");
        double[] d = num.columns()[0];
        String[] text = new String[d.length];
        for (int i = 0; i < d.length; i++) text[i] = Double.isNaN(d[i]) ? null : formatNumber(d[i]);
        return new Variable.Factor(num.label(), text, true);
    }

    /** A number as R's {@code as.character} prints it (15 significant digits, no trailing ".0"). */
    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(15)).stripTrailingZeros().toPlainString();
    }

    /** The sorted levels present among the given rows. */
    static String[] levels(Variable.Factor f, int[] rows) {
        Set<String> present = new java.util.HashSet<>();
        for (int r : rows) present.add(f.values()[r]);
        String[] lv = present.toArray(new String[0]);
        if (f.numericOrder()) Arrays.sort(lv, Comparator.comparingDouble(Double::parseDouble));
        else Arrays.sort(lv);
        return lv;
    }

    private record Grouping(String[] levels, int[] codes) {}

    /** Levels of an (interaction of) grouping factor(s); the first factor varies fastest, as R's interaction(). */
    private static Grouping grouping(List<Variable.Factor> factors, int[] rows) {
        int m = factors.size();
        int[][] codes = new int[m][rows.length];
        String[][] lv = new String[m][];
        for (int f = 0; f < m; f++) {
            lv[f] = levels(factors.get(f), rows);
            Map<String, Integer> index = indexOf(lv[f]);
            for (int k = 0; k < rows.length; k++) codes[f][k] = index.get(factors.get(f).values()[rows[k]]);
        }
        Map<List<Integer>, Integer> combos = new HashMap<>();
        List<List<Integer>> keys = new ArrayList<>();
        for (int k = 0; k < rows.length; k++) {
            List<Integer> key = new ArrayList<>(m);
            for (int f = 0; f < m; f++) key.add(codes[f][k]);
            if (combos.putIfAbsent(key, 0) == null) keys.add(key);
        }
        keys.sort((a, b) -> {
            for (int f = m - 1; f >= 0; f--) {
                int c = Integer.compare(a.get(f), b.get(f));
                if (c != 0) return c;
            }
            return 0;
        });
        String[] names = new String[keys.size()];
        for (int l = 0; l < keys.size(); l++) {
            combos.put(keys.get(l), l);
            StringBuilder sb = new StringBuilder();
            for (int f = 0; f < m; f++) {
                if (f > 0) sb.append(':');
                sb.append(lv[f][keys.get(l).get(f)]);
            }
            names[l] = sb.toString();
        }
        int[] out = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            List<Integer> key = new ArrayList<>(m);
            for (int f = 0; f < m; f++) key.add(codes[f][k]);
            out[k] = combos.get(key);
        }
        return new Grouping(names, out);
    }

    private static Map<String, Integer> indexOf(String[] levels) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < levels.length; i++) m.put(levels[i], i);
        return m;
    }

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
    static Columns modelMatrix(TermList tl, Map<String, Variable> vars, int[] rows) {
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
                    String[] lv = levels(f, rows);
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
    private static void dropDependentColumns(Columns fx, List<String> messages) {
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
