package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * The spectral formulas against their definitions with dense matrices (no external tool): on a
 * random positive semi-definite K (n = 40, seed fixed) with three covariates, the ML and REML
 * log-likelihoods equal the profiled Gaussian log-densities with H = λK + I, the derivatives equal
 * central differences, the Wald estimate equals generalised least squares, and the eigen route
 * of {@link Grm} reproduces K.
 */
class SpectralLmmDefinitionTest {
    static final int N = 40, C = 3;
    final Random rng = new Random(5);
    final RealMatrix k, w;
    final RealVector y, x;
    final Grm.Eigen eigen;

    SpectralLmmDefinitionTest() {
        double[][] g = new double[N][25];
        for (double[] r : g) for (int j = 0; j < r.length; j++) r[j] = rng.nextInt(3);
        RealMatrix gm = new Array2DRowRealMatrix(g);
        for (int j = 0; j < 25; j++) {
            double mean = 0;
            for (int i = 0; i < N; i++) mean += g[i][j] / N;
            for (int i = 0; i < N; i++) gm.addToEntry(i, j, -mean);
        }
        k = gm.multiply(gm.transpose()).scalarMultiply(1.0 / 25);
        double[][] wd = new double[N][C];
        double[] yd = new double[N], xd = new double[N];
        for (int i = 0; i < N; i++) {
            wd[i][0] = 1;
            wd[i][1] = rng.nextGaussian();
            wd[i][2] = rng.nextInt(2);
            xd[i] = rng.nextInt(3);
            yd[i] = 0.3 * wd[i][1] + 0.2 * xd[i] + rng.nextGaussian();
        }
        w = new Array2DRowRealMatrix(wd);
        y = new ArrayRealVector(yd);
        x = new ArrayRealVector(xd);
        double[] kc = new double[N * N];
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) kc[j * N + i] = k.getEntry(i, j);
        eigen = Grm.eigen(kc, N);
    }

    double[] rotate(RealVector v) {
        return Grm.rotate(eigen, v.toArray(), 1);
    }

    SpectralLmm model(boolean withSnp) {
        double[][] v = new double[withSnp ? C + 2 : C + 1][];
        for (int j = 0; j < C; j++) v[j] = rotate(w.getColumnVector(j));
        if (withSnp) v[C] = rotate(x);
        v[v.length - 1] = rotate(y);
        return new SpectralLmm(eigen.values(), v, withSnp ? C + 1 : C);
    }

    /** The profiled log-likelihood from its definition, with design X. */
    double dense(double l, RealMatrix xm, boolean reml) {
        RealMatrix h = k.scalarMultiply(l).add(MatrixUtils.createRealIdentityMatrix(N));
        LUDecomposition hl = new LUDecomposition(h);
        RealMatrix hi = hl.getSolver().getInverse();
        RealMatrix xhx = xm.transpose().multiply(hi).multiply(xm);
        RealMatrix p = hi.subtract(hi.multiply(xm).multiply(new LUDecomposition(xhx).getSolver().getInverse()).multiply(xm.transpose()).multiply(hi));
        double ypy = y.dotProduct(p.operate(y));
        int c = xm.getColumnDimension();
        double d = reml ? N - c : N;
        double f = -0.5 * d * Math.log(2 * Math.PI * ypy / d) - 0.5 * Math.log(hl.getDeterminant()) - 0.5 * d;
        if (reml) {
            f -= 0.5 * Math.log(new LUDecomposition(xhx).getDeterminant());
            f += 0.5 * Math.log(new LUDecomposition(xm.transpose().multiply(xm)).getDeterminant());
        }
        return f;
    }

    @Test
    void eigenRebuildsK() {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int t = 0; t < N; t++) s += eigen.vectors()[t * N + i] * eigen.values()[t] * eigen.vectors()[t * N + j];
                assertEquals(k.getEntry(i, j), s, 1e-10);
            }
        }
    }

    @Test
    void logLikelihoodsEqualTheirDefinitions() {
        SpectralLmm m = model(false);
        for (double l : new double[] {1e-3, 0.3, 2.5, 40}) {
            assertEquals(dense(l, w, false), m.logLik(l, false), 1e-9, "ML at " + l);
            assertEquals(dense(l, w, true), m.logLik(l, true), 1e-9, "REML at " + l);
        }
    }

    @Test
    void derivativesEqualCentralDifferences() {
        for (boolean withSnp : new boolean[] {false, true}) {
            SpectralLmm m = model(withSnp);
            for (boolean reml : new boolean[] {false, true}) {
                for (double l : new double[] {0.05, 0.7, 3}) {
                    double h = 1e-5 * l;
                    double d1 = (m.logLik(l + h, reml) - m.logLik(l - h, reml)) / (2 * h);
                    double d2 = (m.derivatives(l + h, reml, false)[0] - m.derivatives(l - h, reml, false)[0]) / (2 * h);
                    double[] d = m.derivatives(l, reml, true);
                    assertEquals(d1, d[0], 1e-6 * Math.max(1, Math.abs(d1)), "first derivative, reml " + reml + " at " + l);
                    assertEquals(d2, d[1], 1e-5 * Math.max(1, Math.abs(d2)), "second derivative, reml " + reml + " at " + l);
                }
            }
        }
    }

    @Test
    void maximumIsAStationaryPointAndWaldIsGls() {
        SpectralLmm m = model(true);
        SpectralLmm.Optimum o = m.maximise(true);
        assertEquals(0, m.derivatives(o.lambda(), true, false)[0], 1e-4);
        RealMatrix xm = new Array2DRowRealMatrix(N, C + 1);
        xm.setSubMatrix(w.getData(), 0, 0);
        xm.setColumnVector(C, x);
        RealMatrix hi = new LUDecomposition(k.scalarMultiply(o.lambda()).add(MatrixUtils.createRealIdentityMatrix(N))).getSolver().getInverse();
        RealVector beta = new LUDecomposition(xm.transpose().multiply(hi).multiply(xm)).getSolver().solve(xm.transpose().multiply(hi).operate(y));
        double[][][] p = m.projections(o.lambda());
        assertEquals(beta.getEntry(C), p[C][C][C + 1] / p[C][C][C], 1e-10);
    }
}
