package org.varpart.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FixedOnly;
import org.varpart.lmm.MixedModel;

/**
 * Likelihood-ratio tests of the random-effects terms, as lmerTest's {@code ranova}: each
 * single-column term is removed; from a term with several columns each slope is removed in turn
 * (the intercept stays, as ranova's {@code reduce.terms}). The statistic is the difference in
 * the fit's criterion (REML criterion for REML fits), and the degrees of freedom the number of
 * covariance parameters removed.
 *
 * <p>The p-value accounts for the variance being tested on the boundary of its space (Self &
 * Liang 1987; Stram & Lee 1994): with k parameters removed — one variance and k − 1
 * covariances — the null distribution is the 50:50 mixture of χ²_{k−1} and χ²_k (χ²₀ being a
 * point mass at zero), so for a single variance the p-value is half the χ²₁ tail. This is
 * smaller than the plain χ²_k tail that ranova prints.
 *
 * <p>A term without an intercept, such as {@code (0 + age | subject)}, is removed (one
 * parameter); ranova instead replaces it by {@code (1 | subject)} and reports 0 df and no
 * p-value.
 */
public final class RandomTermTests {
    private RandomTermTests() {}

    /**
     * One test: the name as ranova prints it, the variance component it tests (named as in the
     * fractions: {@code patient}, {@code Subject.Days}), the statistic, its df and the p-value.
     */
    public record Test(String name, String component, double statistic, int df, double pValue) {}

    public static List<Test> compute(Design d, FitResult full, FitOptions options) {
        List<Test> out = new ArrayList<>();
        List<ReTerm> terms = d.terms();
        for (int t = 0; t < terms.size(); t++) {
            ReTerm term = terms.get(t);
            int c = term.columns();
            String text = termText(term);
            boolean intercept = term.columnName(0).equals("(Intercept)");
            for (int a = 0; a < c; a++) {
                if (c > 1 && intercept && a == 0) continue; // the intercept stays
                List<ReTerm> reduced = new ArrayList<>(terms);
                String name;
                String component = term.columnName(a).equals("(Intercept)") ? term.group() : term.group() + "." + term.columnName(a);
                int removed;
                if (c == 1) {
                    reduced.remove(t);
                    name = intercept ? text : term.columnName(0) + " in " + text;
                    removed = 1;
                } else {
                    final int drop = a;
                    reduced.set(t, term.keepColumns(IntStream.range(0, c).filter(i -> i != drop).toArray()));
                    name = term.columnName(a) + " in " + text;
                    removed = c; // one variance and c − 1 covariances
                }
                double objective = reduced.isEmpty()
                        ? FixedOnly.objective(d, d.y(), options.reml())
                        : MixedModel.fit(d.withTerms(reduced), options.withoutConditionalVariances()).objective();
                double lrt = objective - full.objective();
                if (lrt <= 1e-11 * Math.abs(full.objective())) lrt = 0; // rounding, not evidence: 0 on every machine
                out.add(new Test(name, component, lrt, removed, boundaryPValue(lrt, removed)));
            }
        }
        return out;
    }

    /** ranova's text of a term: {@code (1 | g)}, {@code (Days | Subject)}, {@code (0 + x | g)}. */
    static String termText(ReTerm term) {
        List<String> cols = new ArrayList<>();
        boolean intercept = false;
        for (String s : term.columnNames()) {
            if (s.equals("(Intercept)")) intercept = true;
            else cols.add(s);
        }
        String lhs = cols.isEmpty() ? "1" : (intercept ? "" : "0 + ") + String.join(" + ", cols);
        return "(" + lhs + " | " + term.group() + ")";
    }

    /** The tail of the 50:50 mixture of χ²_{k−1} and χ²_k at x. */
    public static double boundaryPValue(double x, int k) {
        if (Double.isNaN(x)) return Double.NaN;
        double upper = tail(x, k);
        double lower = k - 1 == 0 ? (x > 0 ? 0 : 1) : tail(x, k - 1);
        return 0.5 * upper + 0.5 * lower;
    }

    /** P(χ²_df > x), from the regularised gamma function so that tiny tails do not round to 0. */
    static double tail(double x, int df) {
        if (x <= 0) return 1;
        return org.apache.commons.math3.special.Gamma.regularizedGammaQ(df / 2.0, x / 2);
    }
}
