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
        double[][] parts = new double[terms.size()][];
        for (int t = 0; t < terms.size(); t++) if (!terms.get(t).equals("(Intercept)")) parts[t] = new double[n];
        double[] total = new double[n];
        for (int j = 0; j < d.p(); j++) {
            double[] part = parts[d.assign(j)];
            if (part == null) continue; // the intercept's part is never read
            double b = r.beta()[j];
            for (int i = 0; i < n; i++) part[i] += d.x(i, j) * b;
        }
        double sumV = 0;
        double[] v = new double[terms.size()];
        for (int t = 0; t < terms.size(); t++) {
            if (parts[t] == null) continue;
            for (int i = 0; i < n; i++) total[i] += parts[t][i];
        }
        double vf;
        if (w == null) {
            // every variance at once: the same sums in the same order, side by side
            List<double[]> all = new ArrayList<>();
            for (double[] part : parts) if (part != null) all.add(part);
            all.add(total);
            double[] var = populationVariances(all.toArray(new double[0][]));
            for (int t = 0, a = 0; t < terms.size(); t++) if (parts[t] != null) v[t] = var[a++];
            vf = var[var.length - 1];
        } else {
            for (int t = 0; t < terms.size(); t++) if (parts[t] != null) v[t] = variance(parts[t], w);
            vf = variance(total, w);
        }
        for (int t = 0; t < terms.size(); t++) if (parts[t] != null) sumV += v[t];
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

    /**
     * {@link #populationVariance} of each array (all of one length), four at a time: each sum runs
     * over the observations in order, so each value is the same, but the sums of four arrays
     * advance side by side instead of one dependent addition after another.
     */
    static double[] populationVariances(double[][] xs) {
        double[] out = new double[xs.length];
        for (int a = 0; a < xs.length; a += 4) {
            int k = Math.min(4, xs.length - a);
            double[] x0 = xs[a], x1 = k > 1 ? xs[a + 1] : x0, x2 = k > 2 ? xs[a + 2] : x0, x3 = k > 3 ? xs[a + 3] : x0;
            int n = x0.length;
            double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
            for (int i = 0; i < n; i++) {
                m0 += x0[i];
                m1 += x1[i];
                m2 += x2[i];
                m3 += x3[i];
            }
            m0 /= n;
            m1 /= n;
            m2 /= n;
            m3 /= n;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int i = 0; i < n; i++) {
                s0 += (x0[i] - m0) * (x0[i] - m0);
                s1 += (x1[i] - m1) * (x1[i] - m1);
                s2 += (x2[i] - m2) * (x2[i] - m2);
                s3 += (x3[i] - m3) * (x3[i] - m3);
            }
            double[] s = {s0 / n, s1 / n, s2 / n, s3 / n};
            System.arraycopy(s, 0, out, a, k);
        }
        return out;
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
