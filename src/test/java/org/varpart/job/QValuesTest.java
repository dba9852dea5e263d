package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.varpart.stats.BenjaminiHochberg;
import org.varpart.stats.GenomicInflation;

/**
 * The job's Benjamini–Hochberg q-values, computed with Spark window functions over partitions,
 * against the definition in {@link BenjaminiHochberg}: two assays × two terms, with ties and
 * missing p-values, over four partitions. They must be equal to the last bit: both compute
 * m·p/j in the same order and take the same minima.
 */
class QValuesTest {

    @Test
    void windowQValuesEqualTheDefinition() {
        SparkSession spark = SparkTestSession.get();
        Random rnd = new Random(3);
        List<Row> rows = new ArrayList<>();
        Map<String, List<Double>> pByGroup = new HashMap<>();
        Map<String, List<String>> featureByGroup = new HashMap<>();
        for (String assay : List.of("rna", "protein")) {
            for (String term : List.of("age", "sex")) {
                for (int f = 0; f < 200; f++) {
                    double u = rnd.nextDouble();
                    Double p = f % 17 == 0 ? null : f % 11 == 0 ? 0.25 : u < 0.2 ? u * 1e-4 : u; // missing, ties, small
                    String feature = String.format("f%03d", f);
                    rows.add(RowFactory.create(assay, feature, term, p));
                    pByGroup.computeIfAbsent(assay + "/" + term, k -> new ArrayList<>()).add(p == null ? Double.NaN : p);
                    featureByGroup.computeIfAbsent(assay + "/" + term, k -> new ArrayList<>()).add(feature);
                }
            }
        }
        StructType schema = new StructType().add("assay", "string").add("feature", "string").add("term", "string").add("p_value", "double");
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(4);
        Map<String, Row> job = new HashMap<>();
        for (Row r : OutputTables.withQValues(df, "term").collectAsList()) job.put(r.getString(0) + "/" + r.getString(2) + "/" + r.getString(1), r);
        int compared = 0;
        for (Map.Entry<String, List<Double>> g : pByGroup.entrySet()) {
            double[] p = g.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double[] q = BenjaminiHochberg.qValues(p);
            for (int i = 0; i < p.length; i++) {
                Row r = job.get(g.getKey() + "/" + featureByGroup.get(g.getKey()).get(i));
                int qCol = r.fieldIndex("q_value");
                if (Double.isNaN(q[i])) {
                    assertTrue(r.isNullAt(qCol), "missing p-value, missing q-value: " + r);
                } else {
                    assertEquals(q[i], r.getDouble(qCol), 0.0, r.toString());
                    compared++;
                }
            }
        }
        assertEquals(4 * (200 - 12), compared, "every non-missing p-value compared");
    }

    @Test
    void lambdaIsOneAtTheMedianOfUniformPValues() {
        assertEquals(1.0, GenomicInflation.fromMedianP(0.5), 1e-6);
        assertTrue(GenomicInflation.fromMedianP(0.1) > 1);
    }
}
