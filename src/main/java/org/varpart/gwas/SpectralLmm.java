package org.varpart.gwas;

/**
 * The linear mixed model y = Wα + xβ + g + ε, g ~ N(0, λτ⁻¹K), ε ~ N(0, τ⁻¹I), after rotation by
 * the eigenvectors of K = U diag(d) Uᵀ: with H = λK + I, H⁻¹ = U diag(1/(λdᵢ + 1)) Uᵀ, so every
 * quantity of the likelihood is a weighted sum over the n rotated samples (GEMMA's, after
 * FaST-LMM; Zhou &amp; Stephens 2012, supplement).
 *
 * <p>The model holds rotated vectors v₀ … v_{m−1}: the covariates Uᵀw, then (under the
 * alternative) the SNP Uᵀx, and last the phenotype Uᵀy. With h = diag(H⁻¹) in the rotated basis,
 * P₀[a][b] = Σᵢ hᵢ vₐᵢ v_bᵢ, and projecting out vector w (in H⁻¹'s metric) gives
 * P_{k+1}[a][b] = P_k[a][b] − P_k[a][w] P_k[b][w] / P_k[w][w]: so P_k[y][y] = yᵀP_k y, with P_k the
 * projection that removes the first k vectors. The sums with h² and h³ and the same recursion's
 * derivatives (PP, PPP) give yᵀPKPy and yᵀPKPKPy, whence the first and second derivatives of
 * the log-likelihood in λ:
 * <ul>
 *   <li>ML: ℓ(λ) = n/2 (log n − log 2π − 1) − ½ Σ log(λdᵢ + 1) − n/2 log(yᵀPy);</li>
 *   <li>REML: ℓ_R(λ) = d/2 (log d − log 2π − 1) − ½ Σ log(λdᵢ + 1) − ½ log|WᵀH⁻¹W| + ½ log|WᵀW| − d/2 log(yᵀPy),
 *       d = n − (number of projected vectors);</li>
 *   <li>ℓ′ = −½ tr(PK) + d/2 · yᵀPKPy / yᵀPy, ℓ″ = ½ tr(PKPK) − d/2 (2 yᵀPKPKPy · yᵀPy − (yᵀPKPy)²)/(yᵀPy)²
 *       (tr(H⁻¹K) and its kin for ML).</li>
 * </ul>
 * λ is found as GEMMA finds it ({@link #maximise}).
 */
public final class SpectralLmm {
    /** GEMMA's search range and grid for λ: [1e-5, 1e5], ten intervals equal on the log scale. */
    public static final double L_MIN = 1e-5, L_MAX = 1e5;
    public static final int N_REGION = 10;
    /** GEMMA's floor on yᵀPy against round-off. */
    static final double P_YY_MIN = 1e-8;

    private final double[] eval;
    private final int n, m, projected;
    /** The products vₐᵢ v_bᵢ, one array of n per pair a ≤ b, pairs in row order. */
    private final double[][] prod;
    /** Work arrays: h, h², h³ at the λ of the last evaluation. */
    private final double[] h1, h2, h3;
    /** The unweighted P_k[k][k] (h = 1), for REML's log|WᵀW| term. */
    private final double[] plainDiag;

    /**
     * @param eval the eigenvalues of K, those below 1e-10 already set to 0 (GEMMA's rule)
     * @param vectors the rotated vectors, the phenotype last; each of length n
     * @param projected how many leading vectors the criterion projects out: the covariates
     *                  (null model) or the covariates and the SNP (alternative)
     */
    public SpectralLmm(double[] eval, double[][] vectors, int projected) {
        this.eval = eval;
        this.n = eval.length;
        this.m = vectors.length;
        this.projected = projected;
        this.prod = new double[m * (m + 1) / 2][n];
        int k = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++, k++) for (int i = 0; i < n; i++) prod[k][i] = vectors[a][i] * vectors[b][i];
        }
        this.h1 = new double[n];
        this.h2 = new double[n];
        this.h3 = new double[n];
        double[][][] plain = Projections.first(m, projected, sums(Double.NaN, 1)[0]);
        plainDiag = new double[projected];
        for (int j = 0; j < projected; j++) plainDiag[j] = plain[j][j][j];
    }

    /**
     * One pass over the samples: out[r] holds Σᵢ hᵢ^{r+1} vₐᵢv_bᵢ as an m × m matrix, for r below
     * {@code order}; with λ NaN, h = 1. Also fills {@link #traces}: Σh and Σh².
     */
    private double[][][] sums(double l, int order) {
        // the grid and the ends of the range are visited by both the REML and the ML search
        Cached hit = cache.get(l);
        if (hit != null && hit.sums.length >= order) {
            System.arraycopy(hit.traces, 0, traces, 0, 2);
            return hit.sums;
        }
        if (hit != null && hit.sums.length == 2 && order == 3) {
            // Newton's first step is at the λ where Brent stopped: only the h³ sums are new
            double[][][] out = withThird(l, hit.sums);
            System.arraycopy(hit.traces, 0, traces, 0, 2);
            cache.put(l, new Cached(out, hit.traces));
            return out;
        }
        Cached base = shared.get(l);
        double[][][] out = base != null && base.sums().length >= order ? fromShared(l, base, order) : computeSums(l, order);
        if (cache.size() < 64) cache.put(l, new Cached(out, traces.clone()));
        return out;
    }

    /** Weighted sums at one λ (see {@link #sums}) and the traces that go with them. */
    public record Cached(double[][][] sums, double[] traces) implements java.io.Serializable {}

    /**
     * The sums of the null model (vectors W, y) at the λ every SNP's search visits: the grid and
     * the null model's ML λ. A SNP's model takes from them every pair without the SNP, and
     * computes only the pairs with it.
     */
    public java.util.Map<Double, Cached> nullSums(double lambdaMl) {
        java.util.Map<Double, Cached> out = new java.util.HashMap<>();
        double step = Math.log(L_MAX / L_MIN) / N_REGION;
        for (int i = 0; i <= N_REGION; i++) {
            double l = L_MIN * Math.exp(step * i);
            out.put(l, new Cached(computeSums(l, 2), traces.clone()));
        }
        out.put(lambdaMl, new Cached(computeSums(lambdaMl, 1), traces.clone()));
        return out;
    }

    /** The null model's sums, when this model is a SNP's: the SNP is vector {@code m − 2}. */
    private java.util.Map<Double, Cached> shared = java.util.Map.of();

    /** Uses the null model's sums from {@link #nullSums} for the pairs without the SNP; returns this. */
    public SpectralLmm sharing(java.util.Map<Double, Cached> nullSums) {
        this.shared = nullSums;
        return this;
    }

    /** The sums at a λ of the null model's: its pairs copied, the SNP's pairs (vector x = m − 2) computed. */
    private double[][][] fromShared(double l, Cached base, int order) {
        System.arraycopy(base.traces(), 0, traces, 0, 2);
        for (int i = 0; i < n; i++) {
            double h = 1 / (l * eval[i] + 1);
            h1[i] = h;
            h2[i] = h * h;
        }
        int x = m - 2;
        double[] sr = new double[3];
        double[][][] out = new double[order][m][m];
        for (int r = 0; r < order; r++) {
            double[][] b = base.sums()[r];
            for (int a = 0; a < m; a++) {
                if (a == x) continue;
                for (int c = 0; c < m; c++) {
                    if (c == x) continue;
                    out[r][a][c] = b[a > x ? a - 1 : a][c > x ? c - 1 : c];
                }
            }
        }
        int k = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++, k++) {
                if (a != x && b != x) continue;
                dots(prod[k], order, sr);
                double s1 = sr[0], s2 = sr[1];
                out[0][a][b] = out[0][b][a] = s1;
                if (order > 1) out[1][a][b] = out[1][b][a] = s2;
            }
        }
        return out;
    }

    private final java.util.Map<Double, Cached> cache = new java.util.HashMap<>();

    /** The sums of orders 1 and 2 at λ with those of order 3 (Σᵢ hᵢ³ vₐᵢv_bᵢ) added. */
    private double[][][] withThird(double l, double[][][] two) {
        for (int i = 0; i < n; i++) {
            double h = 1 / (l * eval[i] + 1);
            h3[i] = h * h * h;
        }
        double[][] third = new double[m][m];
        int k = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++, k++) {
                third[a][b] = third[b][a] = weightedSum(h3, prod[k], n);
            }
        }
        return new double[][][] {two[0], two[1], third};
    }

    private double[][][] computeSums(double l, int order) {
        double t1 = 0, t2 = 0;
        for (int i = 0; i < n; i++) {
            double h = Double.isNaN(l) ? 1 : 1 / (l * eval[i] + 1);
            h1[i] = h;
            h2[i] = h * h;
            h3[i] = h * h * h;
            t1 += h;
            t2 += h * h;
        }
        traces[0] = t1;
        traces[1] = t2;
        double[][][] out = new double[order][m][m];
        double[] sr = new double[3];
        int k = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++, k++) {
                dots(prod[k], order, sr);
                for (int r = 0; r < order; r++) out[r][a][b] = out[r][b][a] = sr[r];
            }
        }
        return out;
    }

    /**
     * out[r] = Σᵢ hᵢ^{r+1} pᵢ for r below {@code order}, with h, h², h³ from {@link #h1} and its
     * kin; four partial sums each, so that the additions do not wait on one another.
     */
    private void dots(double[] p, int order, double[] out) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, c0 = 0, c1 = 0;
        int i = 0, end = n - 3;
        if (order == 1) {
            out[0] = weightedSum(h1, p, n);
            return;
        }
        if (order == 2) {
            for (; i < end; i += 4) {
                a0 += h1[i] * p[i];
                a1 += h1[i + 1] * p[i + 1];
                a2 += h1[i + 2] * p[i + 2];
                a3 += h1[i + 3] * p[i + 3];
                b0 += h2[i] * p[i];
                b1 += h2[i + 1] * p[i + 1];
                b2 += h2[i + 2] * p[i + 2];
                b3 += h2[i + 3] * p[i + 3];
            }
        } else {
            end = n - 1;
            for (; i < end; i += 2) {
                a0 += h1[i] * p[i];
                a1 += h1[i + 1] * p[i + 1];
                b0 += h2[i] * p[i];
                b1 += h2[i + 1] * p[i + 1];
                c0 += h3[i] * p[i];
                c1 += h3[i + 1] * p[i + 1];
            }
        }
        for (; i < n; i++) {
            a0 += h1[i] * p[i];
            b0 += h2[i] * p[i];
            c0 += h3[i] * p[i];
        }
        out[0] = (a0 + a1) + (a2 + a3);
        out[1] = (b0 + b1) + (b2 + b3);
        out[2] = c0 + c1;
    }

    /** Σᵢ wᵢpᵢ over the first n, four partial sums abreast. */
    private static double weightedSum(double[] w, double[] p, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i < n - 3; i += 4) {
            s0 += w[i] * p[i];
            s1 += w[i + 1] * p[i + 1];
            s2 += w[i + 2] * p[i + 2];
            s3 += w[i + 3] * p[i + 3];
        }
        for (; i < n; i++) s0 += w[i] * p[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** Σᵢ log(λdᵢ + 1) = log|H|. */
    private double logDetH(double l) {
        double s = 0;
        for (int i = 0; i < n; i++) if (eval[i] != 0) s += Math.log(Math.abs(l * eval[i] + 1));
        return s;
    }

    private final double[] traces = new double[2];

    /** The log-likelihood at λ: REML when {@code reml}, else ML. */
    public double logLik(double l, boolean reml) {
        double[][][] p = Projections.first(m, projected, sums(l, 1)[0]);
        double logdetH = logDetH(l);
        int y = m - 1;
        double pyy = p[projected][y][y];
        if (pyy >= 0 && pyy < P_YY_MIN) pyy = P_YY_MIN;
        if (!reml) {
            return 0.5 * n * (Math.log(n) - Math.log(2 * Math.PI) - 1) - 0.5 * logdetH - 0.5 * n * Math.log(pyy);
        }
        double df = n - projected;
        double logdetHiW = 0;
        for (int k = 0; k < projected; k++) logdetHiW += Math.log(p[k][k][k]) - Math.log(plainDiag[k]);
        return 0.5 * df * (Math.log(df) - Math.log(2 * Math.PI) - 1) - 0.5 * logdetH - 0.5 * logdetHiW - 0.5 * df * Math.log(pyy);
    }

    /** The first derivative in λ (and the second when {@code second}): {dℓ/dλ, d²ℓ/dλ²}. */
    public double[] derivatives(double l, boolean reml, boolean second) {
        double[][][] s = sums(l, second ? 3 : 2);
        double trHi = traces[0], trHiHi = traces[1];
        double[][][] p = Projections.first(m, projected, s[0]);
        double[][][] pp = Projections.second(m, projected, p, s[1]);
        int y = m - 1, k = projected;
        double pyy = p[k][y][y], ppyy = pp[k][y][y];
        double yPKPy = (pyy - ppyy) / l;
        double d = reml ? n - projected : n;
        double trP = trHi;
        if (reml) for (int j = 0; j < k; j++) trP -= pp[j][j][j] / p[j][j][j];
        double dev1 = -0.5 * (d - trP) / l + 0.5 * d * yPKPy / pyy;
        if (!second) return new double[] {dev1, Double.NaN};
        double[][][] ppp = Projections.third(m, projected, p, pp, s[2]);
        double trPP = trHiHi;
        if (reml) {
            for (int j = 0; j < k; j++) {
                double pw = p[j][j][j], pw2 = pp[j][j][j], pw3 = ppp[j][j][j];
                trPP += pw2 * pw2 / (pw * pw) - 2 * pw3 / pw;
            }
        }
        double trPKPK = (d + trPP - 2 * trP) / (l * l);
        double yPKPKPy = (pyy + ppp[k][y][y] - 2 * ppyy) / (l * l);
        double dev2 = 0.5 * trPKPK - 0.5 * d * (2 * yPKPKPy * pyy - yPKPy * yPKPy) / (pyy * pyy);
        return new double[] {dev1, dev2};
    }

    /** P_k at λ for every k: P_k[a][b] = vₐᵀ P_k v_b. */
    public double[][][] projections(double l) {
        return Projections.first(m, projected, sums(l, 1)[0]);
    }

    /** λ and the log-likelihood there; both NaN when GEMMA's search fails. */
    public record Optimum(double lambda, double logLik) {}

    /** The maximum over λ by GEMMA's search ({@link LambdaSearch}): REML when {@code reml}, else ML. */
    public Optimum maximise(boolean reml) {
        return LambdaSearch.maximise(this, reml);
    }
}
