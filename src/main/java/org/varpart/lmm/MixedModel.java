package org.varpart.lmm;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * Fits a linear mixed model to a {@link Design} by minimising lme4's profiled REML criterion or
 * ML deviance over θ. Problems with the data or the fit come back as a {@link FitStatus} with a
 * message; only misuse of the API throws.
 */
public final class MixedModel {
    private MixedModel() {}

    /** Fits the design; never throws for a problem of the data. */
    public static FitResult fit(Design design, FitOptions options) {
        return new BlockFitter(design, options).fit(design.response(), design.y());
    }

    /** lme4's checks of a design before fitting: why it cannot be fitted, or null when it can. */
    static DesignProblem checkDesign(Design d) {
        int n = d.n();
        if (d.terms().isEmpty()) {
            return DesignProblem.model("the formula has no random-effects terms; a mixed model needs at least one, such as (1 | group)");
        }
        for (ReTerm t : d.terms()) {
            if (t.levels() < 2) {
                return DesignProblem.model("the grouping factor '" + t.group() + "' has only one level (" + t.level(0)
                        + ") among the observations used; a random effect needs at least two");
            }
        }
        if (n <= d.p()) return DesignProblem.tooFew("only " + n + " observations for " + d.p() + " fixed-effects coefficients");
        for (ReTerm t : d.terms()) {
            if (t.levels() >= n) {
                return DesignProblem.tooFew("the number of levels of each grouping factor must be less than the number of observations ("
                        + t.group() + " has " + t.levels() + " levels for " + n + " observations)");
            }
            if (t.q() >= n) {
                return DesignProblem.tooFew("the number of observations (" + n + ") is not more than the number of random effects (" + t.q()
                        + ") for the term on " + t.group() + "; its variance and the residual variance cannot be separated");
            }
        }
        return null;
    }

    static boolean isConstant(double[] y) {
        for (double v : y) if (v != y[0]) return false;
        return true;
    }

    /**
     * Optimises θ from {@code start} on the given objective (with its analytic gradient, or
     * null) and assembles the result from {@code model}.
     */
    static FitResult fit(java.util.function.ToDoubleFunction<double[]> objective, ThetaOptimizer.Gradient gradient,
                         LmmModel model, FitOptions options, double[] start) {
        double[] lower = model.lowerBounds();
        ThetaOptimizer.Result opt = ThetaOptimizer.minimize(objective, gradient, start, lower, model.scalarThetas(), options);
        List<String> messages = new ArrayList<>(model.design().messages());
        double value = opt.value();
        if (!Double.isFinite(value)) {
            return FitResult.without(FitStatus.FAILED, "the model could not be factorised at any θ tried (the fixed effects may be collinear)",
                    options.criterion(), model.design().n());
        }
        boolean singular = false;
        for (int i = 0; i < lower.length; i++) {
            if (lower[i] == 0 && opt.x()[i] < FitOptions.SINGULAR_TOLERANCE) singular = true;
        }
        boolean converged = !opt.hitLimit();
        if (opt.hitLimit()) messages.add("the optimiser reached its limit of " + options.maxEvaluations() + " evaluations");
        if (opt.convergenceWarning() != null) {
            converged = false;
            messages.add(opt.convergenceWarning());
        }
        if (singular) messages.add("boundary (singular) fit: a variance component is estimated as zero");
        FitStatus status = singular ? FitStatus.SINGULAR : converged ? FitStatus.OK : FitStatus.NOT_CONVERGED;
        return assemble(model, options, opt.x(), value, opt.evaluations(), converged, singular, status, messages);
    }

    private static FitResult assemble(LmmModel model, FitOptions options, double[] theta, double objective,
                                      int evaluations, boolean converged, boolean singular, FitStatus status,
                                      List<String> messages) {
        Design d = model.design();
        boolean reml = options.reml();
        model.setTheta(theta);
        int n = d.n(), p = d.p();
        double r2 = model.pwrss();
        double sigma2 = r2 / (reml ? n - p : n);
        double[] beta = model.beta();
        double[] vcov = model.unscaledVcov();
        for (int i = 0; i < vcov.length; i++) vcov[i] *= sigma2;
        int npar = theta.length + p + 1;
        double loglik = -objective / 2;
        double aic = objective + 2.0 * npar;
        double bic = objective + Math.log(n) * npar;

        List<VarComp> vcs = new ArrayList<>();
        List<RandomEffects> res = new ArrayList<>();
        double[][] u = RandomEffectSolves.u(model, beta);
        double[][] condVar = options.conditionalVariances() ? RandomEffectSolves.conditionalCovariance(model) : null;
        double[][] b = new double[model.terms()][];
        for (int t = 0; t < model.terms(); t++) {
            ReTerm term = d.terms().get(t);
            int c = term.columns();
            double[] cov = model.covarianceTerms().get(t).covariance(theta, sigma2);
            vcs.add(new VarComp(term.group(), term.columnNames(), cov));
            b[t] = model.lambdaTimes(t, u[t]);
            double[] cv = null;
            if (condVar != null) {
                cv = condVar[t];
                for (int i = 0; i < cv.length; i++) cv[i] *= sigma2;
            }
            String[] levels = new String[term.levels()];
            for (int l = 0; l < levels.length; l++) levels[l] = term.level(l);
            res.add(new RandomEffects(term.group(), term.columnNames(), levels, b[t], cv));
        }
        double[] y = model.y();
        double[] fitted = new double[n];
        double[] resid = new double[n];
        // column by column; each observation's sum keeps its order (X's columns, then the terms)
        double[] x = d.x();
        for (int j = 0; j < p; j++) {
            double bj = beta[j];
            for (int i = 0; i < n; i++) fitted[i] += x[j * n + i] * bj;
        }
        for (int t = 0; t < model.terms(); t++) {
            ReTerm term = d.terms().get(t);
            int c = term.columns();
            double[] bt = b[t];
            if (c == 1) { // the same sums, without the loop over columns
                for (int i = 0; i < n; i++) fitted[i] += term.z(i, 0) * bt[term.code(i)];
                continue;
            }
            for (int i = 0; i < n; i++) {
                int base = term.code(i) * c;
                double f = fitted[i];
                for (int a = 0; a < c; a++) f += term.z(i, a) * bt[base + a];
                fitted[i] = f;
            }
        }
        for (int i = 0; i < n; i++) resid[i] = y[i] - fitted[i];
        return new FitResult(status, List.copyOf(messages), options.criterion(), n, objective, loglik, aic, bic,
                evaluations, converged, singular, theta.clone(), d.xNames(), beta, vcov, sigma2,
                List.copyOf(vcs), List.copyOf(res), fitted, resid);
    }
}
