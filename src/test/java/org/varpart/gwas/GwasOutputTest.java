package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.varpart.stats.GenomicInflation;

/**
 * The driver-side pieces of the {@code gwas} tables, without Spark: Benjamini–Hochberg q-values
 * against their definition (q of rank i = min over ranks j ≥ i of m·p₍ⱼ₎/j, capped at 1, ranks
 * breaking ties in any order), the same q for tied p-values, the median as Spark SQL's
 * {@code percentile(x, 0.5)} interpolates it, and the summary's counts.
 */
class GwasOutputTest {
    @Test
    void qValuesAreTheDefinitionAndAFunctionOfP() {
        Random r = new Random(3);
        double[] p = new double[500];
        for (int i = 0; i < p.length; i++) p[i] = i % 7 == 0 ? 0.25 : Math.pow(r.nextDouble(), 3);
        Arrays.sort(p);
        double[] q = GwasOutput.bhQValues(p);
        int m = p.length;
        for (int i = 0; i < m; i++) {
            double min = Double.POSITIVE_INFINITY;
            for (int j = i; j < m; j++) min = Math.min(min, p[j] * m / (j + 1));
            double expected = Math.min(1, min);
            // a tied p-value's q is that of the last rank among its ties, the definition's for every rank
            int last = i;
            while (last + 1 < m && p[last + 1] == p[i]) last++;
            double atLast = Double.POSITIVE_INFINITY;
            for (int j = last; j < m; j++) atLast = Math.min(atLast, p[j] * m / (j + 1));
            assertEquals(expected, q[i], 1e-15);
            assertEquals(Math.min(1, atLast), GwasOutput.qOf(p, q, p[i]), 1e-15, "p = " + p[i]);
        }
    }

    @Test
    void medianInterpolatesBetweenTheMiddleTwo() {
        assertEquals(0.3, GwasOutput.median(new double[] {0.1, 0.3, 0.9}), 0);
        assertEquals(0.5 * 0.3 + 0.5 * 0.5, GwasOutput.median(new double[] {0.1, 0.3, 0.5, 0.9}), 0);
        assertEquals(0.7, GwasOutput.median(new double[] {0.7}), 0);
    }

    @Test
    void summaryCountsPerTest() {
        double[] wald = {1e-9, 0.001, 0.2, 0.5, 0.8}, none = {};
        List<Row> rows = GwasOutput.summary(Map.of("y", new double[][] {wald, wald, none, wald}), List.of("y", "absent"), 0.05);
        assertEquals(8, rows.size());
        Row w = rows.get(0);
        assertEquals(List.of("y", "wald", 5L), List.of(w.get(0), w.get(1), w.get(2)));
        assertEquals(GenomicInflation.fromMedianP(0.2), w.getDouble(3), 1e-15);
        assertEquals(1L, w.getLong(4), "p < 5e-8");
        assertEquals(2L, w.getLong(5), "q = 5e-9 and 0.0025 below 0.05");
        Row score = rows.get(2);
        assertEquals(0L, score.getLong(2));
        assertNull(score.get(3), "no p-values, no lambda");
        assertNull(score.get(5), "n_fdr is the Wald test's only");
        assertEquals(0L, rows.get(4).getLong(2), "a phenotype without rows has zero counts");
    }
}
