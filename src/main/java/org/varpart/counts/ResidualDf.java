package org.varpart.counts;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.List;
import org.netlib.util.intW;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * variancePartition's residual degrees of freedom of a mixed-model fit ({@code rdf.merMod}):
 * ν = tr((I − H)ᵀ(I − H)) = n − 2 tr(H) + Σᵢⱼ Hᵢⱼ², H the hat matrix that maps the (scaled) response
 * to the fitted values Xβ̂ + ZΛû.
 * <p>Computed without anything n × n: with C = [ZΛ X] (q + p columns) and M = CᵀC + D,
 * D = diag(I_q, 0_p), the penalised normal equations give H = C M⁻¹ Cᵀ, so M⁻¹CᵀC = I − M⁻¹D and,
 * writing V for the q × q random-effects block of M⁻¹,
 * <pre>
 *   tr(H) = q + p − tr(V),   tr(H²) = q + p − 2 tr(V) + ‖V‖²_F,   ν = n − q − p + ‖V‖²_F.
 * </pre>
 * The cost is O(n (Σcₜ + p)²) for M and O((q + p)³) for its inverse. For a weighted fit, pass
 * the scaled design of {@link WeightedFit#scaled}: its hat matrix is lme4's for {@code weights=}.
 */
public final class ResidualDf {
    private static final LAPACK LAPACK_ = LAPACK.getInstance();

    private ResidualDf() {}

    /** ν at θ for the design (its X and terms; its response is not used). */
    public static double of(Design d, double[] theta) {
        List<ReTerm> terms = d.terms();
        int n = d.n(), p = d.p(), k = terms.size();
        int[] off = new int[k + 1];
        double[][] t = new double[k][];
        int th = 0;
        for (int j = 0; j < k; j++) {
            ReTerm term = terms.get(j);
            int c = term.columns();
            off[j + 1] = off[j] + term.q();
            t[j] = new double[c * c];
            for (int col = 0; col < c; col++) for (int row = col; row < c; row++) t[j][col * c + row] = theta[th++];
        }
        int q = off[k], dim = q + p;
        double[] m = new double[dim * dim];
        int nnz = p;
        for (ReTerm term : terms) nnz += term.columns();
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        for (int i = 0; i < n; i++) {
            int e = 0;
            for (int j = 0; j < k; j++) {
                ReTerm term = terms.get(j);
                int c = term.columns(), base = off[j] + term.code(i) * c;
                for (int b = 0; b < c; b++) {
                    double s = 0;
                    for (int a = b; a < c; a++) s += term.z(i, a) * t[j][b * c + a];
                    idx[e] = base + b;
                    val[e++] = s;
                }
            }
            for (int j = 0; j < p; j++) {
                idx[e] = q + j;
                val[e++] = d.x(i, j);
            }
            for (int a = 0; a < nnz; a++) {
                for (int b = 0; b < nnz; b++) {
                    if (idx[a] >= idx[b]) m[idx[b] * dim + idx[a]] += val[a] * val[b];
                }
            }
        }
        for (int u = 0; u < q; u++) m[u * dim + u] += 1;
        intW info = new intW(0);
        LAPACK_.dpotrf("L", dim, m, dim, info);
        if (info.val != 0) return Double.NaN;
        LAPACK_.dpotri("L", dim, m, dim, info);
        if (info.val != 0) return Double.NaN;
        double frob = 0;
        for (int col = 0; col < q; col++) {
            frob += m[col * dim + col] * m[col * dim + col];
            for (int row = col + 1; row < q; row++) frob += 2 * m[col * dim + row] * m[col * dim + row];
        }
        return n - q - p + frob;
    }
}
