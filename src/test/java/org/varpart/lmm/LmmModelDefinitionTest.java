package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.design.ReTerm;
import org.varpart.formula.ModelSpec;

/**
 * Definition tests of the blocked factorisation against the n × n marginal model, computed
 * densely and independently: with V = I + ZΛΛᵀZᵀ,
 * log|L|² = log|V| (determinant lemma), r² = min_β (y − Xβ)ᵀV⁻¹(y − Xβ) and
 * log|R_X|² = log|XᵀV⁻¹X|.
 */
class LmmModelDefinitionTest {

    static DataTable simulated(long seed, int n) {
        Random rnd = new Random(seed);
        List<String> names = List.of("y", "x", "a", "b", "c");
        String[][] cols = new String[5][n];
        for (int i = 0; i < n; i++) {
            double x = rnd.nextGaussian();
            int a = rnd.nextInt(7), b = rnd.nextInt(4), c = rnd.nextInt(3);
            cols[0][i] = Double.toString(1 + 0.5 * x + a * 0.3 - b * 0.2 + c * 0.4 + rnd.nextGaussian());
            cols[1][i] = Double.toString(x);
            cols[2][i] = "a" + a;
            cols[3][i] = "b" + b;
            cols[4][i] = "c" + c;
        }
        List<String[]> list = new ArrayList<>();
        for (String[] c : cols) list.add(c);
        return DataTable.fromText("sim", names, list);
    }

    @Test
    void blockedFactorMatchesTheDenseMarginalModel() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 + x | a) + (1 | b) + (0 + x | c)"), simulated(7, 60));
        LmmModel m = new LmmModel(d);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 5; trial++) {
            double[] theta = new double[m.nTheta()];
            double[] lb = m.lowerBounds();
            for (int i = 0; i < theta.length; i++) theta[i] = lb[i] == 0 ? 0.2 + rnd.nextDouble() : rnd.nextGaussian() * 0.5;
            m.setTheta(theta);
            Dense dense = new Dense(d, m);
            assertEquals(dense.logDetV, m.logDetL(), 1e-9 * Math.abs(dense.logDetV) + 1e-10, "log|L|²");
            assertEquals(dense.r2, m.pwrss(), 1e-9 * dense.r2, "r²");
            assertEquals(dense.logDetXVX, m.logDetRX(), 1e-9 * Math.abs(dense.logDetXVX) + 1e-10, "log|R_X|²");
            double[] beta = m.beta();
            for (int j = 0; j < beta.length; j++) assertEquals(dense.beta[j], beta[j], 1e-9 * (1 + Math.abs(dense.beta[j])), "β");
        }
    }

    /** The marginal model computed with n × n matrices. */
    static final class Dense {
        final double logDetV, r2, logDetXVX;
        final double[] beta;

        Dense(Design d, LmmModel m) {
            int n = d.n(), p = d.p();
            int q = 0;
            for (ReTerm t : d.terms()) q += t.q();
            double[][] zl = new double[n][q];
            int off = 0;
            for (int t = 0; t < d.terms().size(); t++) {
                ReTerm term = d.terms().get(t);
                int c = term.columns();
                double[] tm = m.lambdaBlock(t);
                for (int i = 0; i < n; i++) {
                    int base = off + term.code(i) * c;
                    // (Z Λ) row i = z_i T over the level's columns
                    for (int col = 0; col < c; col++) {
                        double s = 0;
                        for (int r = col; r < c; r++) s += term.z(i, r) * tm[col * c + r];
                        zl[i][base + col] = s;
                    }
                }
                off += term.q();
            }
            RealMatrix zlm = new Array2DRowRealMatrix(zl);
            RealMatrix v = zlm.multiply(zlm.transpose());
            for (int i = 0; i < n; i++) v.addToEntry(i, i, 1.0);
            CholeskyDecomposition ch = new CholeskyDecomposition(v);
            logDetV = Math.log(ch.getDeterminant());
            RealMatrix vinv = ch.getSolver().getInverse();
            double[][] xa = new double[n][p];
            for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) xa[i][j] = d.x(i, j);
            RealMatrix x = new Array2DRowRealMatrix(xa);
            RealMatrix y = new Array2DRowRealMatrix(d.y());
            RealMatrix xtv = x.transpose().multiply(vinv);
            RealMatrix xvx = xtv.multiply(x);
            logDetXVX = Math.log(new LUDecomposition(xvx).getDeterminant());
            RealMatrix b = new LUDecomposition(xvx).getSolver().solve(xtv.multiply(y));
            beta = b.getColumn(0);
            RealMatrix res = y.subtract(x.multiply(b));
            r2 = res.transpose().multiply(vinv).multiply(res).getEntry(0, 0);
        }
    }
}
