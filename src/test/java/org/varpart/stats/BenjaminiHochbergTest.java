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
    /** The q-values of sorted p-values (the job's lookup table) equal the definition's, to the last bit, ties included. */
    @Test
    void sortedPValuesGiveTheDefinitionsQValues() {
        java.util.Random rnd = new java.util.Random(5);
        double[] p = new double[500];
        for (int i = 0; i < p.length; i++) p[i] = i % 9 == 0 ? 0.25 : i % 13 == 0 ? 1e-7 : rnd.nextDouble() * (i % 2 == 0 ? 1e-3 : 1);
        double[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        double[] q = BenjaminiHochberg.qValues(p), table = BenjaminiHochberg.ofSorted(sorted);
        for (int i = 0; i < p.length; i++) {
            assertArrayEquals(new double[] {q[i]}, new double[] {table[java.util.Arrays.binarySearch(sorted, p[i])]}, 0.0, "p = " + p[i]);
        }
        // R's p.adjust values of the first test, in ascending order of p
        assertArrayEquals(new double[] {0.007, 0.035, 0.056, 0.056, 0.056, 0.233333333333333, 0.9}, BenjaminiHochberg.ofSorted(new double[] {0.001, 0.01, 0.03, 0.04, 0.04, 0.2, 0.9}), 1e-15);
    }
}
