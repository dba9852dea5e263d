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
 * When the first term is scalar (one column, g₀ levels) its block of M is diagonal, D, and only
 * the Schur complement S = E − BᵀD⁻¹B of the other m = q − g₀ + p columns is inverted: with
 * G = D⁻¹B, K = GᵀG, K₂ = GᵀD⁻¹G and U the random-effects columns among the m,
 * <pre>
 *   ‖V‖²_F = Σ d_l⁻² + 2 tr(S⁻¹K₂) + tr(S⁻¹K S⁻¹K) + 2 Σ_{j∈U} (S⁻¹K S⁻¹)ⱼⱼ + Σ_{j,k∈U} (S⁻¹)ⱼₖ²,
 * </pre>
 * which costs O(n·nnz² + g₀m² + m³) instead of O((q + p)³). Otherwise M is inverted densely.
 * For a weighted fit, pass the scaled design of {@link WeightedFit#scaled}: its hat matrix is
 * lme4's for {@code weights=}.
 */
public final class ResidualDf {
    private static final LAPACK LAPACK_ = LAPACK.getInstance();

    private ResidualDf() {}

    /** ν at θ for the design (its X and terms; its response is not used). */
    public static double of(Design d, double[] theta) {
        if (!d.terms().isEmpty() && d.terms().get(0).columns() == 1) return schur(d, theta);
        return dense(d, theta);
    }

    /** The relative factors Tⱼ (column-major lower triangles) of θ. */
    private static double[][] factors(List<ReTerm> terms, double[] theta) {
        double[][] t = new double[terms.size()][];
        int th = 0;
        for (int j = 0; j < t.length; j++) {
            int c = terms.get(j).columns();
            t[j] = new double[c * c];
            for (int col = 0; col < c; col++) for (int row = col; row < c; row++) t[j][col * c + row] = theta[th++];
        }
        return t;
    }

    /**
     * Observation i's non-zero entries of [ZΛ X] from term {@code from} on, at column indices
     * counted from that term's first column. Returns their number.
     */
    private static int row(Design d, double[][] t, int[] off, int from, int i, int[] idx, double[] val) {
        List<ReTerm> terms = d.terms();
        int e = 0;
        for (int j = from; j < terms.size(); j++) {
            ReTerm term = terms.get(j);
            int c = term.columns(), base = off[j] - off[from] + term.code(i) * c;
            for (int b = 0; b < c; b++) {
                double s = 0;
                for (int a = b; a < c; a++) s += term.z(i, a) * t[j][b * c + a];
                idx[e] = base + b;
                val[e++] = s;
            }
        }
        int q = off[terms.size()] - off[from];
        for (int j = 0; j < d.p(); j++) {
            idx[e] = q + j;
            val[e++] = d.x(i, j);
        }
        return e;
    }

    private static int[] offsets(List<ReTerm> terms) {
        int[] off = new int[terms.size() + 1];
        for (int j = 0; j < terms.size(); j++) off[j + 1] = off[j] + terms.get(j).q();
        return off;
    }

    /** The first term scalar: eliminate its diagonal block, invert the m × m Schur complement. */
    static double schur(Design d, double[] theta) {
        List<ReTerm> terms = d.terms();
        double[][] t = factors(terms, theta);
        int[] off = offsets(terms);
        ReTerm first = terms.get(0);
        int g0 = first.levels(), n = d.n(), p = d.p();
        int uRest = off[terms.size()] - off[1], m = uRest + p;
        int nnz = p;
        for (int j = 1; j < terms.size(); j++) nnz += terms.get(j).columns();
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        double[] dd = new double[g0];
        double[] b = new double[g0 * m];     // row l, column r at l*m + r
        double[] s = new double[m * m];      // E, then S (full, column-major)
        double t0 = t[0][0];
        for (int i = 0; i < n; i++) {
            double z0 = first.z(i, 0) * t0;
            int l = first.code(i);
            dd[l] += z0 * z0;
            int e = row(d, t, off, 1, i, idx, val);
            for (int a = 0; a < e; a++) {
                b[l * m + idx[a]] += z0 * val[a];
                for (int c = 0; c < e; c++) s[idx[c] * m + idx[a]] += val[a] * val[c];
            }
        }
        for (int u = 0; u < uRest; u++) s[u * m + u] += 1;
        double[] k1 = new double[m * m], k2 = new double[m * m];
        double sumInvD2 = 0;
        for (int l = 0; l < g0; l++) {
            double dl = dd[l] + 1, inv = 1 / dl;
            sumInvD2 += inv * inv;
            for (int c = 0; c < m; c++) {
                double bc = b[l * m + c];
                if (bc == 0) continue;
                for (int r = 0; r < m; r++) {
                    double prod = b[l * m + r] * bc;
                    s[c * m + r] -= prod * inv;
                    k1[c * m + r] += prod * inv * inv;
                    k2[c * m + r] += prod * inv * inv * inv;
                }
            }
        }
        if (!invertSpd(m, s)) return Double.NaN;
        double[] sk = multiply(m, s, k1);          // S⁻¹K
        double trK2 = 0, trSkSk = 0, diagSks = 0, sUU = 0;
        for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) {
            trK2 += s[c * m + r] * k2[r * m + c];
            trSkSk += sk[c * m + r] * sk[r * m + c];
        }
        double[] sks = multiply(m, sk, s);          // S⁻¹K S⁻¹
        for (int j = 0; j < uRest; j++) {
            diagSks += sks[j * m + j];
            for (int k = 0; k < uRest; k++) sUU += s[k * m + j] * s[k * m + j];
        }
        double frob = sumInvD2 + 2 * trK2 + trSkSk + 2 * diagSks + sUU;
        return n - off[terms.size()] - p + frob;
    }

    /** C = A B for m × m column-major matrices. */
    private static double[] multiply(int m, double[] a, double[] b) {
        double[] c = new double[m * m];
        for (int col = 0; col < m; col++) {
            for (int k = 0; k < m; k++) {
                double bk = b[col * m + k];
                if (bk == 0) continue;
                for (int r = 0; r < m; r++) c[col * m + r] += a[k * m + r] * bk;
            }
        }
        return c;
    }

    /** Replaces the symmetric positive definite A (full, column-major) by A⁻¹; false if not positive definite. */
    private static boolean invertSpd(int m, double[] a) {
        if (m == 0) return true;
        intW info = new intW(0);
        LAPACK_.dpotrf("L", m, a, m, info);
        if (info.val != 0) return false;
        LAPACK_.dpotri("L", m, a, m, info);
        if (info.val != 0) return false;
        for (int c = 0; c < m; c++) for (int r = c + 1; r < m; r++) a[r * m + c] = a[c * m + r];
        return true;
    }

    /** Any terms: M formed and inverted densely. */
    static double dense(Design d, double[] theta) {
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
