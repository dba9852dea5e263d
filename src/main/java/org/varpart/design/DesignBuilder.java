package org.varpart.design;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * by R's marginality rule ({@link ModelMatrix}), linearly dependent fixed-effects columns are
 * dropped, and random-effects terms ({@link Grouping}: levels and codes) are ordered by decreasing
 * number of levels.
 */
public final class DesignBuilder {
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
            for (Expr g : rt.groupVariables()) gv.add(Grouping.asFactor(ev.variable(g)));
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
        ModelMatrix.Columns fx = ModelMatrix.of(spec.fixed(), vars, rows);
        ModelChecks.finite(fx.cols, fx.names, data, rows);
        ModelMatrix.dropDependentColumns(fx, messages);
        double[] x = new double[kept * fx.cols.size()];
        for (int j = 0; j < fx.cols.size(); j++) System.arraycopy(fx.cols.get(j), 0, x, j * kept, kept);

        List<ReTerm> terms = new ArrayList<>();
        for (int t = 0; t < spec.random().size(); t++) {
            RandomTerm rt = spec.random().get(t);
            ModelMatrix.Columns zc = ModelMatrix.of(rt.effects(), vars, rows);
            double[] z = new double[kept * zc.cols.size()];
            int c = zc.cols.size();
            for (int a = 0; a < c; a++) for (int i = 0; i < kept; i++) z[i * c + a] = zc.cols.get(a)[i];
            Grouping g = Grouping.of(groupVars.get(t), rows);
            terms.add(new ReTerm(rt.groupName(), zc.names.toArray(new String[0]), g.levels(), g.codes(), z));
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
}
