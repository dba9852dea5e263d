package org.varpart.stats;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.varpart.InputException;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.CovarianceTerm;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;

/**
 * The likelihood-ratio comparison of two nested linear mixed models fitted to the same
 * observations, as lme4's {@code anova(m1, m2)}: with {@code refit} (lme4's default) a model fitted
 * by REML is refitted by ML, whether or not the fixed effects differ; the models are ordered by
 * their number of parameters npar = #θ + p + 1; the statistic is χ² = max(0, deviance of the
 * smaller − deviance of the larger) on the difference in npar degrees of freedom, with the plain
 * χ² tail as its p-value (lme4 makes no boundary correction here).
 *
 * <p>Where lme4 checks only that both models have the same number of observations, this checks
 * what the test needs: the same response on the same rows, and a smaller model nested in the
 * larger — its fixed-effects columns are combinations of the larger model's, and each of its
 * random-effects terms lies within a term of the larger model on the same grouping factor. Without
 * {@code refit}, REML criteria are compared, which is meaningful only for the same fixed effects,
 * so other models are refused.
 */
public final class ModelComparison {
    private ModelComparison() {}

    /**
     * One model's line of the table.
     *
     * @param label the name printed for it ({@code m1}, {@code m2})
     * @param npar #θ + p + 1, as lme4 counts
     * @param deviance −2 logLik: the ML deviance, or the REML criterion without refit
     */
    public record Model(String label, String formula, int npar, double aic, double bic, double logLik, double deviance,
                        FitResult fit) {}

    /**
     * The comparison: the smaller and the larger model, χ², its df and p-value.
     *
     * @param refitted whether REML fits were refitted by ML
     * @param criterion the criterion of the fits compared, {@code ML} or {@code REML}
     */
    public record Result(boolean refitted, String criterion, Model smaller, Model larger, double chisq, int df,
                         double pValue) {
        public List<Model> models() {
            return List.of(smaller, larger);
        }
    }

    /**
     * Compares two models of one data table.
     *
     * @param options the options the models were asked for (REML or ML)
     * @param refit refit REML fits by ML (lme4's {@code refit = TRUE})
     * @throws InputException when the models are not on the same rows or not nested
     * @throws IllegalStateException when a model cannot be fitted
     */
    public static Result compare(String label1, Design d1, String label2, Design d2, FitOptions options, boolean refit) {
        checkSameObservations(d1, d2);
        int npar1 = npar(d1), npar2 = npar(d2);
        if (npar1 == npar2) {
            throw new InputException("Both models have " + npar1 + " parameters, so neither is nested in the other;"
                    + " a likelihood-ratio test compares a model with a larger one that contains it.");
        }
        boolean firstSmaller = npar1 < npar2;
        Design small = firstSmaller ? d1 : d2, large = firstSmaller ? d2 : d1;
        checkNested(small, large);
        boolean refitted = refit && options.reml();
        if (options.reml() && !refit && !sameFixedEffects(small, large)) {
            throw new InputException("The models have different fixed effects, whose REML criteria cannot be compared;"
                    + " compare them by ML (leave out --no-refit, as lme4's anova() refits them).");
        }
        FitOptions used = (refitted ? options.withReml(false) : options).withoutConditionalVariances();
        Model m1 = model(label1, d1, used), m2 = model(label2, d2, used);
        Model s = firstSmaller ? m1 : m2, l = firstSmaller ? m2 : m1;
        // a difference below 1e-11 of the criterion is rounding (both optima are converged far
        // tighter than that matters), so it is 0 on every machine rather than ±noise
        double chisq = s.deviance() - l.deviance();
        if (chisq <= 1e-11 * Math.abs(l.deviance())) chisq = 0;
        int df = l.npar() - s.npar();
        return new Result(refitted, used.criterion(), s, l, chisq, df, RandomTermTests.tail(chisq, df));
    }

    private static Model model(String label, Design d, FitOptions options) {
        FitResult r = MixedModel.fit(d, options);
        if (!r.status().hasEstimates()) {
            throw new IllegalStateException("the model " + d.formula() + " could not be fitted: " + r.message());
        }
        return new Model(label, d.formula(), npar(d), r.aic(), r.bic(), r.logLikelihood(), r.objective(), r);
    }

    /** lme4's count of parameters: the θ, the fixed effects and σ. */
    static int npar(Design d) {
        return CovarianceTerm.nTheta(CovarianceTerm.of(d.terms())) + d.p() + 1;
    }

    /** The same response values on the same data rows, or an error that says where they differ. */
    static void checkSameObservations(Design a, Design b) {
        int[] ra = a.rows(), rb = b.rows();
        if (!Arrays.equals(ra, rb)) {
            int[] onlyA = missingFrom(ra, rb), onlyB = missingFrom(rb, ra);
            StringBuilder sb = new StringBuilder("The two models are not fitted to the same rows of the data: ");
            if (onlyA.length > 0) sb.append(leavesOut(b, a, onlyA));
            if (onlyA.length > 0 && onlyB.length > 0) sb.append("; ");
            if (onlyB.length > 0) sb.append(leavesOut(a, b, onlyB));
            sb.append(". A likelihood-ratio test needs both models fitted to the same observations:"
                    + " remove those rows from the data (or fill in the missing values) and fit both again.");
            throw new InputException(sb.toString());
        }
        if (!Arrays.equals(a.y(), b.y())) {
            throw new InputException("The two models have different responses (" + a.response() + " and " + b.response()
                    + "); a likelihood-ratio test compares models of the same response.");
        }
    }

    private static String leavesOut(Design without, Design with, int[] rows) {
        return without.formula() + " leaves out " + rows.length + " row" + (rows.length == 1 ? "" : "s") + " that "
                + with.formula() + " uses, for a missing value (the first is data row " + (rows[0] + 1) + ")";
    }

    /** The sorted values of a that b lacks. */
    private static int[] missingFrom(int[] a, int[] b) {
        int[] sb = b.clone();
        Arrays.sort(sb);
        return Arrays.stream(a).filter(v -> Arrays.binarySearch(sb, v) < 0).sorted().toArray();
    }

    /** Whether the smaller model is nested in the larger one; an error that names the first reason why not. */
    static void checkNested(Design small, Design large) {
        String notIn = columnOutsideSpan(small, large);
        if (notIn != null) {
            throw new InputException("The models are not nested: the fixed-effects column '" + notIn + "' of "
                    + small.formula() + " is not a combination of the columns of " + large.formula() + ".");
        }
        for (ReTerm t : small.terms()) {
            if (!containedIn(t, large.terms())) {
                throw new InputException("The models are not nested: the random-effects term " + RandomTermTests.termText(t)
                        + " of " + small.formula() + " is not part of a term on '" + t.group() + "' of " + large.formula() + ".");
            }
        }
    }

    /** Whether a term's columns all belong to one term of the list on the same grouping factor (so its covariance is a special case). */
    private static boolean containedIn(ReTerm t, List<ReTerm> terms) {
        for (ReTerm u : terms) {
            if (u.group().equals(t.group()) && Arrays.asList(u.columnNames()).containsAll(Arrays.asList(t.columnNames()))) return true;
        }
        return false;
    }

    /** Whether both designs' fixed-effects columns span the same space. */
    static boolean sameFixedEffects(Design a, Design b) {
        return a.p() == b.p() && columnOutsideSpan(a, b) == null;
    }

    /** The name of the first column of a's X that is not in the column space of b's X, or null. */
    private static String columnOutsideSpan(Design a, Design b) {
        int n = a.n();
        if (b.p() == 0) return a.p() == 0 ? null : a.xName(0);
        double[][] xb = new double[n][b.p()];
        for (int i = 0; i < n; i++) for (int j = 0; j < b.p(); j++) xb[i][j] = b.x(i, j);
        Array2DRowRealMatrix mb = new Array2DRowRealMatrix(xb, false);
        DecompositionSolver ls = new QRDecomposition(mb).getSolver();
        for (int j = 0; j < a.p(); j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = a.x(i, j);
            RealVector x = new ArrayRealVector(col, false);
            RealVector residual = x.subtract(mb.operate(ls.solve(x)));
            if (residual.getNorm() > SPAN_TOLERANCE * Math.max(x.getNorm(), Double.MIN_NORMAL)) return a.xName(j);
        }
        return null;
    }

    /** Relative size of a column's least-squares residual below which it lies in the other model's column space. */
    static final double SPAN_TOLERANCE = 1e-7;
}
