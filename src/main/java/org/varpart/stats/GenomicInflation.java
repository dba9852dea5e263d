package org.varpart.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * The genomic inflation factor λ: the median of the p-values' χ²₁ quantiles over its expected
 * value 0.4549364 (docs/model.md#multiple-testing). 1 when the p-values are uniform; above 1 when the tests are
 * anti-conservative or many effects are real.
 */
public final class GenomicInflation {
    /** The median of χ²₁. */
    public static final double CHI2_1_MEDIAN = 0.4549364;

    private GenomicInflation() {}

    /** λ from the median p-value (the χ²₁ quantile is monotone, so it maps median to median). */
    public static double fromMedianP(double medianP) {
        return chiSquare1Quantile(1 - medianP) / CHI2_1_MEDIAN;
    }

    /** The quantile of χ²₁ at probability u: (Φ⁻¹((1 + u)/2))². */
    static double chiSquare1Quantile(double u) {
        if (u <= 0) return 0;
        if (u >= 1) return Double.POSITIVE_INFINITY;
        // χ²₁ = Z², so P(Z² ≤ x) = erf(√(x/2)); invert with erfInv
        double z = Math.sqrt(2) * org.apache.commons.math3.special.Erf.erfInv(u);
        return z * z;
    }

    /** Used by tests: P(χ²₁ > x). */
    static double chiSquare1Tail(double x) {
        return Gamma.regularizedGammaQ(0.5, x / 2);
    }
}
