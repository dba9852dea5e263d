package org.varpart.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.design.Evaluator;
import org.varpart.design.ReTerm;
import org.varpart.design.Variable;
import org.varpart.formula.Expr;
import org.varpart.formula.ModelSpec;
import org.varpart.formula.RandomTerm;
import org.varpart.formula.Term;
import org.varpart.formula.TermList;

/**
 * How well the model can tell its variables apart: variancePartition's {@code canCorPairs} for
 * every pair of formula variables, computed before any fit.
 *
 * <p>The variables are the fixed terms (each with its model-matrix columns, as {@code ~ term}
 * codes them), then for each random-effects term its grouping factor (one indicator column per
 * level) and its slope terms not already listed. For a pair (A, B), on the rows where neither is
 * missing, centre every column, take orthonormal bases Q_A and Q_B of the centred column spaces
 * (of dimensions a and b, columns whose remainder after the earlier ones is below 1e-7 of their
 * norm left out, as R's {@code qr} does), and let ρ₁ … ρ_min(a,b) be the canonical correlations,
 * the singular values of Q_AᵀQ_B ({@code stats::cancor}). The pair's value is
 * <pre>
 *   √(mean ρ²) = ‖Q_AᵀQ_B‖_F / √min(a, b),
 * </pre>
 * which is |r| for two numeric columns and Cramér's V for two factors. 1 means one variable is
 * a linear function of the other (for factors: one is nested in the other); above
 * {@link #WARN_ABOVE} the split of variance between the two is arbitrary. A pair with no
 * variation left in one variable (fewer than two rows, or a constant) has the value NaN, as
 * {@code canCorPairs} gives NA. A grouping factor's indicator columns are never formed: its
 * projection is a mean per level, so a factor with thousands of levels costs a pass over the rows.
 */
public final class Collinearity {
    /** variancePartition warns about a pair above this value. */
    public static final double WARN_ABOVE = 0.999;
    /** R's {@code qr} tolerance: a column whose remainder is below this fraction of its norm is dependent. */
    static final double RANK_TOLERANCE = 1e-7;

    private Collinearity() {}

    /**
     * One pair of variables.
     *
     * @param variable1 the earlier variable in formula order
     * @param variable2 the later one
     * @param value √(mean ρ²), in [0, 1], or NaN when it is undefined
     * @param nObs the rows where both are present
     */
    public record Pair(String variable1, String variable2, double value, int nObs) {
        /** Whether the model cannot separate the two (value above {@link #WARN_ABOVE}). */
        public boolean collinear() {
            return value > WARN_ABOVE;
        }

        /** The warning for the log and run.json. */
        public String warning() {
            return String.format(java.util.Locale.ROOT,
                    "the model cannot separate %s and %s: their canonical correlation is %.6f over %d samples "
                            + "(above %s), so the split of variance between them is arbitrary",
                    variable1, variable2, value, nObs, WARN_ABOVE);
        }
    }

    /**
     * A variable over every table row: numeric model-matrix columns (NaN where missing), or for
     * a grouping factor each row's level (−1 where missing) standing for its indicator columns.
     */
    record Columns(String name, boolean[] present, double[][] columns, int[] codes) {
        boolean factor() {
            return codes != null;
        }
    }

    /** The pairs of the formula's variables, in formula order, over the table's rows. */
    public static List<Pair> pairs(ModelSpec spec, DataTable samples) {
        List<Columns> vars = variables(spec, samples);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            for (int j = i + 1; j < vars.size(); j++) out.add(pair(vars.get(i), vars.get(j)));
        }
        return out;
    }

    /** The pairs above {@link #WARN_ABOVE}. */
    public static List<Pair> collinear(List<Pair> pairs) {
        return pairs.stream().filter(Pair::collinear).toList();
    }

    /** The variables of a formula, in order: fixed terms, then per random term its group and new slope terms. */
    static List<Columns> variables(ModelSpec spec, DataTable samples) {
        Map<String, Columns> vars = new LinkedHashMap<>();
        for (Term t : spec.fixed().terms()) vars.computeIfAbsent(t.label(), k -> fixedColumns(t, samples));
        for (RandomTerm rt : spec.random()) {
            vars.computeIfAbsent(rt.groupName(), k -> groupColumns(rt, samples));
            for (Term t : rt.effects().terms()) vars.computeIfAbsent(t.label(), k -> fixedColumns(t, samples));
        }
        return List.copyOf(vars.values());
    }

    /** The columns of a term as {@code ~ term} codes them, without the intercept. */
    static Columns fixedColumns(Term term, DataTable samples) {
        ModelSpec one = new ModelSpec("~ " + term.label(), null, new TermList(true, List.of(term)), List.of(), List.of());
        Design d = buildOrNull(one, samples, term.variables());
        int rows = samples.rows();
        boolean[] present = new boolean[rows];
        if (d == null) return new Columns(term.label(), present, new double[0][], null);
        List<double[]> cols = new ArrayList<>();
        for (int j = 0; j < d.p(); j++) {
            if (d.fixedTerms().get(d.assign(j)).equals("(Intercept)")) continue;
            double[] c = new double[rows];
            Arrays.fill(c, Double.NaN);
            for (int i = 0; i < d.n(); i++) c[d.row(i)] = d.x(i, j);
            cols.add(c);
        }
        for (int i = 0; i < d.n(); i++) present[d.row(i)] = true;
        return new Columns(term.label(), present, cols.toArray(new double[0][]), null);
    }

    /** Each row's level of a random term's grouping factor, the levels as the model forms them. */
    static Columns groupColumns(RandomTerm rt, DataTable samples) {
        RandomTerm intercept = new RandomTerm(new TermList(true, List.of()), rt.groupVariables(), rt.groupName());
        ModelSpec one = new ModelSpec("~ (1 | " + rt.groupName() + ")", null, new TermList(true, List.of()),
                List.of(intercept), List.of());
        Design d = buildOrNull(one, samples, rt.groupVariables());
        int rows = samples.rows();
        boolean[] present = new boolean[rows];
        int[] codes = new int[rows];
        Arrays.fill(codes, -1);
        if (d != null) {
            ReTerm g = d.terms().get(0);
            for (int i = 0; i < d.n(); i++) {
                present[d.row(i)] = true;
                codes[d.row(i)] = g.code(i);
            }
        }
        return new Columns(rt.groupName(), present, null, codes);
    }

    /**
     * The design of a one-variable model, or null when no row has all of the variable's parts (so
     * that every pair with it is undefined); any other problem of the formula or data throws.
     */
    private static Design buildOrNull(ModelSpec spec, DataTable samples, List<Expr> parts) {
        Evaluator ev = new Evaluator(samples, spec.formula());
        List<Variable> vs = parts.stream().map(ev::variable).toList();
        boolean any = false;
        for (int i = 0; i < samples.rows() && !any; i++) {
            boolean all = true;
            for (Variable v : vs) all &= !v.missing(i);
            any = all;
        }
        return any ? DesignBuilder.build(spec, samples, "(none)", new double[samples.rows()]) : null;
    }

    /** The value of one pair on the rows where both variables are present. */
    static Pair pair(Columns a, Columns b) {
        int rows = a.present().length;
        int n = 0;
        for (int r = 0; r < rows; r++) if (a.present()[r] && b.present()[r]) n++;
        int[] keep = new int[n];
        for (int r = 0, k = 0; r < rows; r++) if (a.present()[r] && b.present()[r]) keep[k++] = r;
        double v;
        if (a.factor() && b.factor()) {
            v = value(restrictCodes(a.codes(), keep), restrictCodes(b.codes(), keep));
        } else if (a.factor() || b.factor()) {
            Columns f = a.factor() ? a : b, x = a.factor() ? b : a;
            v = value(restrictCodes(f.codes(), keep), restrict(x.columns(), keep));
        } else {
            v = value(restrict(a.columns(), keep), restrict(b.columns(), keep));
        }
        return new Pair(a.name(), b.name(), v, n);
    }

    private static double[][] restrict(double[][] cols, int[] keep) {
        double[][] out = new double[cols.length][keep.length];
        for (int j = 0; j < cols.length; j++) for (int k = 0; k < keep.length; k++) out[j][k] = cols[j][keep[k]];
        return out;
    }

    /** The codes on the kept rows, renumbered 0 … g−1 over the levels present there. */
    private static int[] restrictCodes(int[] codes, int[] keep) {
        Map<Integer, Integer> index = new HashMap<>();
        int[] out = new int[keep.length];
        for (int k = 0; k < keep.length; k++) out[k] = index.computeIfAbsent(codes[keep[k]], c -> index.size());
        return out;
    }

    /**
     * √(mean ρ²) of the canonical correlations between two sets of columns over the same rows;
     * NaN when either set has no variation.
     */
    public static double value(double[][] a, double[][] b) {
        double[][] qa = centredBasis(a), qb = centredBasis(b);
        if (qa.length == 0 || qb.length == 0) return Double.NaN;
        double f = 0;
        for (double[] u : qa) {
            for (double[] v : qb) {
                double d = dot(u, v);
                f += d * d;
            }
        }
        return finish(f, Math.min(qa.length, qb.length));
    }

    /**
     * The same for a factor (level codes 0 … g−1, its indicator columns) and numeric columns,
     * without forming the indicators: the factor's centred projection P takes a vector to its
     * level means less its overall mean, so with Q the numeric columns' centred orthonormal basis,
     * ‖P Q‖²_F = Σⱼ (Σ_l s_lj²/n_l − (Σᵢ qᵢⱼ)²/n), s_lj the sum of column j over level l.
     */
    static double value(int[] codes, double[][] columns) {
        double[][] q = centredBasis(columns);
        int g = levels(codes);
        if (g < 2 || q.length == 0) return Double.NaN;
        int[] count = new int[g];
        for (int c : codes) count[c]++;
        double f = 0;
        for (double[] col : q) {
            double[] sum = new double[g];
            double total = 0;
            for (int i = 0; i < codes.length; i++) {
                sum[codes[i]] += col[i];
                total += col[i];
            }
            for (int l = 0; l < g; l++) f += sum[l] * sum[l] / count[l];
            f -= total * total / codes.length;
        }
        return finish(f, Math.min(g - 1, q.length));
    }

    /**
     * The same for two factors, from their contingency table n_ab with margins n_a, n_b:
     * ‖P_A P_B‖²_F = Σ n_ab²/(n_a n_b) − 1 over min(g_A, g_B) − 1 dimensions (Cramér's V²).
     */
    static double value(int[] a, int[] b) {
        int ga = levels(a), gb = levels(b);
        if (ga < 2 || gb < 2) return Double.NaN;
        int[] na = new int[ga], nb = new int[gb];
        Map<Long, Integer> nab = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            na[a[i]]++;
            nb[b[i]]++;
            nab.merge((long) a[i] * gb + b[i], 1, Integer::sum);
        }
        double f = -1;
        for (Map.Entry<Long, Integer> e : nab.entrySet()) {
            double c = e.getValue();
            f += c * c / ((double) na[(int) (e.getKey() / gb)] * nb[(int) (e.getKey() % gb)]);
        }
        return finish(f, Math.min(ga, gb) - 1);
    }

    private static int levels(int[] codes) {
        int g = 0;
        for (int c : codes) g = Math.max(g, c + 1);
        return g;
    }

    /** √(trace / dimensions), kept inside [0, 1] against rounding. */
    private static double finish(double trace, int dimensions) {
        return Math.min(1.0, Math.sqrt(Math.max(0.0, trace) / dimensions));
    }

    /**
     * An orthonormal basis of the centred columns' span: modified Gram–Schmidt in column order,
     * each column orthogonalised twice, left out when its remainder is below
     * {@link #RANK_TOLERANCE} of its centred norm.
     */
    static double[][] centredBasis(double[][] cols) {
        List<double[]> basis = new ArrayList<>();
        for (double[] col : cols) {
            int n = col.length;
            if (n == 0) continue;
            double mean = 0;
            for (double v : col) mean += v;
            mean /= n;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = col[i] - mean;
            double norm0 = Math.sqrt(dot(v, v));
            if (norm0 == 0) continue;
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : basis) {
                    double d = dot(q, v);
                    for (int i = 0; i < n; i++) v[i] -= d * q[i];
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm <= RANK_TOLERANCE * norm0) continue;
            for (int i = 0; i < n; i++) v[i] /= norm;
            basis.add(v);
        }
        return basis.toArray(new double[0][]);
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
