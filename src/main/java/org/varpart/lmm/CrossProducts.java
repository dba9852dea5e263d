package org.varpart.lmm;

import java.util.List;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * The cross-products A = [Z₁ … Z_k X y]ᵀ[Z₁ … Z_k X y] of a design, stored by blocks as
 * {@link LmmModel} keeps them (docs/model.md#blocked-cholesky): A[i][j] for j ≤ i, block (0, 0)
 * as g₀ blocks of c₀ × c₀, the others dense column-major; the last block row is [X y].
 */
final class CrossProducts {
    private CrossProducts() {}

    /** Fills A from the design: O(n Σ cᵢcⱼ). */
    static void fill(Design design, double[][][] a, int[] c, int[] size) {
        int k = design.terms().size(), p = design.p(), n = design.n();
        List<ReTerm> terms = design.terms();
        double[] xy = new double[p + 1];
        double[][] zrow = new double[k][];
        for (int t = 0; t < k; t++) zrow[t] = new double[c[t]];
        int[] code = new int[k];
        for (int obs = 0; obs < n; obs++) {
            for (int t = 0; t < k; t++) {
                ReTerm term = terms.get(t);
                code[t] = term.code(obs);
                for (int u = 0; u < c[t]; u++) zrow[t][u] = term.z(obs, u);
            }
            for (int j = 0; j < p; j++) xy[j] = design.x(obs, j);
            xy[p] = design.y()[obs];
            // A[0][0]: per-level blocks
            int c0 = c[0];
            int base = code[0] * c0 * c0;
            for (int v = 0; v < c0; v++) {
                for (int u = 0; u < c0; u++) a[0][0][base + v * c0 + u] += zrow[0][u] * zrow[0][v];
            }
            // RE-RE blocks
            for (int i = 1; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    double[] blk = a[i][j];
                    int rows = size[i];
                    for (int v = 0; v < c[j]; v++) {
                        int col = code[j] * c[j] + v;
                        for (int u = 0; u < c[i]; u++) blk[col * rows + code[i] * c[i] + u] += zrow[i][u] * zrow[j][v];
                    }
                }
            }
            // [X y] rows against Z, and [X y]ᵀ[X y]
            for (int j = 0; j < k; j++) {
                double[] blk = a[k][j];
                for (int v = 0; v < c[j]; v++) {
                    int col = code[j] * c[j] + v;
                    double zv = zrow[j][v];
                    for (int r = 0; r <= p; r++) blk[col * (p + 1) + r] += xy[r] * zv;
                }
            }
            double[] kk = a[k][k];
            for (int s = 0; s <= p; s++) {
                for (int r = s; r <= p; r++) kk[s * (p + 1) + r] += xy[r] * xy[s];
            }
        }
    }
}
