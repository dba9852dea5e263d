package org.varpart.gwas;

/**
 * What the tasks need to test SNPs for one phenotype: its samples as {@code .fam} rows' positions
 * among the GRM's samples, W, y, (WᵀW)⁻¹ for GEMMA's collinearity filter, the naive test's cross-products, the eigenvectors of its
 * GRM and its fitted null model. Broadcast once per run.
 */
public record PhenotypeModel(GwasPlan.Phenotype phenotype, Grm.Eigen eigen, NullModel nullModel, double[] wtwInv, Ols.Base ols)
        implements java.io.Serializable {

    /** (WᵀW)⁻¹ of an n × c column-major W, by Gauss–Jordan elimination (c is small). */
    static double[] crossInverse(double[] w, int n, int c) {
        double[] a = new double[c * c], inv = new double[c * c];
        for (int p = 0; p < c; p++) {
            for (int q = 0; q < c; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += w[p * n + i] * w[q * n + i];
                a[q * c + p] = s;
            }
            inv[p * c + p] = 1;
        }
        for (int col = 0; col < c; col++) {
            int piv = col;
            for (int r = col + 1; r < c; r++) if (Math.abs(a[col * c + r]) > Math.abs(a[col * c + piv])) piv = r;
            for (int k = 0; k < c; k++) {
                double t = a[k * c + col];
                a[k * c + col] = a[k * c + piv];
                a[k * c + piv] = t;
                t = inv[k * c + col];
                inv[k * c + col] = inv[k * c + piv];
                inv[k * c + piv] = t;
            }
            double d = a[col * c + col];
            for (int k = 0; k < c; k++) {
                a[k * c + col] /= d;
                inv[k * c + col] /= d;
            }
            for (int r = 0; r < c; r++) {
                if (r == col) continue;
                double f = a[col * c + r];
                if (f == 0) continue;
                for (int k = 0; k < c; k++) {
                    a[k * c + r] -= f * a[k * c + col];
                    inv[k * c + r] -= f * inv[k * c + col];
                }
            }
        }
        return inv;
    }
}
