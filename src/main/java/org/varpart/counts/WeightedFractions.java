package org.varpart.counts;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.VarComp;
import org.varpart.stats.VarianceFractions;

/**
 * variancePartition's fractions of a weighted fit ({@code getVarianceComponents} on a model with
 * {@code weights=}): as {@link VarianceFractions}, except that the variances of the fixed part
 * are weighted population variances, Σwᵢ(fᵢ − f̄_w)²/Σwᵢ with f̄_w the weighted mean, over the
 * unscaled X. Random components are the diagonal of each Σⱼ and the residual component is σ̂²
 * (the variance of an observation of weight 1). With equal weights this is
 * {@link VarianceFractions#compute}.
 */
public final class WeightedFractions {
    private WeightedFractions() {}

    /**
     * @param d the design on the original scale (not {@link WeightedFit#scaled})
     * @param r the weighted fit
     * @param w the observations' weights (any scale)
     */
    public static List<VarianceFractions.Component> compute(Design d, FitResult r, double[] w) {
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
        for (int j = 0; j < d.p(); j++) {
            double b = r.beta()[j];
            for (int i = 0; i < n; i++) parts[d.assign(j)][i] += d.x(i, j) * b;
        }
        double[] total = new double[n];
        double[] v = new double[terms.size()];
        double sumV = 0;
        for (int t = 0; t < terms.size(); t++) {
            if (terms.get(t).equals("(Intercept)")) continue;
            v[t] = weightedVariance(parts[t], w);
            sumV += v[t];
            for (int i = 0; i < n; i++) total[i] += parts[t][i];
        }
        double vf = weightedVariance(total, w);
        for (int t = 0; t < terms.size(); t++) {
            if (terms.get(t).equals("(Intercept)")) continue;
            names.add(terms.get(t));
            vars.add(sumV > 0 ? v[t] * vf / sumV : 0.0);
        }
        names.add(VarianceFractions.RESIDUALS);
        vars.add(r.sigma2());
        double sum = 0;
        for (double x : vars) sum += x;
        List<VarianceFractions.Component> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(new VarianceFractions.Component(names.get(i), vars.get(i), vars.get(i) / sum));
        return out;
    }

    /** Σwᵢ(xᵢ − x̄_w)²/Σwᵢ. */
    static double weightedVariance(double[] x, double[] w) {
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
}
