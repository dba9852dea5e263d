package org.varpart.lmm;

import java.util.Arrays;
import java.util.List;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * The profiled linear mixed model of lme4 on one design: the cross-products
 * A = [Z₁ … Z_k X y]ᵀ[Z₁ … Z_k X y] stored by blocks (lower triangle), and for a given θ the
 * blocked Cholesky factor L of
 * <pre>
 *   [ΛᵀZᵀZΛ + I   ΛᵀZᵀX   ΛᵀZᵀy]
 *   [XᵀZΛ         XᵀX     Xᵀy  ]
 *   [yᵀZΛ         yᵀX     yᵀy  ]
 * </pre>
 * Block 0 (the term with the most levels) is block diagonal with c₀ × c₀ blocks, so its factor
 * has no fill-in; the other blocks are dense. The last diagonal entry of L squared is the
 * penalised residual sum of squares r², so the objective needs no back-solve. Nothing here is
 * n × n: A is computed once in O(n) and each evaluation costs only the size of the blocks
 * (docs/model.md#blocked-cholesky). The solves for the conditional modes and their covariance
 * are in {@link RandomEffectSolves}. θ is read through one {@link CovarianceTerm} per term, and
 * the criterion is {@link ProfiledCriterion}'s.
 */
public final class LmmModel {
    private final Design design;
    final int k;          // number of random-effects terms
    final int p;          // number of fixed-effects columns
    private final int n;
    /** Per term: columns, levels and coefficients; size[k] = p + 1. */
    final int[] c, g, size;
    /** The covariance of each random-effects term: its slice of θ and its Λ products. */
    private final List<CovarianceTerm> cov;
    private final int nTheta;
    /** A[i][j], j ≤ i; A[0][0] holds g₀ blocks of c₀ × c₀ (also read by {@link SchurObjective}). */
    final double[][][] a;
    /** L[i][j], j ≤ i, same shapes as A. */
    final double[][][] l;
    private final double[] theta;
    /** Whether the last {@link #updateL} succeeded (all diagonal blocks positive definite). */
    private boolean factorOk;
    /** The response in use (the design's, until {@link #setResponse}). */
    private double[] y;

    public LmmModel(Design design) {
        this.design = design;
        List<ReTerm> terms = design.terms();
        this.k = terms.size();
        if (k == 0) throw new IllegalArgumentException("a mixed model needs at least one random-effects term");
        this.p = design.p();
        this.n = design.n();
        this.c = new int[k];
        this.g = new int[k];
        this.size = new int[k + 1];
        this.cov = CovarianceTerm.of(terms);
        for (int t = 0; t < k; t++) {
            c[t] = cov.get(t).columns();
            g[t] = cov.get(t).levels();
            size[t] = cov.get(t).size();
        }
        size[k] = p + 1;
        this.nTheta = CovarianceTerm.nTheta(cov);
        this.a = new double[k + 1][][];
        this.l = new double[k + 1][][];
        for (int i = 0; i <= k; i++) {
            a[i] = new double[i + 1][];
            l[i] = new double[i + 1][];
            for (int j = 0; j <= i; j++) {
                int len = (i == 0 && j == 0) ? g[0] * c[0] * c[0] : size[i] * size[j];
                a[i][j] = new double[len];
                l[i][j] = new double[len];
            }
        }
        this.theta = start();
        this.y = design.y();
        CrossProducts.fill(design, a, c, size);
    }

    /**
     * Replaces the response: the last block row of A becomes the products with y, taken from the
     * feature's {@link ResponseStatistics}. The factor must be recomputed ({@link #setTheta})
     * before use.
     */
    public void setResponse(ResponseStatistics r) {
        if (r.y().length != n) throw new IllegalArgumentException("response has " + r.y().length + " values, the design " + n);
        this.y = r.y();
        int ld = p + 1;
        for (int j = 0; j < k; j++) {
            double[] blk = a[k][j];
            double[] zty = r.zty()[j];
            for (int col = 0; col < size[j]; col++) blk[col * ld + p] = zty[col];
        }
        double[] kk = a[k][k];
        for (int s = 0; s < p; s++) kk[s * ld + p] = r.xty()[s];
        kk[p * ld + p] = r.yty();
    }

    /** {@link #setResponse(ResponseStatistics)} for a response given by its values. */
    public void setResponse(double[] newY) {
        setResponse(ResponseStatistics.of(design, newY));
    }

    /** The response in use. */
    public double[] y() {
        return y;
    }

    /** lme4's start: 1 on the diagonal of each T, 0 off it. */
    public double[] start() {
        return CovarianceTerm.start(cov);
    }

    /** Lower bounds of θ: 0 for diagonal entries of each T, −∞ for off-diagonal ones. */
    public double[] lowerBounds() {
        return CovarianceTerm.lowerBounds(cov);
    }

    /** For each θ, whether it is the only parameter of a scalar term (so f depends on it only through θ²). */
    public boolean[] scalarThetas() {
        return CovarianceTerm.scalarThetas(cov);
    }

    /** The covariance term of each random-effects term, in order. */
    public List<CovarianceTerm> covarianceTerms() {
        return cov;
    }

    /** XᵀX (p × p, lower triangle, column-major), read from the cross-products: the start and the model without random effects share it. */
    double[] xtx() {
        double[] out = new double[p * p];
        double[] kk = a[k][k];
        for (int s = 0; s < p; s++) for (int r = s; r < p; r++) out[s * p + r] = kk[s * (p + 1) + r];
        return out;
    }

    public int nTheta() {
        return nTheta;
    }

    public Design design() {
        return design;
    }

    /** Sets θ and recomputes the factor L. */
    public void setTheta(double[] newTheta) {
        if (newTheta.length != nTheta) throw new IllegalArgumentException("θ has length " + newTheta.length + ", expected " + nTheta);
        System.arraycopy(newTheta, 0, theta, 0, nTheta);
        updateL();
    }

    public double[] theta() {
        return theta.clone();
    }

    /** The c × c lower-triangular relative factor T of term t (column-major). */
    public double[] lambdaBlock(int t) {
        return cov.get(t).factor(theta);
    }

    /** The blocked Cholesky factorisation at the current θ. */
    private void updateL() {
        factorOk = true;
        // block 0: per level, L₀ₗL₀ₗᵀ = TᵀA₀ₗT + I
        if (!cov.get(0).scaleInflateFactor(theta, a[0][0], l[0][0])) factorOk = false;
        for (int i = 1; i <= k; i++) {
            for (int j = 0; j < i; j++) {
                double[] lij = l[i][j];
                System.arraycopy(a[i][j], 0, lij, 0, lij.length);
                if (i < k) cov.get(i).lmulLambdaT(theta, lij, size[i], size[j]);
                cov.get(j).rmulLambda(theta, lij, size[i]);
                for (int m = 0; m < j; m++) Dense.subtractABt(size[i], size[j], size[m], l[i][m], l[j][m], lij);
                if (j == 0) rdivBlock0(lij, size[i]);
                else Dense.rdivLowerTransposed(size[i], size[j], l[j][j], lij);
            }
            double[] lii = l[i][i];
            System.arraycopy(a[i][i], 0, lii, 0, lii.length);
            if (i < k) {
                cov.get(i).lmulLambdaT(theta, lii, size[i], size[i]);
                cov.get(i).rmulLambda(theta, lii, size[i]);
                for (int d = 0; d < size[i]; d++) lii[d * size[i] + d] += 1.0;
            }
            for (int m = 0; m < i; m++) Dense.rankUpdateLower(size[i], size[m], l[i][m], lii);
            if (Dense.cholLower(size[i], lii) != 0) factorOk = false;
        }
    }

    /** B (rows × q₀) ← B L₀₀⁻ᵀ, using the block-diagonal structure of L₀₀. */
    private void rdivBlock0(double[] b, int rows) {
        int c0 = c[0];
        double[] l00 = l[0][0];
        if (c0 == 1) {
            for (int lev = 0; lev < g[0]; lev++) {
                double d = 1.0 / l00[lev];
                int base = lev * rows;
                for (int r = 0; r < rows; r++) b[base + r] *= d;
            }
            return;
        }
        double[] tmp = new double[c0];
        for (int lev = 0; lev < g[0]; lev++) {
            int off = lev * c0 * c0;
            for (int r = 0; r < rows; r++) {
                // row x of B's level block solves x Lᵀ = b, i.e. L xᵀ = bᵀ
                for (int u = 0; u < c0; u++) tmp[u] = b[(lev * c0 + u) * rows + r];
                Dense.solveLower(c0, l00, off, c0, tmp, 0);
                for (int u = 0; u < c0; u++) b[(lev * c0 + u) * rows + r] = tmp[u];
            }
        }
    }

    /** log|L|² over the random-effects blocks. */
    public double logDetL() {
        double s = 0;
        double[] l00 = l[0][0];
        int c0 = c[0];
        if (c0 == 1) {
            for (int lev = 0; lev < g[0]; lev++) s += Math.log(l00[lev]);
        } else {
            for (int lev = 0; lev < g[0]; lev++) for (int u = 0; u < c0; u++) s += Math.log(l00[lev * c0 * c0 + u * c0 + u]);
        }
        for (int i = 1; i < k; i++) for (int d = 0; d < size[i]; d++) s += Math.log(l[i][i][d * size[i] + d]);
        return 2 * s;
    }

    /** log|R_X|²: the X part of the last diagonal block. */
    public double logDetRX() {
        double s = 0;
        double[] lk = l[k][k];
        for (int d = 0; d < p; d++) s += Math.log(lk[d * (p + 1) + d]);
        return 2 * s;
    }

    /** The penalised residual sum of squares r². */
    public double pwrss() {
        double r = l[k][k][p * (p + 1) + p];
        return r * r;
    }

    /**
     * The profiled deviance (ML) or REML criterion at θ ({@link ProfiledCriterion#value}); +∞
     * where the factorisation fails.
     */
    public double objective(double[] th, boolean reml) {
        setTheta(th);
        return objective(reml);
    }

    /** The criterion at the current θ. */
    public double objective(boolean reml) {
        if (!factorOk) return Double.POSITIVE_INFINITY;
        double r2 = pwrss();
        if (!(r2 > 0)) return Double.POSITIVE_INFINITY;
        return ProfiledCriterion.value(reml, logDetL(), reml ? logDetRX() : 0, r2, n, p);
    }

    /**
     * D(θ, σ) at the current θ ({@link ProfiledCriterion#unprofiled}), for derivatives in the
     * variance parameters.
     */
    public double unprofiledObjective(boolean reml, double sigma2) {
        return ProfiledCriterion.unprofiled(reml, logDetL(), reml ? logDetRX() : 0, pwrss(), sigma2, n, p);
    }

    public boolean factorOk() {
        return factorOk;
    }

    /** β̂ at the current θ: solves R_X β = the X part of the last row of L. */
    public double[] beta() {
        double[] lk = l[k][k];
        double[] b = new double[p];
        for (int j = 0; j < p; j++) b[j] = lk[j * (p + 1) + p];
        Dense.solveLowerTransposed(p, lk, 0, p + 1, b, 0);
        return b;
    }

    /** (R_XᵀR_X)⁻¹ at the current θ (p × p, column-major); multiply by σ² for Var(β̂). */
    public double[] unscaledVcov() {
        double[] lk = l[k][k];
        double[] inv = new double[p * p];
        double[] e = new double[p];
        for (int col = 0; col < p; col++) {
            Arrays.fill(e, 0);
            e[col] = 1;
            Dense.solveLower(p, lk, 0, p + 1, e, 0);
            Dense.solveLowerTransposed(p, lk, 0, p + 1, e, 0);
            System.arraycopy(e, 0, inv, col * p, p);
        }
        return inv;
    }

    /** b = Λ u for term t (qₜ values, level by level). */
    public double[] lambdaTimes(int t, double[] ut) {
        return cov.get(t).lambdaTimes(theta, ut);
    }

    /** Number of columns of term t. */
    public int columns(int t) {
        return c[t];
    }

    /** Number of levels of term t. */
    public int levels(int t) {
        return g[t];
    }

    public int terms() {
        return k;
    }
}
