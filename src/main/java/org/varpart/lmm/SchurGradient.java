package org.varpart.lmm;

/**
 * The analytic gradient of the criterion evaluated by {@link SchurObjective} when every term
 * after the first is scalar (docs/model.md#gradient-of-the-profiled-criterion), from the factor
 * the objective has just computed. With S = ΛCΛ + D = LLᵀ (C = A_RR − Σ_G w_G M_G with its y
 * row, Λ = diag(λ), λ = θₜ on the columns of term t and 1 on [X y]) every derivative is
 * tr(P ∂S) for one symmetric matrix
 * <pre>
 *   P = L⁻ᵀ W L⁻¹ = [S_κ⁻¹ 0; 0 0] + ν v vᵀ,    v = L⁻ᵀ e_y,
 * </pre>
 * W the row weights (1 on the random-effects rows, 1 (REML) or 0 (ML) on the rows of X, ν on
 * the last row, ν = n − p (REML) or n (ML)), and S_κ the leading κ × κ block of S, κ the number
 * of random-effects columns (ML) or of all columns but y's (REML): the rows of L⁻¹ with weight 1
 * are the rows of the inverse of L's leading block. Then
 * <ul>
 *   <li>θₜ of a later term: ∂S/∂θₜ = ((S − D)Eₜ + Eₜ(S − D))/θₜ on its columns Eₜ, so
 *       ∂f/∂θₜ = (2/θₜ) Σ_{i ∈ t} (1 − P_ii); 0 at θₜ = 0, where f is even in θₜ;</li>
 *   <li>θ₁ of the first term: ∂S/∂θ₁ = −ΛNΛ with N = Σ_G w′_G M_G, w′ = 2θ₁/(θ₁²d + 1)², and
 *       ∂f/∂θ₁ = Σ_G n_G 2θ₁d_G/(θ₁²d_G + 1) − Σ_G w′_G ⟨M_G, ΛPΛ⟩.</li>
 * </ul>
 * The cost is κ³/3 for L_κ⁻¹ and its cross-product, about one evaluation of the criterion (whose
 * Cholesky factor costs m³/6), and no allocation: the workspace is kept per design.
 */
final class SchurGradient {
    private final SchurObjective so;
    /** L_κ⁻¹, lower triangle, column-major with leading dimension κ. */
    private final double[] inv;
    /** v = L⁻ᵀ e_y. */
    private final double[] v;
    /** ΛPΛ on the columns before y (lower triangle, column-major (m−1)², off-diagonal doubled). */
    private final double[] q;
    /** ΛPΛ's y row (off-diagonal doubled, last entry P_yy). */
    private final double[] qy;
    /** The diagonal of P. */
    private final double[] pd;
    /** 1/L_cc. */
    private final double[] rd;

    SchurGradient(SchurObjective so) {
        this.so = so;
        int m = so.m;
        inv = new double[(m - 1) * (m - 1)];
        v = new double[m];
        q = new double[(m - 1) * (m - 1)];
        qy = new double[m];
        pd = new double[m];
        rd = new double[m];
    }

    /** The gradient at the θ whose factor {@code so} holds, into {@code out}; false if it holds none. */
    boolean at(boolean reml, double[] out) {
        if (!so.factored) return false;
        int m = so.m, mx = m - 1, reDim = so.reDim;
        int kappa = reml ? mx : reDim;
        double nu = reml ? so.n - so.p : so.n;
        double[] l = so.s;
        // v: Lᵀv = e_y by back substitution (a column of L is contiguous)
        v[mx] = 1 / l[mx * m + mx];
        for (int i = mx - 1; i >= 0; i--) {
            double acc = 0;
            int col = i * m;
            for (int r = i + 1; r < m; r++) acc += l[col + r] * v[r];
            v[i] = -acc / l[col + i];
        }
        // L_κ⁻¹ column by column: forward substitution in axpy form on the columns of L
        for (int c = 0; c < kappa; c++) rd[c] = 1 / l[c * m + c];
        for (int j = 0; j < kappa; j++) {
            int xj = j * kappa;
            inv[xj + j] = 1;
            for (int i = j + 1; i < kappa; i++) inv[xj + i] = 0;
            for (int c = j; c < kappa; c++) {
                int lc = c * m;
                double xc = inv[xj + c] * rd[c];
                inv[xj + c] = xc;
                if (xc == 0) continue;
                for (int i = c + 1; i < kappa; i++) inv[xj + i] -= l[lc + i] * xc;
            }
        }
        // P on the lower triangle, and ΛPΛ with the off-diagonal doubled for ⟨M_G, ·⟩
        double[] lam = so.lambda;
        for (int b = 0; b < mx; b++) {
            int xb = b * kappa, qb = b * mx;
            double vb = nu * v[b], lb = lam[b];
            for (int a = b; a < mx; a++) {
                double pab = vb * v[a];
                if (a < kappa) {
                    int xa = a * kappa;
                    double dot = 0;
                    for (int r = a; r < kappa; r++) dot += inv[xa + r] * inv[xb + r];
                    pab += dot;
                }
                if (a == b) {
                    pd[b] = pab;
                    q[qb + a] = lb * lb * pab;
                } else {
                    q[qb + a] = 2 * lam[a] * lb * pab;
                }
            }
            qy[b] = 2 * lb * vb * v[mx];
        }
        qy[mx] = nu * v[mx] * v[mx];
        java.util.Arrays.fill(out, 0);
        double[] theta = so.theta;
        for (int t = 1; t < so.k; t++) {
            double th = so.cov.get(t).scalarTheta(theta);
            if (th == 0) continue;
            double acc = 0;
            for (int i = so.off[t]; i < so.off[t] + so.g[t]; i++) acc += 1 - pd[i];
            out[so.cov.get(t).offset()] = 2 * acc / th;
        }
        double t1 = theta[0], t12 = t1 * t1;
        double g0 = 0, trace = 0;
        for (int gi = 0; gi < so.groupSize.length; gi++) {
            double den = t12 * so.groupD[gi] + 1;
            g0 += so.groupSize[gi] * 2 * t1 * so.groupD[gi] / den;
            double wp = 2 * t1 / (den * den);
            if (wp == 0) continue;
            double[] mg = so.groupM[gi], my = so.groupMy[gi];
            double acc = 0;
            for (int b = 0; b < mx; b++) {
                int base = b * mx;
                for (int a = b; a < mx; a++) acc += mg[base + a] * q[base + a];
            }
            for (int b = 0; b <= mx; b++) acc += my[b] * qy[b];
            trace += wp * acc;
        }
        out[0] = g0 - trace;
        return true;
    }
}
