package org.varpart.gwas;

/**
 * One phenotype's model without a SNP, in the eigenbasis of its GRM: the rotated covariates
 * UᵀW and phenotype Uᵀy, the REML and ML estimates of λ = σ²_g/σ²_e with their
 * log-likelihoods, and GEMMA's summaries: σ̂²_e = yᵀPy/(n − c) and σ̂²_g = λσ̂²_e at the REML λ,
 * the proportion of variance explained pve = t λ/(t λ + 1) with t = tr(K)/n (the mean
 * eigenvalue), and its standard error t/(t λ + 1)² · √(−1/ℓ_R″(λ)) (the delta method); and its
 * weighted sums at the λ every SNP's search visits ({@link SpectralLmm#nullSums}).
 *
 * @param utw UᵀW, column-major n × c
 */
public record NullModel(int n, int c, double[] eval, double[] utw, double[] uty, double lambdaReml, double logLikReml,
                        double lambdaMl, double logLikMl, double vg, double ve, double pve, double pveSe,
                        java.util.Map<Double, SpectralLmm.Cached> sums)
        implements java.io.Serializable {

    /** Fits the null model by GEMMA's search (see {@link SpectralLmm#maximise}). */
    public static NullModel fit(double[] eval, double[] utw, int c, double[] uty) {
        int n = eval.length;
        double[][] v = new double[c + 1][];
        for (int j = 0; j < c; j++) v[j] = java.util.Arrays.copyOfRange(utw, j * n, (j + 1) * n);
        v[c] = uty;
        SpectralLmm lmm = new SpectralLmm(eval, v, c);
        SpectralLmm.Optimum reml = lmm.maximise(true), ml = lmm.maximise(false);
        double l = reml.lambda();
        double pyy = lmm.projections(l)[c][c][c];
        double ve = pyy / (n - c), vg = l * ve;
        double t = 0;
        for (double d : eval) t += d;
        t /= n;
        double se = Math.sqrt(-1 / lmm.derivatives(l, true, true)[1]);
        double pve = t * l / (t * l + 1), pveSe = t / ((t * l + 1) * (t * l + 1)) * se;
        return new NullModel(n, c, eval, utw, uty, l, reml.logLik(), ml.lambda(), ml.logLik(), vg, ve, pve, pveSe,
                lmm.nullSums(ml.lambda()));
    }
}
