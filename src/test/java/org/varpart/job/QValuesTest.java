package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.varpart.stats.GenomicInflation;

/** Benjamini–Hochberg q-values computed with Spark windows against the direct definition. */
class QValuesTest {

    /** q₍ᵢ₎ = min over j ≥ i of m p₍ⱼ₎ / j, capped at 1. */
    static double[] bh(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] q = new double[m];
        double min = 1;
        for (int r = m - 1; r >= 0; r--) {
            min = Math.min(min, p[order[r]] * m / (r + 1));
            q[order[r]] = min;
        }
        return q;
    }

    @Test
    void windowQValuesEqualTheDefinitionPerGroup() {
        Random rnd = new Random(9);
        List<Row> rows = new ArrayList<>();
        Map<String, double[]> p = new HashMap<>();
        for (String term : new String[] {"age", "sex"}) {
            double[] v = new double[50];
            for (int i = 0; i < v.length; i++) {
                v[i] = i < 10 ? rnd.nextDouble() * 1e-3 : rnd.nextDouble();
                if (i == 20) v[i] = v[19]; // a tie
                rows.add(RowFactory.create("rna", "f" + i, term, v[i]));
            }
            p.put(term, v);
        }
        rows.add(RowFactory.create("rna", "missing", "age", null));
        List<Row> out = OutputTables.withQValues(SparkTestSession.get().createDataFrame(rows,
                new StructType().add("assay", "string").add("feature", "string").add("term", "string").add("p_value", "double")), "term")
                .collectAsList();
        assertEquals(101, out.size());
        for (Row r : out) {
            if (r.getString(1).equals("missing")) {
                assertTrue(r.isNullAt(4), "no q-value without a p-value");
                continue;
            }
            int i = Integer.parseInt(r.getString(1).substring(1));
            assertEquals(bh(p.get(r.getString(2)))[i], r.getDouble(4), 1e-15, r.toString());
        }
    }

    @Test
    void lambdaIsOneAtTheMedianOfUniformPValues() {
        assertEquals(1.0, GenomicInflation.fromMedianP(0.5), 1e-6);
        assertTrue(GenomicInflation.fromMedianP(0.1) > 1);
    }
}
