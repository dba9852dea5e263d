package org.varpart.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Polygamma functions that commons-math lacks: ψ″ (R's {@code psigamma(x, 2)}) and limma's
 * inverse of the trigamma function ψ′.
 */
final class Digammas {
    private Digammas() {}

    /**
     * ψ″(x) for x > 0: the recurrence ψ″(x) = ψ″(x + 1) − 2/x³ up to x ≥ 20, then the asymptotic
     * series −1/x² − 1/x³ − 1/(2x⁴) + 1/(6x⁶) − 1/(6x⁸) + 3/(10x¹⁰) − 5/(6x¹²).
     */
    static double tetragamma(double x) {
        double acc = 0;
        while (x < 20) {
            acc -= 2 / (x * x * x);
            x += 1;
        }
        double i = 1 / x, i2 = i * i;
        double series = -i2 * (1 + i * (1 + i * 0.5 + i * i2 * (-1.0 / 6 + i2 * (1.0 / 6 + i2 * (-3.0 / 10 + i2 * 5.0 / 6)))));
        return acc + series;
    }

    /**
     * limma's {@code trigammaInverse}: y with ψ′(y) = x, by Newton's method on 1/ψ′ from
     * y = 0.5 + 1/x until the relative step is below 10⁻⁸ (at most 50 steps); 1/√x above 10⁷ and
     * 1/x below 10⁻⁶.
     */
    static double trigammaInverse(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x < 0) return Double.NaN;
        if (x > 1e7) return 1 / Math.sqrt(x);
        if (x < 1e-6) return 1 / x;
        double y = 0.5 + 1 / x;
        for (int iter = 1; iter <= 51; iter++) {
            double tri = Gamma.trigamma(y);
            double dif = tri * (1 - tri / x) / tetragamma(y);
            y += dif;
            if (-dif / y < 1e-8) break;
        }
        return y;
    }
}
