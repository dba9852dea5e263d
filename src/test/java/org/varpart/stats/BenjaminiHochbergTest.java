package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Benjamini–Hochberg against R: the expected values are R 4.2's
 * {@code print(p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.04, 0.9, 0.001), "BH"), digits = 15)}, which prints
 * 0.035 0.056 0.056 0.233333333333333 0.056 0.9 0.007 (0.03 at rank 3 takes the smaller value of
 * rank 5). The tolerance, 1e-15, is the rounding of the printed digits.
 */
class BenjaminiHochbergTest {

    @Test
    void equalsRsPAdjust() {
        double[] p = {0.01, 0.04, 0.03, 0.2, 0.04, 0.9, 0.001};
        double[] expected = {0.035, 0.056, 0.056, 0.233333333333333, 0.056, 0.9, 0.007};
        assertArrayEquals(expected, BenjaminiHochberg.qValues(p), 1e-15);
    }

    @Test
    void missingPValuesAreLeftOutOfMAndCappedAtOne() {
        // R: p.adjust(c(0.5, NA, 0.9, 0.6), "BH") is 0.9 NA 0.9 0.9 (m = 3)
        double[] q = BenjaminiHochberg.qValues(new double[] {0.5, Double.NaN, 0.9, 0.6});
        assertArrayEquals(new double[] {0.9, Double.NaN, 0.9, 0.9}, q, 1e-15);
        // m·p/j above 1 is capped: p.adjust(c(0.9, 0.95), "BH") is 0.95 0.95
        assertArrayEquals(new double[] {0.95, 0.95}, BenjaminiHochberg.qValues(new double[] {0.9, 0.95}), 1e-15);
    }
}
