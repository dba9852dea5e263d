package org.varpart.lmm;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * The profiled objective for designs whose first random-effects term is scalar (one column, such
 * as {@code (1 | patient)}), evaluated through the Schur complement of that term's diagonal block.
 * With a_l the cross-products of level l of the first term with every other column of
 * [Z₂ … Z_k X y] and d_l its own sum of squares, eliminating the first block leaves
 * <pre>
 *   S = Λ_Rᵀ (A_RR − Σ_l w_l a_l a_lᵀ) Λ_R + I,    w_l = θ₁² / (θ₁² d_l + 1),
 * </pre>
 * and log|L|² = Σ_l log(θ₁² d_l + 1) + log|S_Z|². Levels with equal d_l share w_l, so
 * Σ_l w_l a_l a_lᵀ is a sum over the distinct counts of matrices summed once per design. An
 * evaluation then costs (distinct counts) × m² + m³/3 for m = the number of columns after the
 * first term, whatever n and the number of levels of the first term.
 *
 * <p>The y-independent sums are read from the full model's cross-products and grouped once per
 * design; {@link #setResponse} adds the parts that depend on y, from the feature's
 * {@link ResponseStatistics} (docs/model.md#schur-complement-of-the-first-term,
 * docs/model.md#shared-design). θ is read
 * through the terms' {@link CovarianceTerm}s and the criterion is {@link ProfiledCriterion}'s.
 */
final class SchurObjective {
    /** Above this many stored doubles the per-count sums cost more than they save. */
    static final long MAX_STORED = 8_000_000L;

    final int k, p, n, m, q0;
    final int[] c, g, off;
    final List<CovarianceTerm> cov;
    private final int nTheta;
    final int reDim; // number of random-effects columns among the m
    /** Per level of term 0: its cross-products with the other columns (without y), row-major q0 × (m−1). */
    private final double[] a;
    /** Per count group: size, d, and Σ a_l a_lᵀ over its levels (lower triangle, (m−1)², column-major). */
    final int[] groupSize;
    final double[] groupD;
    private final int[] levelGroup;
    final double[][] groupM;
    /** A_RR without y: (m−1)², column-major lower triangle. */
    private final double[] arr;

    // per response
    private final double[] ay;       // A_RR's y row (m entries; last is yᵀy)
    final double[][] groupMy; // per group: the y row of Σ u_l a_l (m entries; last Σ u_l²)
    private final double[] u0;        // (Z₁ᵀy)_l per level

    // workspace
    /** After {@link #objective}: the Cholesky factor of S (lower triangle, m × m). */
    final double[] s;
    /** The θ of the last evaluation. */
    final double[] theta;
    private final double[] weight;
    /** The diagonal of Λ_R when {@link #allScalar} (1 on the X and y columns). */
    final double[] lambda;
    /** Whether every term after the first is scalar, so Λ_R is diagonal. */
    final boolean allScalar;
    /** Whether {@link #s} holds the factor at {@link #theta}. */
    boolean factored;
    /** The gradient's workspace, made on first use. */
    private SchurGradient gradient;

    /** Reads the y-independent sums from the full model's cross-products (no pass over the observations). */
    private SchurObjective(LmmModel md) {
        Design d = md.design();
        List<ReTerm> terms = d.terms();
        k = terms.size();
        p = d.p();
        n = d.n();
        c = new int[k];
        g = new int[k];
        off = new int[k + 1];
        cov = CovarianceTerm.of(terms);
        int pos = 0;
        for (int t = 0; t < k; t++) {
            c[t] = cov.get(t).columns();
            g[t] = cov.get(t).levels();
            if (t >= 1) {
                off[t] = pos;
                pos += c[t] * g[t];
            }
        }
        reDim = pos;
        off[k] = pos; // X starts here
        m = pos + p + 1;
        nTheta = CovarianceTerm.nTheta(cov);
        q0 = g[0];
        int mx = m - 1;
        double[][][] cross = md.a;
        double[] d0 = cross[0][0]; // the first term is scalar: one sum of squares per level
        // a_l: level l's cross-products with the other random-effects columns and X
        a = new double[q0 * mx];
        for (int l = 0; l < q0; l++) {
            for (int i = 1; i < k; i++) System.arraycopy(cross[i][0], l * md.size[i], a, l * mx + off[i], md.size[i]);
            System.arraycopy(cross[k][0], l * (p + 1), a, l * mx + off[k], p);
        }
        // A_RR: the lower triangle over the columns after the first term, y left out
        arr = new double[mx * mx];
        for (int j = 1; j <= k; j++) {
            int cols = j < k ? md.size[j] : p;
            for (int cc = 0; cc < cols; cc++) {
                int col = off[j] + cc;
                for (int i = j; i <= k; i++) {
                    int rows = i < k ? md.size[i] : p, ld = i < k ? md.size[i] : p + 1;
                    for (int r = i == j ? cc : 0; r < rows; r++) arr[col * mx + off[i] + r] = cross[i][j][cc * ld + r];
                }
            }
        }
        Map<Double, Integer> groups = new HashMap<>();
        levelGroup = new int[q0];
        for (int l = 0; l < q0; l++) {
            Integer gi = groups.get(d0[l]);
            if (gi == null) {
                gi = groups.size();
                groups.put(d0[l], gi);
            }
            levelGroup[l] = gi;
        }
        int ng = groups.size();
        groupSize = new int[ng];
        groupD = new double[ng];
        groupM = new double[ng][mx * mx];
        for (int l = 0; l < q0; l++) {
            int gi = levelGroup[l];
            groupSize[gi]++;
            groupD[gi] = d0[l];
            double[] mg = groupM[gi];
            int base = l * mx;
            for (int cc = 0; cc < mx; cc++) {
                double acc = a[base + cc];
                if (acc == 0) continue;
                for (int r = cc; r < mx; r++) mg[cc * mx + r] += a[base + r] * acc;
            }
        }
        ay = new double[m];
        groupMy = new double[ng][m];
        u0 = new double[q0];
        s = new double[m * m];
        theta = new double[nTheta];
        weight = new double[ng];
        lambda = new double[m];
        java.util.Arrays.fill(lambda, 1.0);
        boolean scalar = true;
        for (int t = 1; t < k; t++) scalar &= c[t] == 1;
        allScalar = scalar;
    }

    /**
     * The objective for the design of {@code model}, built from its cross-products, or null when
     * the first term is not scalar or the sums would be too large.
     */
    static SchurObjective forDesign(LmmModel model) {
        Design d = model.design();
        if (d.terms().isEmpty() || d.terms().get(0).columns() != 1) return null;
        int m = 1 + d.p();
        for (int t = 1; t < d.terms().size(); t++) m += d.terms().get(t).q();
        Map<Double, Boolean> counts = new HashMap<>();
        for (double v : model.a[0][0]) counts.put(v, true);
        long stored = (long) (counts.size() + 2) * m * m + (long) d.terms().get(0).levels() * m;
        return stored > MAX_STORED ? null : new SchurObjective(model);
    }

    /**
     * Sets the response's cross-products: A_RR's y row is [Z₂ᵀy … Z_kᵀy, Xᵀy, yᵀy], and the per-count
     * sums of the y row take Z₁ᵀy.
     */
    void setResponse(ResponseStatistics r) {
        int mx = m - 1;
        for (int t = 1; t < k; t++) System.arraycopy(r.zty()[t], 0, ay, off[t], c[t] * g[t]);
        System.arraycopy(r.xty(), 0, ay, off[k], p);
        ay[mx] = r.yty();
        System.arraycopy(r.zty()[0], 0, u0, 0, q0);
        for (double[] row : groupMy) Arrays.fill(row, 0);
        int l = 0;
        while (l < q0) {
            int gi = levelGroup[l];
            double[] row = groupMy[gi];
            // four levels of one count group at a time: each entry still adds them in order of
            // level (Java adds left to right), so its value is the same, loaded and stored once
            if (l + 3 < q0 && gi == levelGroup[l + 1] && gi == levelGroup[l + 2] && gi == levelGroup[l + 3]
                    && u0[l] != 0 && u0[l + 1] != 0 && u0[l + 2] != 0 && u0[l + 3] != 0) {
                double u1 = u0[l], u2 = u0[l + 1], u3 = u0[l + 2], u4 = u0[l + 3];
                int b1 = l * mx, b2 = b1 + mx, b3 = b2 + mx, b4 = b3 + mx;
                for (int col = 0; col < mx; col++) row[col] = row[col] + u1 * a[b1 + col] + u2 * a[b2 + col] + u3 * a[b3 + col] + u4 * a[b4 + col];
                row[mx] = row[mx] + u1 * u1 + u2 * u2 + u3 * u3 + u4 * u4;
                l += 4;
                continue;
            }
            double ul = u0[l++];
            if (ul == 0) continue;
            for (int col = 0, base = (l - 1) * mx; col < mx; col++) row[col] += ul * a[base + col];
            row[mx] += ul * ul;
        }
    }

    /** Whether {@link #gradient} is available: every term after the first is scalar. */
    boolean hasGradient() {
        return allScalar;
    }

    /**
     * The gradient of the criterion at θ into {@code out} ({@link SchurGradient}); false where S
     * is not positive definite there or the design has vector terms.
     */
    boolean gradient(double[] th, boolean reml, double[] out) {
        if (!allScalar) return false;
        if (!factored || !Arrays.equals(th, theta)) objective(th, reml);
        if (gradient == null) gradient = new SchurGradient(this);
        return factored && gradient.at(reml, out);
    }

    /** The REML criterion or ML deviance at θ; +∞ where S is not positive definite. */
    double objective(double[] th, boolean reml) {
        System.arraycopy(th, 0, theta, 0, nTheta);
        factored = false;
        int mx = m - 1;
        double t02 = theta[0] * theta[0];
        int ng = groupSize.length;
        double logDet0 = 0;
        for (int gi = 0; gi < ng; gi++) {
            double denom = t02 * groupD[gi] + 1;
            logDet0 += groupSize[gi] * Math.log(denom);
            weight[gi] = t02 / denom;
        }
        if (allScalar) {
            // one fused pass: S_ij = λ_i λ_j (A_ij − Σ_G w_G M_G,ij), Λ_R diagonal
            for (int t = 1; t < k; t++) java.util.Arrays.fill(lambda, off[t], off[t] + g[t], cov.get(t).scalarTheta(theta));
            for (int col = 0; col < mx; col++) {
                int sb = col * m, ab = col * mx;
                double lc = lambda[col];
                for (int r = col; r < mx; r++) s[sb + r] = arr[ab + r];
                for (int gi = 0; gi < ng; gi++) {
                    double w = weight[gi];
                    double[] mg = groupM[gi];
                    for (int r = col; r < mx; r++) s[sb + r] -= w * mg[ab + r];
                }
                for (int r = col; r < mx; r++) s[sb + r] *= lc * lambda[r];
                double v = ay[col];
                for (int gi = 0; gi < ng; gi++) v -= weight[gi] * groupMy[gi][col];
                s[sb + mx] = v * lc;
            }
            double v = ay[mx];
            for (int gi = 0; gi < ng; gi++) v -= weight[gi] * groupMy[gi][mx];
            s[mx * m + mx] = v;
        } else {
            // S (lower triangle, column-major m × m) = A_RR − Σ_G w_G M_G, then Λ_Rᵀ S Λ_R
            for (int col = 0; col < mx; col++) {
                System.arraycopy(arr, col * mx + col, s, col * m + col, mx - col);
                s[col * m + mx] = ay[col];
            }
            s[mx * m + mx] = ay[mx];
            for (int gi = 0; gi < ng; gi++) {
                double w = weight[gi];
                if (w == 0) continue;
                double[] mg = groupM[gi];
                for (int col = 0; col < mx; col++) {
                    int sb = col * m, mb = col * mx;
                    for (int r = col; r < mx; r++) s[sb + r] -= w * mg[mb + r];
                }
                double[] my = groupMy[gi];
                for (int col = 0; col <= mx; col++) s[col * m + mx] -= w * my[col];
            }
            applyLambda();
        }
        for (int d = 0; d < reDim; d++) s[d * m + d] += 1.0;
        if (!Dense.cholSmall(m, s, 0)) return Double.POSITIVE_INFINITY;
        factored = true;
        double logDetL = logDet0, logDetRX = 0;
        for (int d = 0; d < reDim; d++) logDetL += 2 * Math.log(s[d * m + d]);
        for (int d = reDim; d < mx; d++) logDetRX += 2 * Math.log(s[d * m + d]);
        double r = s[mx * m + mx];
        return ProfiledCriterion.value(reml, logDetL, logDetRX, r * r, n, p);
    }

    /** S ← Λ_Rᵀ S Λ_R on the lower triangle, for the random-effects terms after the first. */
    private void applyLambda() {
        for (int t = 1; t < k; t++) {
            int ct = c[t];
            if (ct == 1) {
                double th = cov.get(t).scalarTheta(theta);
                int lo = off[t], hi = off[t] + g[t];
                // rows lo..hi-1 and columns lo..hi-1 scale by θ (the block itself by θ²)
                for (int col = 0; col < m; col++) {
                    int base = col * m;
                    if (col >= lo && col < hi) {
                        for (int r = col; r < m; r++) s[base + r] *= th;
                        for (int r = Math.max(col, lo); r < hi; r++) s[base + r] *= th;
                    } else if (col < lo) {
                        for (int r = lo; r < hi; r++) s[base + r] *= th;
                    }
                }
            } else {
                applyVectorLambda(t);
            }
        }
    }

    /**
     * Λₜ for a term with several columns: full symmetric fill, then level by level the rows
     * (Tᵀ from the left) and the columns (T from the right); the lower triangle is read back.
     */
    private void applyVectorLambda(int t) {
        int ct = c[t];
        double[] tm = cov.get(t).factor(theta);
        for (int col = 0; col < m; col++) for (int r = 0; r < col; r++) s[col * m + r] = s[r * m + col];
        double[] tmp = new double[ct];
        int lo = off[t];
        for (int lev = 0; lev < g[t]; lev++) {
            int b = lo + lev * ct;
            for (int col = 0; col < m; col++) CovarianceTerm.lmulFactorT(tm, ct, s, col * m + b, tmp);
            for (int r = 0; r < m; r++) CovarianceTerm.rmulFactor(tm, ct, s, b * m + r, m, tmp);
        }
    }
}
