package org.varpart.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FixedOnly;
import org.varpart.lmm.ResponseStatistics;

/**
 * Likelihood-ratio tests of the random-effects terms, as lmerTest's {@code ranova}
 * (docs/model.md#likelihood-ratio-tests-of-components): each single-column term is removed;
 * from a term with several columns each slope is removed in turn (the intercept stays, as
 * ranova's {@code reduce.terms}). The statistic is the difference in the fit's criterion (REML
 * criterion for REML fits), and the degrees of freedom the number of covariance parameters
 * removed.
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
 *
 * <p>The reduced models depend on the design only: an instance builds them once (their
 * structure and cross-products), and {@link #compute} refits them for each response, from the
 * response's statistics on the full design and started at the full fit's θ̂ with the removed
 * parameters taken out ({@link ReducedStart}). A reduced refit computes its criterion's minimum
 * alone ({@link BlockFitter#minimum}), on the full fit's shifted statistics restricted to its
 * terms: the same number a full fit of the reduced model reports as its objective.
 */
public final class RandomTermTests {
    /**
     * One test: the name as ranova prints it, the variance component it tests (named as in the
     * fractions: {@code patient}, {@code Subject.Days}), the statistic, its df and the p-value.
     */
    public record Test(String name, String component, double statistic, int df, double pValue) {}

    /** One reduced model: a mixed model on the remaining terms, or the model without random effects. */
    private record Reduced(String name, String component, int removed, List<ReTerm> terms, BlockFitter fitter,
                           FixedOnly fixedOnly, ReducedStart start) {}

    private final List<ReTerm> terms;
    private final BlockFitter fullFitter;
    private final boolean reml;
    private final List<Reduced> reduced = new ArrayList<>();

    /** Builds the reduced models of every component test of the fitter's design (which must be fittable). */
    public RandomTermTests(BlockFitter full) {
        Design d = full.design();
        FitOptions options = full.options();
        this.terms = d.terms();
        this.fullFitter = full;
        this.reml = options.reml();
        FitOptions reducedOptions = options.withoutConditionalVariances();
        for (int t = 0; t < terms.size(); t++) {
            ReTerm term = terms.get(t);
            int c = term.columns();
            String text = termText(term);
            boolean intercept = term.columnName(0).equals("(Intercept)");
            for (int a = 0; a < c; a++) {
                if (c > 1 && intercept && a == 0) continue; // the intercept stays
                List<ReTerm> kept = new ArrayList<>(terms);
                String name;
                String component = term.columnName(a).equals("(Intercept)") ? term.group() : term.group() + "." + term.columnName(a);
                int removed;
                if (c == 1) {
                    kept.remove(t);
                    name = intercept ? text : term.columnName(0) + " in " + text;
                    removed = 1;
                } else {
                    final int drop = a;
                    kept.set(t, term.keepColumns(IntStream.range(0, c).filter(i -> i != drop).toArray()));
                    name = term.columnName(a) + " in " + text;
                    removed = c; // one variance and c − 1 covariances
                }
                if (kept.isEmpty()) {
                    reduced.add(new Reduced(name, component, removed, List.of(), null, new FixedOnly(full.model()), null));
                } else {
                    Design rd = d.withTerms(kept);
                    reduced.add(new Reduced(name, component, removed, rd.terms(), new BlockFitter(rd, reducedOptions), null,
                            new ReducedStart(terms, rd.terms())));
                }
            }
        }
    }

    /** The tests of one design's fit, building the reduced models for it alone. */
    public static List<Test> compute(Design d, FitResult full, FitOptions options) {
        return new RandomTermTests(new BlockFitter(d, options)).compute(full, ResponseStatistics.of(d, d.y()));
    }

    /** The tests of a fit of {@code response} on this design: each reduced model refitted to it. */
    public List<Test> compute(FitResult full, ResponseStatistics response) {
        List<Test> out = new ArrayList<>(reduced.size());
        // the statistics of y − Xb₀ the full fit optimised on; restricted, those of each reduced model
        ResponseStatistics shifted = reduced.stream().anyMatch(r -> r.fitter() != null) ? fullFitter.shifted(response) : null;
        for (Reduced r : reduced) {
            double objective = r.fixedOnly() != null
                    ? r.fixedOnly().objective(response, reml)
                    : r.fitter().minimum(shifted.restrict(terms, r.terms()), r.start().from(full.theta()));
            double lrt = objective - full.objective();
            if (lrt <= 1e-11 * Math.abs(full.objective())) lrt = 0; // rounding, not evidence: 0 on every machine
            out.add(new Test(r.name(), r.component(), lrt, r.removed(), boundaryPValue(lrt, r.removed())));
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
