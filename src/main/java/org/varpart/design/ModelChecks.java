package org.varpart.design;

import java.util.ArrayList;
import java.util.HashMap;
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
 * The checks a model and its data pass before a design is built, so that nothing is fitted
 * silently wrong: covariates are what they look like (no stray text in a numeric column, no
 * infinite value), no random term appears twice, and the fixed-effects columns are finite.
 */
final class ModelChecks {
    private ModelChecks() {}

    /**
     * The columns used as covariates (in fixed effects and random slopes; not grouping factors,
     * and not a column used only through {@code factor()}) must be what they look like: see
     * {@link DataTable#requireCovariate}.
     */
    static void covariates(ModelSpec spec, DataTable data) {
        Set<String> used = new java.util.LinkedHashSet<>();
        List<TermList> lists = new ArrayList<>();
        lists.add(spec.fixed());
        for (RandomTerm rt : spec.random()) lists.add(rt.effects());
        for (TermList tl : lists) {
            for (Term t : tl.terms()) {
                for (Expr e : t.variables()) {
                    if (e instanceof Expr.Call c && (c.function().equals("factor") || c.function().equals("as.factor"))) continue;
                    List<String> names = new ArrayList<>();
                    ModelSpec.collectColumns(e, names);
                    used.addAll(names);
                }
            }
        }
        for (String c : used) if (data.has(c)) data.requireCovariate(c);
    }

    /** The same random term twice, e.g. {@code (1 | patient) + (1 | patient)}, has no identifiable variances: refused. */
    static void randomTerms(ModelSpec spec) {
        Map<String, String> seen = new HashMap<>();
        for (RandomTerm rt : spec.random()) {
            for (Term t : rt.effects().terms()) {
                String key = rt.groupName() + "|" + t.label();
                if (seen.putIfAbsent(key, t.label()) != null) {
                    throw new InputException("The formula has the random effect '" + t.label() + "' of '" + rt.groupName()
                            + "' twice; its two variances could not be told apart. Write each random term once.");
                }
            }
            if (rt.effects().intercept()) {
                String key = rt.groupName() + "|(Intercept)";
                if (seen.putIfAbsent(key, "1") != null) {
                    throw new InputException("The formula has a random intercept of '" + rt.groupName()
                            + "' twice (e.g. (1 | " + rt.groupName() + ") + (1 | " + rt.groupName() + ")); its two variances could not be told apart."
                            + " Write each random term once.");
                }
            }
        }
    }

    /** Fixed-effects columns must be finite where they are used (log(0), 1/0 and the like are not). */
    static void finite(List<double[]> cols, List<String> names, DataTable data, int[] rows) {
        for (int j = 0; j < cols.size(); j++) {
            double[] c = cols.get(j);
            for (int k = 0; k < c.length; k++) {
                if (!Double.isFinite(c[k])) {
                    throw new InputException(data.source() + " line " + data.line(rows[k]) + ": the fixed-effects column '" + names.get(j)
                            + "' is " + c[k] + " there; a covariate must be finite (write NA for a missing value).");
                }
            }
        }
    }
}
