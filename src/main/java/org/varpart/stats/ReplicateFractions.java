package org.varpart.stats;

import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.CovarianceTerm;

/**
 * {@link VarianceFractions}' fractions of a bootstrap replicate from its θ̂, β̂ and σ̂² alone, with
 * what depends only on the design computed once: the covariance terms and the centred
 * cross-products C = (1/n) Σᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ of X's columns. The population variance of
 * Σ_{j∈J} x_j β_j over the observations is then β_Jᵀ C_JJ β_J, so a fixed term's vₜ and the
 * fixed part's V_F cost O(p²) per replicate instead of O(np). Components and their order are
 * {@link VarianceFractions#compute}'s (unweighted): each random-effects column's variance
 * (σ̂²TTᵀ's diagonal), each fixed term but the intercept vₜ·V_F/Σvₜ, then σ̂².
 */
final class ReplicateFractions {
    private final List<CovarianceTerm> terms;
    private final int p, fixedTerms, components;
    /** Per column, its fixed term (−1 for the intercept). */
    private final int[] term;
    /** C, p × p, row-major. */
    private final double[] c;
    private final double[] v;

    ReplicateFractions(Design d) {
        terms = CovarianceTerm.of(d.terms());
        p = d.p();
        int n = d.n();
        List<String> names = d.fixedTerms();
        term = new int[p];
        int[] index = new int[names.size()];
        int k = 0;
        for (int t = 0; t < names.size(); t++) index[t] = names.get(t).equals("(Intercept)") ? -1 : k++;
        fixedTerms = k;
        for (int j = 0; j < p; j++) term[j] = index[d.assign(j)];
        double[] mean = new double[p];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < n; i++) mean[j] += d.x(i, j);
            mean[j] /= n;
        }
        c = new double[p * p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += (d.x(i, a) - mean[a]) * (d.x(i, b) - mean[b]);
                c[a * p + b] = c[b * p + a] = s / n;
            }
        }
        int random = 0;
        for (CovarianceTerm t : terms) random += t.columns();
        components = random + fixedTerms + 1;
        v = new double[fixedTerms];
    }

    /** The number of components. */
    int size() {
        return components;
    }

    /** The fractions, in {@link VarianceFractions}' order, into {@code out}. Not thread-safe. */
    void of(double[] theta, double[] beta, double sigma2, double[] out) {
        int pos = 0;
        for (CovarianceTerm t : terms) {
            int ct = t.columns();
            if (ct == 1) {
                double th = t.scalarTheta(theta);
                out[pos++] = sigma2 * th * th;
            } else {
                double[] cov = t.covariance(theta, sigma2);
                for (int a = 0; a < ct; a++) out[pos++] = cov[a * ct + a];
            }
        }
        java.util.Arrays.fill(v, 0);
        double vf = 0, sumV = 0;
        for (int a = 0; a < p; a++) {
            if (term[a] < 0) continue;
            for (int b = 0; b < p; b++) {
                if (term[b] < 0) continue;
                double x = beta[a] * c[a * p + b] * beta[b];
                vf += x;
                if (term[a] == term[b]) v[term[a]] += x;
            }
        }
        for (int t = 0; t < fixedTerms; t++) {
            v[t] = Math.max(0, v[t]);
            sumV += v[t];
        }
        vf = Math.max(0, vf);
        for (int t = 0; t < fixedTerms; t++) out[pos++] = sumV > 0 ? v[t] * vf / sumV : 0.0;
        out[pos] = sigma2;
        double sum = 0;
        for (double x : out) sum += x;
        for (int j = 0; j < components; j++) out[j] /= sum;
    }
}
