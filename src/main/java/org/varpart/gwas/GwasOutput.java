package org.varpart.gwas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import org.varpart.stats.GenomicInflation;

/**
 * The tables of a {@code gwas} run: their schemas, the Benjamini–Hochberg q-values of the Wald
 * test (q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1, within each phenotype, from the sorted
 * p-values gathered on the driver and looked up in a map over the rows) and the summary per phenotype and test: SNPs tested, λ_GC (the χ²₁ quantile of
 * the median p-value over 0.4549364), SNPs below 5e-8 and, for the Wald test, below the FDR.
 */
public final class GwasOutput {
    public static final double GENOME_WIDE = 5e-8;
    public static final List<String> TESTS = List.of("wald", "lrt", "score", "naive");

    static final StructType ASSOCIATIONS = new StructType()
            .add("phenotype", DataTypes.StringType, false).add("chr", DataTypes.StringType, false).add("snp", DataTypes.StringType, false)
            .add("pos", DataTypes.LongType, false).add("allele1", DataTypes.StringType, false).add("allele0", DataTypes.StringType, false)
            .add("af", DataTypes.DoubleType, true).add("n", DataTypes.IntegerType, false).add("beta", DataTypes.DoubleType, true)
            .add("se", DataTypes.DoubleType, true).add("p_wald", DataTypes.DoubleType, true).add("p_lrt", DataTypes.DoubleType, true)
            .add("p_score", DataTypes.DoubleType, true).add("p_naive", DataTypes.DoubleType, true).add("status", DataTypes.StringType, false);

    /** The written table: {@link #ASSOCIATIONS} with {@code q_wald} before {@code status}. */
    static final StructType ASSOCIATIONS_Q = withQColumn(ASSOCIATIONS);

    static final StructType HERITABILITY = new StructType()
            .add("phenotype", DataTypes.StringType, false).add("n", DataTypes.IntegerType, false).add("vg", DataTypes.DoubleType, false)
            .add("ve", DataTypes.DoubleType, false).add("pve", DataTypes.DoubleType, false).add("pve_se", DataTypes.DoubleType, true)
            .add("logl_null", DataTypes.DoubleType, false);

    static final StructType SUMMARY = new StructType()
            .add("phenotype", DataTypes.StringType, false).add("test", DataTypes.StringType, false).add("n_snps", DataTypes.LongType, false)
            .add("lambda_gc", DataTypes.DoubleType, true).add("n_genome_wide", DataTypes.LongType, false).add("n_fdr", DataTypes.LongType, true);

    static final String[] COLUMNS = {"phenotype", "chr", "snp", "pos", "allele1", "allele0", "af", "n", "beta", "se", "p_wald", "p_lrt",
        "p_score", "p_naive", "q_wald", "status"};

    private GwasOutput() {}

    private static StructType withQColumn(StructType t) {
        StructField[] f = t.fields(), out = Arrays.copyOf(f, f.length + 1);
        out[f.length - 1] = new StructField("q_wald", DataTypes.DoubleType, true, Metadata.empty());
        out[f.length] = f[f.length - 1];
        return new StructType(out);
    }

    /**
     * The p-values of each phenotype's tested SNPs, per test in {@link #TESTS} order, each array
     * sorted ascending (missing p-values left out): 8 bytes a test per SNP reach the driver, whatever
     * the number of SNPs, for the q-values and the summary.
     */
    static Map<String, double[][]> pValues(Dataset<Row> tests) {
        List<Tuple2<String, double[][]>> parts = tests.select("phenotype", "p_wald", "p_lrt", "p_score", "p_naive").javaRDD()
                .mapPartitions(GwasOutput::gather).collect();
        Map<String, double[][]> out = new HashMap<>();
        for (Tuple2<String, double[][]> t : parts) {
            double[][] have = out.get(t._1());
            if (have == null) {
                out.put(t._1(), t._2());
                continue;
            }
            for (int k = 0; k < have.length; k++) {
                double[] both = Arrays.copyOf(have[k], have[k].length + t._2()[k].length);
                System.arraycopy(t._2()[k], 0, both, have[k].length, t._2()[k].length);
                have[k] = both;
            }
        }
        out.values().forEach(a -> Arrays.stream(a).forEach(Arrays::sort));
        return out;
    }

    /** One partition's p-values per phenotype and test. */
    private static Iterator<Tuple2<String, double[][]>> gather(Iterator<Row> rows) {
        Map<String, double[][]> buf = new HashMap<>();
        Map<String, int[]> used = new HashMap<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            double[][] b = buf.computeIfAbsent(r.getString(0), x -> new double[TESTS.size()][64]);
            int[] u = used.computeIfAbsent(r.getString(0), x -> new int[TESTS.size()]);
            for (int k = 0; k < TESTS.size(); k++) {
                if (r.isNullAt(k + 1)) continue;
                if (u[k] == b[k].length) b[k] = Arrays.copyOf(b[k], 2 * u[k]);
                b[k][u[k]++] = r.getDouble(k + 1);
            }
        }
        List<Tuple2<String, double[][]>> out = new ArrayList<>();
        buf.forEach((ph, b) -> {
            double[][] trimmed = new double[b.length][];
            for (int k = 0; k < b.length; k++) trimmed[k] = Arrays.copyOf(b[k], used.get(ph)[k]);
            out.add(new Tuple2<>(ph, trimmed));
        });
        return out.iterator();
    }

    /**
     * Benjamini–Hochberg q-values of ascending p-values p₍₁₎ ≤ … ≤ p₍ₘ₎: q₍ᵢ₎ = min(1, min over
     * j ≥ i of m·p₍ⱼ₎/j). Tied p-values get the same q, so q is a function of p ({@link #qOf}).
     */
    static double[] bhQValues(double[] sorted) {
        int m = sorted.length;
        double[] q = new double[m];
        double next = Double.POSITIVE_INFINITY;
        for (int i = m - 1; i >= 0; i--) {
            next = Math.min(next, sorted[i] * (double) m / (double) (i + 1));
            q[i] = Math.min(1.0, next);
        }
        return q;
    }

    /** The q-value of p-value {@code p}, one of {@code sorted}, from {@link #bhQValues}. */
    static double qOf(double[] sorted, double[] q, double p) {
        int at = Arrays.binarySearch(sorted, p);
        if (at < 0) throw new IllegalArgumentException("p-value " + p + " is not among the tested SNPs'");
        return q[at];
    }

    /**
     * Adds {@code q_wald} to the tests' rows (a map over their partitions: no shuffle); missing
     * p-values stay missing and are not counted in m.
     */
    static Dataset<Row> withQValues(SparkSession spark, Dataset<Row> tests, Map<String, double[][]> pValues) {
        Map<String, double[][]> q = new HashMap<>();
        pValues.forEach((ph, p) -> q.put(ph, new double[][] {p[0], bhQValues(p[0])}));
        Broadcast<Map<String, double[][]>> bq = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(q);
        JavaRDD<Row> rows = tests.javaRDD().map(r -> {
            Object[] v = new Object[COLUMNS.length];
            for (int i = 0; i < 14; i++) v[i] = r.get(i);
            double[][] pq = r.isNullAt(10) ? null : bq.value().get(r.getString(0));
            v[14] = pq == null ? null : qOf(pq[0], pq[1], r.getDouble(10));
            v[15] = r.get(14);
            return RowFactory.create(v);
        });
        return spark.createDataFrame(rows, ASSOCIATIONS_Q);
    }

    /** The summary rows from each phenotype's sorted p-values ({@link #pValues}). */
    static List<Row> summary(Map<String, double[][]> pValues, List<String> phenotypes, double fdr) {
        List<Row> out = new ArrayList<>();
        for (String ph : phenotypes) {
            double[][] p = pValues.getOrDefault(ph, new double[TESTS.size()][0]);
            double[] qWald = bhQValues(p[0]);
            for (int k = 0; k < TESTS.size(); k++) {
                double[] pk = p[k];
                Double lambda = pk.length == 0 ? null : GenomicInflation.fromMedianP(median(pk));
                long gw = Arrays.stream(pk).filter(v -> v < GENOME_WIDE).count();
                Long nFdr = k == 0 ? Arrays.stream(qWald).filter(v -> v < fdr).count() : null;
                out.add(RowFactory.create(ph, TESTS.get(k), (long) pk.length, lambda, gw, nFdr));
            }
        }
        return out;
    }

    /**
     * The median of ascending values, interpolated between the middle two when their number is
     * even, in the same arithmetic as Spark SQL's {@code percentile(x, 0.5)}.
     */
    static double median(double[] sorted) {
        double position = (sorted.length - 1) * 0.5;
        int lower = (int) Math.floor(position), higher = (int) Math.ceil(position);
        if (lower == higher) return sorted[lower];
        return (higher - position) * sorted[lower] + (position - lower) * sorted[higher];
    }

    static Dataset<Row> table(SparkSession spark, List<Row> rows, StructType schema) {
        return spark.createDataFrame(rows, schema).coalesce(1);
    }
}
