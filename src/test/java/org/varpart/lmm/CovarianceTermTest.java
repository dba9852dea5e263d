package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/**
 * Definition tests of {@link CovarianceTerm} against Λ written out densely: the θ layout, bounds
 * and start of lme4 (θ by term, lower triangle column by column), ΛᵀB and BΛ against the dense
 * product with I_g ⊗ T, and the scale-inflate factor L against chol(TᵀA_lT + I).
 */
class CovarianceTermTest {
    static final Design D = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 + x | a) + (1 | b)"),
            LmmModelDefinitionTest.simulated(23, 70));

    @Test
    void thetaLayoutBoundsAndStartAreLme4s() {
        List<CovarianceTerm> cov = CovarianceTerm.of(D.terms());
        assertEquals(2, cov.size());
        assertEquals(0, cov.get(0).offset());
        assertEquals(3, cov.get(1).offset(), "(1 + x | a) owns θ₀ (T₁₁), θ₁ (T₂₁), θ₂ (T₂₂)");
        assertEquals(4, CovarianceTerm.nTheta(cov));
        assertArrayEquals(new double[] {1, 0, 1, 1}, CovarianceTerm.start(cov));
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0}, CovarianceTerm.lowerBounds(cov));
        assertArrayEquals(new boolean[] {false, false, false, true}, CovarianceTerm.scalarThetas(cov));
        assertArrayEquals(new double[] {0.5, -0.3, 0, 2.0}, cov.get(0).factor(new double[] {0.5, -0.3, 2.0, 9}));
        // σ²TTᵀ for T = [[0.5, 0], [-0.3, 2]]: [[0.25, -0.15], [-0.15, 4.09]] times σ² = 2
        assertArrayEquals(new double[] {0.5, -0.3, -0.3, 8.18}, cov.get(0).covariance(new double[] {0.5, -0.3, 2.0, 9}, 2), 1e-15);
    }

    @Test
    void lambdaProductsEqualTheDenseProducts() {
        CovarianceTerm t = CovarianceTerm.of(D.terms()).get(0);
        double[] theta = {0.7, -0.4, 1.3, 0.5};
        int q = t.size(), cols = 3;
        double[] lambda = denseLambda(t, theta); // Λᵀ, row-major
        Random rnd = new Random(4);
        double[] b = new double[q * cols];
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[] left = b.clone();
        t.lmulLambdaT(theta, left, q, cols);
        double[] right = new double[cols * q];
        for (int i = 0; i < right.length; i++) right[i] = rnd.nextGaussian();
        double[] rightOut = right.clone();
        t.rmulLambda(theta, rightOut, cols);
        for (int r = 0; r < q; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int k = 0; k < q; k++) s += lambda[r * q + k] * b[c * q + k]; // Λᵀ[r][k]
                assertEquals(s, left[c * q + r], 1e-12, "ΛᵀB");
            }
        }
        for (int r = 0; r < cols; r++) {
            for (int c = 0; c < q; c++) {
                double s = 0;
                for (int k = 0; k < q; k++) s += right[k * cols + r] * lambda[c * q + k]; // Λ[k][c] = Λᵀ[c][k]
                assertEquals(s, rightOut[c * cols + r], 1e-12, "BΛ");
            }
        }
        double[] u = new double[q];
        for (int i = 0; i < q; i++) u[i] = rnd.nextGaussian();
        double[] lu = t.lambdaTimes(theta, u);
        for (int r = 0; r < q; r++) {
            double s = 0;
            for (int k = 0; k < q; k++) s += lambda[k * q + r] * u[k]; // Λ[r][k] = Λᵀ[k][r]
            assertEquals(s, lu[r], 1e-12, "Λu");
        }
    }

    @Test
    void scaleInflateFactorsTtATPlusI() {
        CovarianceTerm t = CovarianceTerm.of(D.terms()).get(0);
        double[] theta = {0.7, -0.4, 1.3, 0.5};
        int c = t.columns(), g = t.levels();
        double[] a = new double[g * c * c];
        Random rnd = new Random(8);
        for (int lev = 0; lev < g; lev++) {
            double x = rnd.nextDouble() + 1, y = rnd.nextGaussian(), z = rnd.nextDouble() + 2;
            a[lev * 4] = x;
            a[lev * 4 + 1] = y;
            a[lev * 4 + 2] = y;
            a[lev * 4 + 3] = z;
        }
        double[] l = new double[a.length];
        assertEquals(true, t.scaleInflateFactor(theta, a, l));
        double[] tm = t.factor(theta);
        for (int lev = 0; lev < g; lev++) {
            // M = TᵀAT + I, and L Lᵀ must equal it
            double[] m = new double[4];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double s = 0;
                    for (int x = 0; x < 2; x++) for (int y = 0; y < 2; y++) s += tm[i * 2 + x] * a[lev * 4 + y * 2 + x] * tm[j * 2 + y];
                    m[j * 2 + i] = s + (i == j ? 1 : 0);
                }
            }
            double l00 = l[lev * 4], l10 = l[lev * 4 + 1], l11 = l[lev * 4 + 3];
            assertEquals(m[0], l00 * l00, 1e-12);
            assertEquals(m[1], l10 * l00, 1e-12);
            assertEquals(m[3], l10 * l10 + l11 * l11, 1e-12);
        }
    }

    /** Λᵀ as a dense q × q row-major matrix: level blocks Tᵀ on the diagonal. */
    private static double[] denseLambda(CovarianceTerm t, double[] theta) {
        int c = t.columns(), q = t.size();
        double[] tm = t.factor(theta);
        double[] lt = new double[q * q];
        for (int lev = 0; lev < t.levels(); lev++) {
            for (int r = 0; r < c; r++) for (int s = 0; s < c; s++) lt[(lev * c + r) * q + lev * c + s] = tm[r * c + s];
        }
        return lt;
    }
}
