package org.varpart.gwas;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Upper tails of the test statistics, computed directly (never as 1 − CDF) so that p-values far
 * below 1e-16 keep their digits: P(F₁,ν &gt; f) = I_{ν/(ν+f)}(ν/2, ½) with I the regularised
 * incomplete beta function, and P(χ²₁ &gt; x) = Q(½, x/2) with Q the regularised upper gamma.
 */
public final class Tails {
    private Tails() {}

    /** P(F(1, df) &gt; f); 1 for f ≤ 0. Also the two-sided p of a t statistic with df degrees of freedom, at f = t². */
    public static double fOne(double f, double df) {
        if (Double.isNaN(f) || Double.isNaN(df)) return Double.NaN;
        if (f <= 0) return 1;
        if (Double.isInfinite(f)) return 0;
        return Beta.regularizedBeta(df / (df + f), df / 2, 0.5, 1e-15, 100000);
    }

    /** P(χ²₁ &gt; x); 1 for x ≤ 0. */
    public static double chiSquareOne(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x <= 0) return 1;
        return Gamma.regularizedGammaQ(0.5, x / 2, 1e-15, 100000);
    }
}
