package org.varpart.gwas;

/**
 * The naive test, PLINK 2's {@code --glm} for a quantitative trait: ordinary least squares of y on
 * the covariates W and the SNP's allele count x, over the samples whose genotype is not missing;
 * t = β̂ₓ / se(β̂ₓ) with σ̂² = RSS/(n − c − 1), two-sided p on n − c − 1 degrees of freedom. Solved
 * through the normal equations [W x]ᵀ[W x] by Cholesky.
 */
public final class Ols {
    private Ols() {}

    /**
     * @param w covariates, column-major n × c
     * @param x genotypes, NaN where missing
     * @return the p-value, NaN when the SNP is collinear with the covariates
     */
    public static double pValue(double[] w, int c, double[] x, double[] y) {
        int n = y.length, k = c + 1;
        double[] a = new double[k * k], b = new double[k];
        double yy = 0;
        int used = 0;
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i])) continue;
            used++;
            for (int j = 0; j < c; j++) row[j] = w[j * n + i];
            row[c] = x[i];
            for (int p = 0; p < k; p++) {
                b[p] += row[p] * y[i];
                for (int q = 0; q <= p; q++) a[q * k + p] += row[p] * row[q];
            }
            yy += y[i] * y[i];
        }
        int df = used - k;
        if (df <= 0) return Double.NaN;
        // Cholesky a = L Lᵀ (lower triangle, column-major)
        for (int j = 0; j < k; j++) {
            double d = a[j * k + j];
            for (int q = 0; q < j; q++) d -= a[q * k + j] * a[q * k + j];
            if (!(d > 1e-10 * Math.max(1, a[j * k + j]))) return Double.NaN;
            d = Math.sqrt(d);
            a[j * k + j] = d;
            for (int i = j + 1; i < k; i++) {
                double s = a[j * k + i];
                for (int q = 0; q < j; q++) s -= a[q * k + i] * a[q * k + j];
                a[j * k + i] = s / d;
            }
        }
        // z = L⁻¹ b; RSS = yᵀy − zᵀz; β̂ₓ = z_c / L_cc; Var(β̂ₓ) = σ̂² / L_cc² (x is the last column)
        double[] z = new double[k];
        double zz = 0;
        for (int i = 0; i < k; i++) {
            double s = b[i];
            for (int q = 0; q < i; q++) s -= a[q * k + i] * z[q];
            z[i] = s / a[i * k + i];
            zz += z[i] * z[i];
        }
        double rss = yy - zz;
        double lcc = a[c * k + c];
        double beta = z[c] / lcc;
        double se = Math.sqrt(rss / df) / lcc;
        double t = beta / se;
        return Tails.fOne(t * t, df);
    }
}
