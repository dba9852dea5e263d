package org.varpart.gwas;

/**
 * GEMMA's three tests of one SNP ({@code -lmm 4}) given its phenotype's {@link NullModel} and the
 * rotated genotypes Uᵀx, with df = n − c − 1 and P_k as in {@link SpectralLmm}:
 * <ul>
 *   <li>Wald ({@code -lmm 1}): λ re-estimated by REML with the SNP in the model; β̂ = xᵀP_c y / xᵀP_c x,
 *       τ = df / yᵀP_{c+1}y, se = 1/√(τ xᵀP_c x), F = (yᵀP_c y − yᵀP_{c+1} y) τ on (1, df);</li>
 *   <li>likelihood ratio ({@code -lmm 2}): λ by ML with the SNP, 2(ℓ₁ − ℓ₀) on χ²₁ against the null ML;</li>
 *   <li>score ({@code -lmm 3}): at the null model's ML λ, F = n (xᵀP_c y)² / (yᵀP_c y · xᵀP_c x) on (1, df).</li>
 * </ul>
 */
public final class SnpTest {
    private SnpTest() {}

    /** The results; NaN where GEMMA's search for λ fails. */
    public record Result(double beta, double se, double pWald, double pLrt, double pScore, double lambdaReml, double lambdaMl) {}

    public static Result test(NullModel m, double[] utx) {
        int n = m.n(), c = m.c(), df = n - c - 1;
        double[][] v = new double[c + 2][];
        for (int j = 0; j < c; j++) v[j] = java.util.Arrays.copyOfRange(m.utw(), j * n, (j + 1) * n);
        v[c] = utx;
        v[c + 1] = m.uty();
        SpectralLmm lmm = new SpectralLmm(m.eval(), v, c + 1).sharing(m.sums());
        int x = c, y = c + 1;

        double[][][] p = lmm.projections(m.lambdaMl());
        double pScore = Tails.fOne(n * p[c][x][y] * p[c][x][y] / (p[c][y][y] * p[c][x][x]), df);

        SpectralLmm.Optimum reml = lmm.maximise(true);
        double beta = Double.NaN, se = Double.NaN, pWald = Double.NaN;
        if (!Double.isNaN(reml.lambda())) {
            p = lmm.projections(reml.lambda());
            double pxx = p[c][x][x], pxy = p[c][x][y], pyy = p[c][y][y], pxyy = p[c + 1][y][y];
            beta = pxy / pxx;
            double tau = df / pxyy;
            se = Math.sqrt(1 / (tau * pxx));
            pWald = Tails.fOne((pyy - pxyy) * tau, df);
        }
        SpectralLmm.Optimum ml = lmm.maximise(false);
        double pLrt = Double.isNaN(ml.logLik()) ? Double.NaN : Tails.chiSquareOne(2 * (ml.logLik() - m.logLikMl()));
        return new Result(beta, se, pWald, pLrt, pScore, reml.lambda(), ml.lambda());
    }
}
