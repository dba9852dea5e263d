package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/**
 * Definition tests of the residual df: the Schur and dense routes against n − 2 tr(H) + ΣH²
 * from the explicit n × n hat matrix H = C M⁻¹ Cᵀ, C = [ZΛ X], on the counts study with random
 * weights and several θ (one on the boundary), 1e-9 relative; and the dense route for a vector
 * term first ({@code (1 + age | patient)}), which the Schur route does not take.
 */
class ResidualDfTest {
    @Test
    void schurAndDenseEqualTheHatMatrixDefinition() {
        CountsFixtures f = CountsFixtures.load();
        Random rng = new Random(3);
        int n = f.samples.length;
        double[] y = new double[n], w = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
            w[i] = Math.exp(0.7 * rng.nextGaussian());
        }
        Design d = WeightedFit.scaled(f.design(y), y, WeightedFit.rescale(w));
        for (double[] theta : new double[][] {{0.7, 0.3}, {1.5, 0.0}, {0.05, 2.0}}) {
            double expected = explicit(d, theta);
            CountsFixtures.assertRelative(expected, ResidualDf.schur(d, theta), 1e-9, "Schur route at " + theta[0] + ", " + theta[1]);
            CountsFixtures.assertRelative(expected, ResidualDf.dense(d, theta), 1e-9, "dense route at " + theta[0] + ", " + theta[1]);
        }
        assertEquals(n - d.p(), ResidualDf.of(d, new double[] {0, 0}), 1e-9, "no random effects left: n - p");
        double[] age = new double[n];
        for (int i = 0; i < n; i++) age[i] = (f.sheet.column("age").numbers()[i] - 50) / 10;
        Design slopes = DesignBuilder.build(ModelSpec.parse("y ~ treatment + a + (1 + a | patient) + (1 | batch)"),
                f.sheet.withNumeric("a", age), "y", y);
        Design scaled = WeightedFit.scaled(slopes, y, WeightedFit.rescale(w));
        double[] theta = {0.8, 0.3, 0.5, 0.6};
        CountsFixtures.assertRelative(explicit(scaled, theta), ResidualDf.of(scaled, theta), 1e-9, "dense route, vector term first");
    }

    /** n − 2 tr(H) + ΣH² with H formed explicitly; θ lists each term's lower triangle column by column. */
    private static double explicit(Design d, double[] theta) {
        int n = d.n(), p = d.p(), q = 0;
        for (var t : d.terms()) q += t.q();
        int dim = q + p;
        double[][] c = new double[n][dim];
        for (int i = 0; i < n; i++) {
            int off = 0, th = 0;
            for (int j = 0; j < d.terms().size(); j++) {
                var t = d.terms().get(j);
                int cols = t.columns();
                double[][] tm = new double[cols][cols];
                for (int b = 0; b < cols; b++) for (int a = b; a < cols; a++) tm[a][b] = theta[th++];
                for (int b = 0; b < cols; b++) {
                    double v = 0;
                    for (int a = 0; a < cols; a++) v += t.z(i, a) * tm[a][b];
                    c[i][off + t.code(i) * cols + b] = v;
                }
                off += t.q();
            }
            for (int j = 0; j < p; j++) c[i][q + j] = d.x(i, j);
        }
        double[][] m = new double[dim][dim];
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += c[i][a] * c[i][b];
                m[a][b] = s + (a == b && a < q ? 1 : 0);
            }
        }
        double[][] inv = invert(m);
        double trH = 0, sumH2 = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double h = 0;
                for (int a = 0; a < dim; a++) {
                    if (c[i][a] == 0) continue;
                    for (int b = 0; b < dim; b++) h += c[i][a] * inv[a][b] * c[k][b];
                }
                if (i == k) trH += h;
                sumH2 += h * h;
            }
        }
        return n - 2 * trH + sumH2;
    }

    /** Gauss–Jordan inverse with partial pivoting. */
    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
            double[] tmp = m[col];
            m[col] = m[piv];
            m[piv] = tmp;
            double pv = m[col][col];
            for (int k = 0; k < 2 * n; k++) m[col][k] /= pv;
            for (int r = 0; r < n; r++) {
                if (r == col || m[r][col] == 0) continue;
                double f = m[r][col];
                for (int k = 0; k < 2 * n; k++) m[r][k] -= f * m[col][k];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(m[i], n, inv[i], 0, n);
        return inv;
    }
}
