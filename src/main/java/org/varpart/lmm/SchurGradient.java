package org.varpart.lmm;

/**
 * The analytic gradient of the criterion evaluated by {@link SchurObjective} when every term
 * after the first is scalar (docs/model.md#gradient-of-the-profiled-criterion). With
 * S = ΛCΛ + D factored as LLᵀ (C = A_RR − Σ_G w_G M_G with its y row, Λ = diag(λ), λ = θₜ on the
 * columns of term t and 1 on [X y]) and the row weights w_r of {@link CriterionGradient}:
 * <ul>
 *   <li>θₜ of a later term: ΛC e_i = (S − D)e_i/θₜ for its columns i, so L⁻¹ΛC e_i =
 *       (Lᵀe_i − L⁻¹e_i)/θₜ and ∂f/∂θₜ = (2/θₜ) Σ_i (1 − Σ_r w_r (L⁻¹)²_{ri}); 0 at θₜ = 0,
 *       where f is even in θₜ;</li>
 *   <li>θ₁ of the first term: ∂S/∂θ₁ = −ΛNΛ with N = Σ_G w′_G M_G, w′ = 2θ₁/(θ₁²d + 1)², and
 *       ∂f/∂θ₁ = Σ_G n_G 2θ₁d_G/(θ₁²d_G + 1) − Σ_r w_r (L⁻¹ΛNΛL⁻ᵀ)_rr.</li>
 * </ul>
 * The cost is of the order of m³, a few evaluations of the criterion for the small m of
 * omics designs.
 */
final class SchurGradient {
    private SchurGradient() {}

    /** The gradient at the θ whose factor {@code so} holds; false if it holds none. */
    static boolean of(SchurObjective so, boolean reml, double[] out) {
        if (!so.factored) return false;
        int m = so.m, mx = m - 1, reDim = so.reDim;
        double[] l = so.s;
        double[] w = new double[m];
        for (int r = 0; r < m; r++) w[r] = r < reDim ? 1 : r < mx ? (reml ? 1 : 0) : (reml ? so.n - so.p : so.n);
        // li = L⁻¹ (lower triangle, column-major)
        double[] li = new double[m * m];
        for (int j = 0; j < m; j++) {
            li[j * m + j] = 1;
            Dense.solveLowerFrom(m, l, li, j * m, j);
        }
        java.util.Arrays.fill(out, 0);
        double[] theta = so.theta;
        for (int t = 1; t < so.k; t++) {
            double th = so.cov.get(t).scalarTheta(theta);
            if (th == 0) continue;
            double acc = 0;
            for (int i = so.off[t]; i < so.off[t] + so.g[t]; i++) {
                double ss = 0;
                for (int r = i; r < m; r++) ss += w[r] * li[i * m + r] * li[i * m + r];
                acc += 1 - ss;
            }
            out[so.cov.get(t).offset()] = 2 * acc / th;
        }
        double t1 = theta[0], t12 = t1 * t1;
        int ng = so.groupSize.length;
        // N = Σ_G w′_G M̄_G, full symmetric m × m
        double[] nm = new double[m * m];
        double g0 = 0;
        for (int gi = 0; gi < ng; gi++) {
            double den = t12 * so.groupD[gi] + 1;
            g0 += so.groupSize[gi] * 2 * t1 * so.groupD[gi] / den;
            double wp = 2 * t1 / (den * den);
            if (wp == 0) continue;
            double[] mg = so.groupM[gi], my = so.groupMy[gi];
            for (int col = 0; col < mx; col++) {
                for (int r = col; r < mx; r++) nm[col * m + r] += wp * mg[col * mx + r];
            }
            for (int col = 0; col <= mx; col++) nm[col * m + mx] += wp * my[col];
        }
        for (int col = 0; col < m; col++) for (int r = col + 1; r < m; r++) nm[r * m + col] = nm[col * m + r];
        // q_r = (Z N Zᵀ)_rr with Z = L⁻¹Λ: Z_ra = li[a·m + r] λ_a, zero for a > r
        double[] lam = so.lambda;
        double[] zr = new double[m];
        double quad = 0;
        for (int r = 0; r < m; r++) {
            if (w[r] == 0) continue;
            for (int a = 0; a <= r; a++) zr[a] = li[a * m + r] * lam[a];
            double qr = 0;
            for (int b = 0; b <= r; b++) {
                if (zr[b] == 0) continue;
                double nb = 0;
                int base = b * m;
                for (int a = 0; a <= r; a++) nb += nm[base + a] * zr[a];
                qr += nb * zr[b];
            }
            quad += w[r] * qr;
        }
        out[0] = g0 - quad;
        return true;
    }
}
