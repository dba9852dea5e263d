package org.varpart.gwas;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.varpart.stats.GenomicInflation;

/**
 * The tables of a {@code gwas} run: their schemas, the Benjamini–Hochberg q-values of the Wald
 * test (q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1, within each phenotype, computed with
 * window functions) and the summary per phenotype and test: SNPs tested, λ_GC (the χ²₁ quantile of
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

    /** Adds {@code q_wald}; missing p-values stay missing and are not counted in m. */
    static Dataset<Row> withQValues(Dataset<Row> df) {
        WindowSpec whole = Window.partitionBy("phenotype");
        WindowSpec byP = whole.orderBy(functions.col("p_wald").asc_nulls_last(), functions.col("snp"));
        WindowSpec fromLargest = Window.partitionBy("phenotype").orderBy(functions.col("q_rank").desc())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Dataset<Row> q = df.withColumn("q_m", functions.count("p_wald").over(whole))
                .withColumn("q_rank", functions.row_number().over(byP))
                .withColumn("q_bh", functions.col("p_wald").multiply(functions.col("q_m")).divide(functions.col("q_rank")))
                .withColumn("q_wald", functions.when(functions.col("p_wald").isNull(), functions.lit(null))
                        .otherwise(functions.least(functions.lit(1.0), functions.min("q_bh").over(fromLargest))));
        Column[] cols = new Column[COLUMNS.length];
        for (int i = 0; i < cols.length; i++) cols[i] = functions.col(COLUMNS[i]);
        return q.select(cols);
    }

    /** The summary rows from the written associations. */
    static List<Row> summary(Dataset<Row> assoc, List<String> phenotypes, double fdr) {
        List<Row> out = new ArrayList<>();
        List<Column> aggs = new ArrayList<>();
        for (String t : TESTS) {
            String p = "p_" + t;
            aggs.add(functions.count(p).as("n_" + t));
            aggs.add(functions.expr("percentile(" + p + ", 0.5)").as("median_" + t));
            aggs.add(functions.sum(functions.when(functions.col(p).lt(GENOME_WIDE), 1).otherwise(0)).cast("long").as("gw_" + t));
        }
        aggs.add(functions.sum(functions.when(functions.col("q_wald").lt(fdr), 1).otherwise(0)).cast("long").as("fdr_wald"));
        List<Row> groups = assoc.groupBy("phenotype").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).collectAsList();
        for (String ph : phenotypes) {
            Row g = groups.stream().filter(r -> r.getString(0).equals(ph)).findFirst().orElse(null);
            for (int k = 0; k < TESTS.size(); k++) {
                if (g == null) {
                    out.add(RowFactory.create(ph, TESTS.get(k), 0L, null, 0L, k == 0 ? 0L : null));
                    continue;
                }
                long count = g.getLong(1 + 3 * k);
                Double lambda = g.isNullAt(2 + 3 * k) ? null : GenomicInflation.fromMedianP(g.getDouble(2 + 3 * k));
                long gw = g.isNullAt(3 + 3 * k) ? 0L : g.getLong(3 + 3 * k);
                Long nFdr = k == 0 ? (g.isNullAt(13) ? 0L : g.getLong(13)) : null;
                out.add(RowFactory.create(ph, TESTS.get(k), count, lambda, gw, nFdr));
            }
        }
        return out;
    }

    static Dataset<Row> table(SparkSession spark, List<Row> rows, StructType schema) {
        return spark.createDataFrame(rows, schema).coalesce(1);
    }
}
