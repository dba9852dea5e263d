package org.varpart.gwas;

/**
 * The per-SNP checks GEMMA applies before testing a SNP (its {@code -miss}, {@code -maf} and
 * polymorphism filters), among the samples used: a SNP whose missing share is above
 * {@code maxMissing}, whose allele-1 frequency f lies below {@code maf} or above 1 − {@code maf},
 * or whose samples all fall in one genotype class gets a status instead of a test. A SNP that
 * passes has its missing genotypes replaced by the mean 2f.
 */
public final class SnpQc {
    public static final String OK = "ok", MISSING = "too_many_missing", LOW_MAF = "low_maf", MONOMORPHIC = "monomorphic",
            COLLINEAR = "collinear_with_covariates";

    private SnpQc() {}

    /** What the checks found: allele-1 frequency, the number of non-missing samples and the status. */
    public record Result(double af, int nObserved, String status) {}

    /**
     * Checks a SNP and, when it passes, fills its missing genotypes with the mean in place.
     *
     * @param g genotype counts of allele 1, NaN where missing; overwritten with the filled values when it passes
     */
    public static Result check(double[] g, double maf, double maxMissing) {
        int n0 = 0, n1 = 0, n2 = 0, miss = 0;
        for (double v : g) {
            if (Double.isNaN(v)) miss++;
            else if (v == 0) n0++;
            else if (v == 1) n1++;
            else n2++;
        }
        int obs = g.length - miss;
        double af = obs == 0 ? Double.NaN : (n1 + 2.0 * n2) / (2.0 * obs);
        String status;
        if ((double) miss / g.length > maxMissing || obs == 0) status = MISSING;
        else if (af < maf || af > 1 - maf) status = LOW_MAF;
        else if (n0 + n1 == 0 || n1 + n2 == 0 || n2 + n0 == 0) status = MONOMORPHIC;
        else status = OK;
        if (status.equals(OK) && miss > 0) {
            double mean = 2 * af;
            for (int i = 0; i < g.length; i++) if (Double.isNaN(g[i])) g[i] = mean;
        }
        return new Result(af, obs, status);
    }

    /**
     * GEMMA's last filter: the share of the SNP's (uncentred) sum of squares that the covariates
     * W explain, xᵀW(WᵀW)⁻¹Wᵀx / xᵀx, above 0.9999 means the SNP is a covariate in disguise
     * (only when W is more than the intercept).
     *
     * @param wtwInv (WᵀW)⁻¹, c × c column-major
     * @param w W, n × c column-major
     */
    public static boolean collinear(double[] x, double[] w, double[] wtwInv, int c) {
        if (c <= 1) return false;
        int n = x.length;
        double[] wtx = new double[c];
        double xx = 0;
        for (int i = 0; i < n; i++) xx += x[i] * x[i];
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += w[j * n + i] * x[i];
            wtx[j] = s;
        }
        double vw = 0;
        for (int a = 0; a < c; a++) for (int b = 0; b < c; b++) vw += wtx[a] * wtwInv[b * c + a] * wtx[b];
        return vw / xx > 0.9999;
    }
}
