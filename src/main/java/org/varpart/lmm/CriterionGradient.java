package org.varpart.lmm;

import java.util.List;

/**
 * The analytic gradient of the profiled criterion with respect to θ, from the blocked Cholesky
 * factor L of {@link LmmModel} at the current θ (docs/model.md#gradient-of-the-profiled-criterion).
 *
 * <p>Write Ω = Λ̃ᵀAΛ̃ + D for the matrix that L factors (Λ̃ = diag(Λ, I), D = I on the q
 * random-effects columns, 0 on [X y]) and ld(m) for the log-determinant of its leading m × m
 * block, which is 2Σ_{r<m} log L_rr. Then log|L_Z|² = ld(q), log|R_X|² = ld(q+p) − ld(q) and
 * log r² = ld(N) − ld(q+p), N = q + p + 1, so the ML deviance is ld(q) + n·log r² and the REML
 * criterion ld(q+p) + (n−p)·log r², up to constants. For θⱼ, the entry (a, b) of a term's T,
 * ∂Λ/∂θⱼ = Σ_l e_(l,a) e_(l,b)ᵀ over the term's levels l, and
 * <pre>
 *   ∂ld(m)/∂θⱼ = tr(Ω_m⁻¹ ∂Ω_m/∂θⱼ) = 2 Σ_l Σ_{r&lt;m} V_{r,(l,b)} W_{r,(l,a)},
 *   V = L⁻¹E,  W = L⁻¹Λ̃ᵀAE,
 * </pre>
 * E the unit columns of the random-effects coefficients: leading rows of a forward solve with L
 * are the forward solve with the leading block of L, so one solve per column serves every m. The
 * gradient is 2 Σ_l Σ_r w_r V_{r,(l,b)} W_{r,(l,a)} with row weights w_r = 1 on the
 * random-effects rows, 1 (REML) or 0 (ML) on the X rows, and n − p (REML) or n (ML) on the last
 * row. The solves use the block-diagonal first block: a column of the first term touches only
 * its level there.
 */
public final class CriterionGradient {
    private CriterionGradient() {}

    /** The gradient of the criterion at th into {@code out}, setting the model's θ; false where L fails there. */
    static boolean at(LmmModel md, double[] th, boolean reml, double[] out) {
        if (!java.util.Arrays.equals(th, md.theta())) md.setTheta(th);
        return of(md, reml, out);
    }

    /**
     * The gradient at the model's current θ into {@code out}; false when the factorisation at
     * that θ failed.
     */
    static boolean of(LmmModel md, boolean reml, double[] out) {
        double[] logR2 = new double[out.length];
        if (!parts(md, reml, out, logR2)) return false;
        double nu = reml ? md.design().n() - md.p : md.design().n();
        for (int i = 0; i < out.length; i++) out[i] += nu * logR2[i];
        return true;
    }

    /**
     * The gradient of D(θ, σ) = log-determinants + ν log(2πσ²) + r²/σ² (the criterion before σ
     * is profiled out, {@link ProfiledCriterion#unprofiled}) at θ and σ², with respect to θ, into
     * {@code out}: the log-determinants' part plus (r²/σ²)·∂log r². Sets the model's θ; false
     * where L fails there.
     */
    public static boolean unprofiled(LmmModel md, double[] th, boolean reml, double sigma2, double[] out) {
        if (!java.util.Arrays.equals(th, md.theta())) md.setTheta(th);
        double[] logR2 = new double[out.length];
        if (!parts(md, reml, out, logR2)) return false;
        double scale = md.pwrss() / sigma2;
        for (int i = 0; i < out.length; i++) out[i] += scale * logR2[i];
        return true;
    }

    /**
     * The two parts of the gradient at the model's current θ: of the log-determinants
     * (log|L_Z|², plus log|R_X|² for REML) and of log r².
     */
    private static boolean parts(LmmModel md, boolean reml, double[] logDet, double[] logR2) {
        if (!md.factorOk()) return false;
        int k = md.k, p = md.p;
        int[] size = md.size, c = md.c, g = md.g;
        int[] boff = new int[k + 2];
        for (int i = 0; i <= k; i++) boff[i + 1] = boff[i] + size[i];
        int q = boff[k], nn = boff[k + 1];
        double[] w = new double[nn];
        java.util.Arrays.fill(w, 0, q, 1.0);
        if (reml) java.util.Arrays.fill(w, q, q + p, 1.0);
        double[] theta = md.theta();
        List<CovarianceTerm> cov = md.covarianceTerms();
        java.util.Arrays.fill(logDet, 0);
        java.util.Arrays.fill(logR2, 0);
        double[][] factors = new double[k][];
        for (int t = 0; t < k; t++) factors[t] = cov.get(t).factor(theta);
        double[] tmp = new double[Math.max(1, maxOf(c))];
        for (int t = 0; t < k; t++) {
            int ct = c[t];
            double[][] v = new double[ct][nn], wc = new double[ct][nn];
            for (int lev = 0; lev < g[t]; lev++) {
                int lo = t == 0 ? lev : 0, hi = t == 0 ? lev + 1 : g[0]; // first-block levels of the W column
                for (int u = 0; u < ct; u++) {
                    int col = lev * ct + u;
                    java.util.Arrays.fill(v[u], 0);
                    v[u][boff[t] + col] = 1;
                    forward(md, v[u], boff, t == 0 ? lev : 0, t == 0 ? lev + 1 : 0);
                    column(md, t, col, factors, boff, wc[u], tmp);
                    forward(md, wc[u], boff, lo, hi);
                }
                int idx = cov.get(t).offset();
                for (int b = 0; b < ct; b++) {
                    for (int a = b; a < ct; a++) {
                        double s = 0;
                        double[] vb = v[b], wa = wc[a];
                        for (int r = 0; r < nn - 1; r++) s += w[r] * vb[r] * wa[r];
                        logDet[idx] += 2 * s;
                        logR2[idx++] += 2 * vb[nn - 1] * wa[nn - 1];
                    }
                }
            }
        }
        return true;
    }

    private static int maxOf(int[] x) {
        int m = 0;
        for (int v : x) m = Math.max(m, v);
        return m;
    }

    /**
     * Λ̃ᵀA e_col for coefficient {@code col} of term t, into {@code out} (length N, by blocks).
     */
    private static void column(LmmModel md, int t, int col, double[][] factors, int[] boff, double[] out, double[] tmp) {
        int k = md.k;
        int[] size = md.size, c = md.c, g = md.g;
        double[][][] a = md.a;
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i <= k; i++) {
            int base = boff[i];
            if (i == 0 && t == 0) {
                int c0 = c[0], lev = col / c0, u = col % c0;
                int off = lev * c0 * c0;
                for (int x = 0; x < c0; x++) out[base + lev * c0 + x] = a[0][0][off + u * c0 + x];
            } else if (i < t) { // A[t][i] is size[t] × size[i]: its row col
                double[] blk = a[t][i];
                for (int x = 0; x < size[i]; x++) out[base + x] = blk[x * size[t] + col];
            } else { // A[i][t] is size[i] × size[t]: its column col
                System.arraycopy(a[i][t], col * size[i], out, base, size[i]);
            }
            if (i == k) continue;
            if (c[i] == 1) {
                double th = factors[i][0];
                for (int x = 0; x < size[i]; x++) out[base + x] *= th;
            } else {
                for (int lev = 0; lev < g[i]; lev++) CovarianceTerm.lmulFactorT(factors[i], c[i], out, base + lev * c[i], tmp);
            }
        }
    }

    /**
     * x ← L⁻¹x, by blocks. Only the first-block levels lo … hi−1 of x may be non-zero on entry
     * (the first block of L is block diagonal, so the others stay zero there).
     */
    private static void forward(LmmModel md, double[] x, int[] boff, int lo, int hi) {
        int k = md.k;
        int[] size = md.size, c = md.c;
        double[][][] l = md.l;
        int c0 = c[0];
        double[] l00 = l[0][0];
        for (int lev = lo; lev < hi; lev++) {
            if (c0 == 1) x[lev] /= l00[lev];
            else Dense.solveLower(c0, l00, lev * c0 * c0, c0, x, lev * c0);
        }
        for (int i = 1; i <= k; i++) {
            int rows = size[i], base = boff[i];
            for (int j = 0; j < i; j++) {
                double[] lij = l[i][j];
                int from = j == 0 ? lo * c0 : 0, to = j == 0 ? hi * c0 : size[j];
                int jb = boff[j];
                for (int col = from; col < to; col++) {
                    double xv = x[jb + col];
                    if (xv == 0) continue;
                    int cb = col * rows;
                    for (int r = 0; r < rows; r++) x[base + r] -= lij[cb + r] * xv;
                }
            }
            Dense.solveLower(rows, l[i][i], 0, rows, x, base);
        }
    }
}
