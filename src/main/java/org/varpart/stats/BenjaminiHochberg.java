package org.varpart.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg q-values (docs/model.md#multiple-testing), the definition the job's Spark
 * window version is tested against: with the m non-missing p-values ranked p₍₁₎ ≤ … ≤ p₍ₘ₎,
 * q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1. Tied p-values get the same q-value whatever
 * their order.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    /** The q-value of each p-value, in the order given; a missing (NaN) p-value has a NaN q-value and is not counted in m. */
    public static double[] qValues(double[] p) {
        int[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).mapToInt(Integer::intValue).toArray();
        double[] sorted = new double[order.length];
        for (int r = 0; r < order.length; r++) sorted[r] = p[order[r]];
        double[] bySorted = ofSorted(sorted);
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        for (int r = 0; r < order.length; r++) q[order[r]] = bySorted[r];
        return q;
    }

    /**
     * The q-values of p-values already in ascending order, none missing: q₍ᵢ₎ = min(1, min over
     * j ≥ i of m·p₍ⱼ₎/j), in the same arithmetic as {@link #qValues}. Tied p-values get the same
     * q-value, so a p-value's q-value can be looked up at any of its places.
     */
    public static double[] ofSorted(double[] sorted) {
        int m = sorted.length;
        double[] q = new double[m];
        double running = Double.POSITIVE_INFINITY;
        for (int r = m; r >= 1; r--) {
            running = Math.min(running, sorted[r - 1] * m / r);
            q[r - 1] = Math.min(1.0, running);
        }
        return q;
    }
}
