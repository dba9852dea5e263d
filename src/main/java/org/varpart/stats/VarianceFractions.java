package org.varpart.stats;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.VarComp;

/**
 * variancePartition's fractions (its definition since 1.21; docs/model.md#variance-fractions) of one fit:
 * <ul>
 *   <li>each random-effects column contributes its variance, the diagonal entry of Σⱼ, named
 *       after the group ({@code patient}) or group and column ({@code Subject.Days}) — for a
 *       slope this is the raw slope variance, in the covariate's units, as variancePartition
 *       reports it; covariances are not counted;</li>
 *   <li>each fixed term t (all its columns together, so factors are allowed) contributes
 *       vₜ·V_F/Σvₜ, where vₜ is the population variance of Xₜβ̂ₜ and V_F that of the whole fixed
 *       part Σₜ Xₜβ̂ₜ (this share absorbs the covariance between fixed terms);</li>
 *   <li>the residual variance σ̂² is the component {@code Residuals}.</li>
 * </ul>
 * Fractions are components divided by their sum, so they sum to 1.
 */
public final class VarianceFractions {
    public static final String RESIDUALS = "Residuals";

    /** One component: its name, its variance and its share of the total. */
    public record Component(String name, double variance, double fraction) {}

    private VarianceFractions() {}

    /** The components of a fit with estimates: random terms in lme4's order, fixed terms, residuals. */
    public static List<Component> compute(Design d, FitResult r) {
        return compute(d, r, null);
    }

    /**
     * The components of a weighted fit (lme4's {@code weights=}, as variancePartition's
     * {@code getVarianceComponents} reads it): the variances of the fixed part are weighted
     * population variances Σwᵢ(fᵢ − f̄_w)²/Σwᵢ over the unscaled X; random components and the
     * residual σ̂² (the variance of an observation of weight 1) are as without weights.
     *
     * @param d the design on the original scale
     * @param w the observations' weights (any scale), or null for none
     */
    public static List<Component> compute(Design d, FitResult r, double[] w) {
        if (!r.status().hasEstimates()) throw new IllegalArgumentException("fit has no estimates: " + r.status());
        List<String> names = new ArrayList<>();
        List<Double> vars = new ArrayList<>();
        for (VarComp vc : r.varComps()) {
            for (int a = 0; a < vc.size(); a++) {
                names.add(vc.componentName(a));
                vars.add(vc.variance(a));
            }
        }
        int n = d.n();
        List<String> terms = d.fixedTerms();
        double[][] parts = new double[terms.size()][n];
        double[] total = new double[n];
        for (int j = 0; j < d.p(); j++) {
            int t = d.assign(j);
            double b = r.beta()[j];
            for (int i = 0; i < n; i++) parts[t][i] += d.x(i, j) * b;
        }
        double sumV = 0;
        double[] v = new double[terms.size()];
        for (int t = 0; t < terms.size(); t++) {
            if (terms.get(t).equals("(Intercept)")) continue;
            v[t] = variance(parts[t], w);
            sumV += v[t];
            for (int i = 0; i < n; i++) total[i] += parts[t][i];
        }
        double vf = variance(total, w);
        for (int t = 0; t < terms.size(); t++) {
            if (terms.get(t).equals("(Intercept)")) continue;
            names.add(terms.get(t));
            vars.add(sumV > 0 ? v[t] * vf / sumV : 0.0);
        }
        names.add(RESIDUALS);
        vars.add(r.sigma2());
        double sum = 0;
        for (double x : vars) sum += x;
        List<Component> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) out.add(new Component(names.get(i), vars.get(i), vars.get(i) / sum));
        return out;
    }

    /** Σwᵢ(xᵢ − x̄_w)²/Σwᵢ, the weighted population variance; without weights Σ(x − x̄)²/n. */
    static double variance(double[] x, double[] w) {
        if (w == null) return populationVariance(x);
        double sw = 0, m = 0;
        for (int i = 0; i < x.length; i++) {
            sw += w[i];
            m += w[i] * x[i];
        }
        m /= sw;
        double s = 0;
        for (int i = 0; i < x.length; i++) s += w[i] * (x[i] - m) * (x[i] - m);
        return s / sw;
    }

    /** Σ(x − x̄)²/n. */
    static double populationVariance(double[] x) {
        double m = 0;
        for (double v : x) m += v;
        m /= x.length;
        double s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return s / x.length;
    }
}
