package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * limma's squeezeVar and its special functions against values R printed (R 4.2.2, limma 3.54.1),
 * 1e-12 relative unless stated; the R lines are quoted beside each check.
 */
class SqueezeVarTest {
    private static void rel(double expected, double actual, double tol) {
        assertEquals(expected, actual, tol * Math.abs(expected));
    }

    @Test
    void tetragammaMatchesPsigamma() {
        // psigamma(c(0.3, 2.5, 17, 60), 2)
        rel(-7.5272536588726027e+01, Digammas.tetragamma(0.3), 1e-12);
        rel(-2.3620405164172742e-01, Digammas.tetragamma(2.5), 1e-12);
        rel(-3.6697288739589613e-03, Digammas.tetragamma(17), 1e-12);
        rel(-2.8244598408306784e-04, Digammas.tetragamma(60), 1e-12);
    }

    @Test
    void trigammaInverseMatchesLimma() {
        // limma::trigammaInverse(c(1e-7, 0.05, 0.7, 3, 2e7)); Newton stops at a relative step of 1e-8
        rel(1.0e+07, Digammas.trigammaInverse(1e-7), 1e-12);
        rel(2.0495835239154601e+01, Digammas.trigammaInverse(0.05), 1e-10);
        rel(1.8741947852056657e+00, Digammas.trigammaInverse(0.7), 1e-10);
        rel(6.7547810528137009e-01, Digammas.trigammaInverse(3), 1e-10);
        rel(2.2360679774997895e-04, Digammas.trigammaInverse(2e7), 1e-12);
    }

    @Test
    void finitePriorDfWithAZeroDfFeature() {
        // s <- limma::squeezeVar(c(0.2, 2, 0.5, 1.3, 0.8, 3.5, 0.1, 9), c(4, 6, 0, 3.5, 8, 5, 7, 3))
        double[] s2 = {0.2, 2, 0.5, 1.3, 0.8, 3.5, 0.1, 9}, d = {4, 6, 0, 3.5, 8, 5, 7, 3};
        SqueezeVar.Prior p = SqueezeVar.prior(s2, d);
        rel(1.7110244122966995, p.df(), 1e-9);
        rel(0.65859909178673814, p.var(), 1e-9);
        double[] post = {0.33739640821963240, 1.70235216776518428, 0.65859909178673803, 1.08939791388571194,
            0.77508600580105069, 2.77556420296032069, 0.20972035405901004, 5.97043799020587951};
        for (int i = 0; i < s2.length; i++) rel(post[i], p.posterior(d[i] == 0 ? 0 : s2[i], d[i]), 1e-9);
    }

    @Test
    void infinitePriorDfWhenTheVariancesAgree() {
        // limma::squeezeVar(c(1, 1.01, 0.99, 1, 1.02), rep(5, 5)): df.prior Inf, var.prior 1.004
        SqueezeVar.Prior p = SqueezeVar.prior(new double[] {1, 1.01, 0.99, 1, 1.02}, new double[] {5, 5, 5, 5, 5});
        assertEquals(Double.POSITIVE_INFINITY, p.df());
        rel(1.004, p.var(), 1e-12);
        rel(1.004, p.posterior(1.02, 5), 1e-12);
    }

    @Test
    void benjaminiHochbergMatchesPAdjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.2, NA, 0.04), "BH") = 0.05 0.05 0.05 0.20 NA 0.05
        double[] q = ModeratedT.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.2, Double.NaN, 0.04});
        double[] expected = {0.05, 0.05, 0.05, 0.2, Double.NaN, 0.05};
        for (int i = 0; i < q.length; i++) assertEquals(expected[i], q[i], 1e-15, "q" + i);
    }

    @Test
    void tailProbabilitiesKeepTheirDigits() {
        // 2 * pt(-12, 30) = 5.5801854151992606e-13 ; 2 * pnorm(-3) = 0.0026997960632601892
        rel(5.5801854151992606e-13, ModeratedT.twoSidedP(12, 30), 1e-9);
        rel(0.0026997960632601892, ModeratedT.twoSidedP(-3, Double.POSITIVE_INFINITY), 1e-12);
    }
}
