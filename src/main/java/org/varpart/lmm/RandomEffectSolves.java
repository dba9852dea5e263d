package org.varpart.lmm;

/**
 * The solves with the random-effects part L_Z of a {@link LmmModel}'s factor at its current θ:
 * the spherical conditional modes û and lme4's conditional covariance of the random effects
 * (docs/model.md#profiled-criterion). Block 0 of L_Z is block diagonal, the others dense.
 */
final class RandomEffectSolves {
    private RandomEffectSolves() {}

    /** Spherical random effects û at the current θ, per term (length qₜ each). */
    static double[][] u(LmmModel md, double[] beta) {
        double[][] v = new double[md.k][];
        for (int j = 0; j < md.k; j++) {
            double[] lkj = md.l[md.k][j];
            v[j] = new double[md.size[j]];
            for (int col = 0; col < md.size[j]; col++) {
                double s = lkj[col * (md.p + 1) + md.p];
                for (int r = 0; r < md.p; r++) s -= lkj[col * (md.p + 1) + r] * beta[r];
                v[j][col] = s;
            }
        }
        backSolve(md, v);
        return v;
    }

    /** Solves L_Zᵀ x = v in place over the random-effects blocks. */
    static void backSolve(LmmModel md, double[][] v) {
        for (int j = md.k - 1; j >= 0; j--) {
            for (int i = j + 1; i < md.k; i++) {
                double[] lij = md.l[i][j];
                int rows = md.size[i];
                for (int col = 0; col < md.size[j]; col++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) s += lij[col * rows + r] * v[i][r];
                    v[j][col] -= s;
                }
            }
            solveDiagonalBlock(md, j, v[j], true);
        }
    }

    /** Solves L_Z x = v in place over the random-effects blocks. */
    static void forwardSolve(LmmModel md, double[][] v) {
        for (int j = 0; j < md.k; j++) {
            for (int m = 0; m < j; m++) {
                double[] ljm = md.l[j][m];
                int rows = md.size[j];
                for (int col = 0; col < md.size[m]; col++) {
                    double x = v[m][col];
                    if (x == 0) continue;
                    for (int r = 0; r < rows; r++) v[j][r] -= ljm[col * rows + r] * x;
                }
            }
            solveDiagonalBlock(md, j, v[j], false);
        }
    }

    private static void solveDiagonalBlock(LmmModel md, int j, double[] x, boolean transposed) {
        if (j == 0) {
            int c0 = md.c[0];
            for (int lev = 0; lev < md.g[0]; lev++) {
                if (transposed) Dense.solveLowerTransposed(c0, md.l[0][0], lev * c0 * c0, c0, x, lev * c0);
                else Dense.solveLower(c0, md.l[0][0], lev * c0 * c0, c0, x, lev * c0);
            }
        } else if (transposed) {
            Dense.solveLowerTransposed(md.size[j], md.l[j][j], 0, md.size[j], x, 0);
        } else {
            Dense.solveLower(md.size[j], md.l[j][j], 0, md.size[j], x, 0);
        }
    }

    /**
     * Conditional covariance blocks of the random effects, up to σ²: for each term and level
     * the c × c block of Λ (L_Z L_Zᵀ)⁻¹ Λᵀ (lme4's {@code condVar}, which ignores the uncertainty
     * in β̂). Returns, per term, g·c·c values (column-major blocks).
     */
    static double[][] conditionalCovariance(LmmModel md) {
        double[][] out = new double[md.k][];
        for (int t = 0; t < md.k; t++) out[t] = new double[md.g[t] * md.c[t] * md.c[t]];
        // columns of L_Z⁻¹ for the coefficients of one block at a time
        for (int t = 0; t < md.k; t++) {
            int ct = md.c[t];
            double[] tm = md.lambdaBlock(t);
            for (int lev = 0; lev < md.g[t]; lev++) {
                double[][][] cols = new double[ct][][];
                for (int u = 0; u < ct; u++) {
                    double[][] v = new double[md.k][];
                    for (int s = 0; s < md.k; s++) v[s] = new double[md.size[s]];
                    v[t][lev * ct + u] = 1.0;
                    forwardSolve(md, v);
                    cols[u] = v;
                }
                double[] inner = new double[ct * ct];
                for (int u = 0; u < ct; u++) {
                    for (int w = 0; w < ct; w++) {
                        double s = 0;
                        for (int blk = 0; blk < md.k; blk++) {
                            double[] x1 = cols[u][blk], x2 = cols[w][blk];
                            for (int r = 0; r < x1.length; r++) s += x1[r] * x2[r];
                        }
                        inner[w * ct + u] = s;
                    }
                }
                // T inner Tᵀ
                int off = lev * ct * ct;
                for (int r = 0; r < ct; r++) {
                    for (int s2 = 0; s2 < ct; s2++) {
                        double s = 0;
                        for (int x = 0; x <= r; x++) {
                            for (int y = 0; y <= s2; y++) s += tm[x * ct + r] * inner[y * ct + x] * tm[y * ct + s2];
                        }
                        out[t][off + s2 * ct + r] = s;
                    }
                }
            }
        }
        return out;
    }
}
