package org.varpart.gwas;

/**
 * The naive test, PLINK 2's {@code --glm} for a quantitative trait: ordinary least squares of y on
 * the covariates W and the SNP's allele count x, over the samples whose genotype is not missing;
 * t = β̂ₓ / se(β̂ₓ) with σ̂² = RSS/(n − c − 1), two-sided p on n − c − 1 degrees of freedom. Solved
 * through the normal equations [W x]ᵀ[W x] by Cholesky; WᵀW, Wᵀy and yᵀy are computed once per
 * phenotype ({@link Base}) and the samples with a missing genotype taken out of them.
 */
public final class Ols {
    private Ols() {}

    /** One phenotype's covariates (column-major n × c) and response, with their cross-products. */
    public record Base(double[] w, int c, double[] y, double[] wtw, double[] wty, double yty) implements java.io.Serializable {
        public static Base of(double[] w, int c, double[] y) {
            int n = y.length;
            double[] wtw = new double[c * c], wty = new double[c];
            double yty = 0;
            for (int i = 0; i < n; i++) yty += y[i] * y[i];
            for (int p = 0; p < c; p++) {
                for (int i = 0; i < n; i++) wty[p] += w[p * n + i] * y[i];
                for (int q = 0; q <= p; q++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += w[p * n + i] * w[q * n + i];
                    wtw[q * c + p] = s;
                }
            }
            return new Base(w, c, y, wtw, wty, yty);
        }
    }

    /**
     * @param x genotypes, NaN where missing
     * @return the p-value, NaN when the SNP is collinear with the covariates
     */
    public static double pValue(Base base, double[] x) {
        double[] w = base.w(), y = base.y();
        int c = base.c(), n = y.length, k = c + 1;
        double[] a = new double[k * k], b = new double[k];
        for (int p = 0; p < c; p++) {
            b[p] = base.wty()[p];
            for (int q = 0; q <= p; q++) a[q * k + p] = base.wtw()[q * c + p];
        }
        double yy = base.yty();
        int used = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            if (Double.isNaN(xi)) {
                // take the sample out of the covariates' cross-products
                for (int p = 0; p < c; p++) {
                    double wp = w[p * n + i];
                    b[p] -= wp * y[i];
                    for (int q = 0; q <= p; q++) a[q * k + p] -= wp * w[q * n + i];
                }
                yy -= y[i] * y[i];
                continue;
            }
            used++;
            for (int p = 0; p < c; p++) a[p * k + c] += w[p * n + i] * xi;
            a[c * k + c] += xi * xi;
            b[c] += xi * y[i];
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
