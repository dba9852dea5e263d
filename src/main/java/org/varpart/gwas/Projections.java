package org.varpart.gwas;

/**
 * The projection recursions of {@link SpectralLmm}, on m × m matrices of weighted sums: P_k (sums
 * with h), PP_k (with h²) and PPP_k (with h³) after the first k vectors are projected out in
 * H⁻¹'s metric, k = 0 … {@code projected}. A pivot P_k[w][w] of exactly 0 leaves the level
 * unchanged, as in GEMMA. Only entries of vectors not yet projected out are filled.
 */
final class Projections {
    private Projections() {}

    /** P_k for k = 0 … projected (the recursion in {@link SpectralLmm}), from P₀. */
    static double[][][] first(int m, int projected, double[][] p0) {
        double[][][] p = new double[projected + 1][][];
        p[0] = p0;
        for (int k = 1; k <= projected; k++) {
            double[][] q = p[k - 1], r = new double[m][m];
            int w = k - 1;
            double ww = q[w][w];
            for (int a = k; a < m; a++) {
                for (int b = a; b < m; b++) {
                    r[a][b] = r[b][a] = ww != 0 ? q[a][b] - q[a][w] * q[b][w] / ww : q[a][b];
                }
            }
            p[k] = r;
        }
        return p;
    }

    /** The first derivatives' recursion: PP_k (sums with h²) alongside P_k. */
    static double[][][] second(int m, int projected, double[][][] p, double[][] pp0) {
        double[][][] pp = new double[projected + 1][][];
        pp[0] = pp0;
        for (int k = 1; k <= projected; k++) {
            double[][] q = p[k - 1], q2 = pp[k - 1], r = new double[m][m];
            int w = k - 1;
            double ww = q[w][w], ww2 = q2[w][w];
            for (int a = k; a < m; a++) {
                for (int b = a; b < m; b++) {
                    double v = q2[a][b];
                    if (ww != 0) {
                        v += q[a][w] * q[b][w] * ww2 / (ww * ww);
                        v -= (q[a][w] * q2[b][w] + q[b][w] * q2[a][w]) / ww;
                    }
                    r[a][b] = r[b][a] = v;
                }
            }
            pp[k] = r;
        }
        return pp;
    }

    /** The second derivatives' recursion: PPP_k (sums with h³). */
    static double[][][] third(int m, int projected, double[][][] p, double[][][] pp, double[][] ppp0) {
        double[][][] ppp = new double[projected + 1][][];
        ppp[0] = ppp0;
        for (int k = 1; k <= projected; k++) {
            double[][] q = p[k - 1], q2 = pp[k - 1], q3 = ppp[k - 1], r = new double[m][m];
            int w = k - 1;
            double ww = q[w][w], ww2 = q2[w][w], ww3 = q3[w][w];
            for (int a = k; a < m; a++) {
                for (int b = a; b < m; b++) {
                    double v = q3[a][b];
                    if (ww != 0) {
                        double aw = q[a][w], bw = q[b][w], aw2 = q2[a][w], bw2 = q2[b][w], aw3 = q3[a][w], bw3 = q3[b][w];
                        v -= aw * bw * ww2 * ww2 / (ww * ww * ww);
                        v -= (aw * bw3 + bw * aw3 + aw2 * bw2) / ww;
                        v += (aw * bw2 * ww2 + bw * aw2 * ww2 + aw * bw * ww3) / (ww * ww);
                    }
                    r[a][b] = r[b][a] = v;
                }
            }
            ppp[k] = r;
        }
        return ppp;
    }
}
