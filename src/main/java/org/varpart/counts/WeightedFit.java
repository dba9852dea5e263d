package org.varpart.counts;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.lmm.MixedModel;

/**
 * lme4's weighted linear mixed model ({@code lmer(..., weights = w)}): the residual of observation
 * i has variance σ²/wᵢ. The weights are first divided by their mean, as variancePartition's
 * {@code run_lmm} does ({@code rescaleWeights}).
 * <p>With s = √w, the model for (s∘y, diag(s)X, diag(s)Z) has residual variance σ²I, so the
 * unweighted engine fits it unchanged: β̂, θ̂, σ̂², Var(β̂) and the conditional modes are those of
 * the weighted model. The density of y is that of s∘y times the Jacobian Πsᵢ, so lme4's criteria
 * (ML deviance and REML criterion) are the unweighted ones on the scaled data minus Σ log wᵢ, and
 * AIC, BIC and the log-likelihood move with them. Fitted values are reported on the scale of y:
 * Xβ̂ + Zb̂ = (scaled fitted)/s, as lme4's {@code fitted} and {@code predict} give them.
 */
public final class WeightedFit {
    private WeightedFit() {}

    /** The weights divided by their mean; null when a weight is not positive and finite. */
    public static double[] rescale(double[] w) {
        double s = 0;
        for (double v : w) {
            if (!(v > 0) || !Double.isFinite(v)) return null;
            s += v;
        }
        double mean = s / w.length;
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) out[i] = w[i] / mean;
        return out;
    }

    /**
     * The design of the scaled model: y, each row of X and each row of every random-effects
     * term's model matrix multiplied by √wᵢ (weights as given, not rescaled). The type III
     * contrasts of the fixed terms are the design's own: lmerTest defines them on the unweighted
     * X, and they depend only on how X's columns code the terms, so a weighted fit gets the same
     * F tests of every fixed term as an unweighted one.
     */
    public static Design scaled(Design d, double[] y, double[] w) {
        int n = d.n(), p = d.p();
        if (y.length != n || w.length != n) throw new IllegalArgumentException("need " + n + " values and weights");
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.sqrt(w[i]);
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) ys[i] = s[i] * y[i];
        double[] x = new double[n * p];
        for (int j = 0; j < p; j++) for (int i = 0; i < n; i++) x[j * n + i] = s[i] * d.x(i, j);
        List<ReTerm> terms = new ArrayList<>();
        for (ReTerm t : d.terms()) {
            int c = t.columns();
            int[] codes = new int[n];
            double[] z = new double[n * c];
            for (int i = 0; i < n; i++) {
                codes[i] = t.code(i);
                for (int a = 0; a < c; a++) z[i * c + a] = s[i] * t.z(i, a);
            }
            String[] levels = new String[t.levels()];
            for (int l = 0; l < levels.length; l++) levels[l] = t.level(l);
            terms.add(new ReTerm(t.group(), t.columnNames(), levels, codes, z));
        }
        int[] assign = new int[p];
        for (int j = 0; j < p; j++) assign[j] = d.assign(j);
        Design out = new Design(d.formula(), d.response(), ys, x, d.xNames(), assign, d.fixedTerms(), terms, d.rows(),
                d.dropped(), d.messages());
        // lmerTest builds the type III contrasts from the unweighted X: the design's own carry over
        List<double[][]> contrasts = new ArrayList<>();
        boolean any = false;
        for (int t = 0; t < d.fixedTerms().size(); t++) {
            contrasts.add(d.typeThree(t));
            any |= d.typeThree(t) != null;
        }
        return any ? out.withTypeThree(contrasts) : out;
    }

    /**
     * Fits y on the design with precision weights w (rescaled to mean 1 first). A weight that is
     * not positive and finite gives a {@code failed} result.
     */
    public static FitResult fit(Design d, double[] y, double[] w, FitOptions options) {
        double[] wr = rescale(w);
        if (wr == null) {
            return FitResult.without(FitStatus.FAILED, "a precision weight is not positive and finite", options.criterion(), d.n());
        }
        Design scaled = scaled(d, y, wr);
        return onOriginalScale(MixedModel.fit(scaled, options), y, wr);
    }

    /**
     * Turns a fit of the scaled design into the weighted model's result: the criteria less
     * Σ log wᵢ, fitted values and residuals on the scale of y.
     *
     * @param w the (rescaled) weights the scaled design was built with
     */
    public static FitResult onOriginalScale(FitResult r, double[] y, double[] w) {
        if (!r.status().hasEstimates()) return r;
        double logW = 0;
        for (double v : w) logW += Math.log(v);
        double objective = r.objective() - logW;
        int n = y.length;
        double[] fitted = new double[n], resid = new double[n];
        for (int i = 0; i < n; i++) {
            fitted[i] = r.fitted()[i] / Math.sqrt(w[i]);
            resid[i] = y[i] - fitted[i];
        }
        return new FitResult(r.status(), r.messages(), r.criterion(), r.nObs(), objective, -objective / 2,
                r.aic() - logW, r.bic() - logW, r.evaluations(), r.converged(), r.singular(), r.theta(),
                r.fixedNames(), r.beta(), r.vcov(), r.sigma2(), r.varComps(), r.randomEffects(), fitted, resid);
    }
}
