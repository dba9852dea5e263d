package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.job.SparkTestSession;

/**
 * The {@code gwas} job's outputs on a small simulated cohort (120 samples, 400 SNPs, seed fixed;
 * no external tool): the tables and columns of the issue, q-values that are Benjamini–Hochberg's
 * of the Wald p-values, statuses instead of tests for rare SNPs, a summary row per test,
 * {@code run.json}, {@code report.html} and {@code _SUCCESS}, and no work directory left behind.
 */
class GwasJobTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static List<Row> assoc;

    @BeforeAll
    static void run() throws Exception {
        GwasSimulator.write(new GwasSimulator.Spec(120, 400, 3, 3, 0.1, 2), dir.resolve("c"));
        spark = SparkTestSession.get();
        Map<String, String> keys = new HashMap<>(Map.of("genotypes", dir.resolve("c/cohort").toString(), "samples", dir.resolve("c/samples.tsv").toString(),
                "phenotypes", "trait,trait_b", "formula", "~ age + sex", "output", dir.resolve("out").toString(), "maf", "0.1", "partitions", "3"));
        GwasJob.run(spark, GwasConfig.of(keys, "test"), System.out);
        assoc = spark.read().parquet(dir.resolve("out/associations").toString()).collectAsList();
    }

    @Test
    void tablesHaveTheIssuesColumns() {
        assertEquals(List.of("phenotype", "chr", "snp", "pos", "allele1", "allele0", "af", "n", "beta", "se", "p_wald", "p_lrt", "p_score", "p_naive",
                "q_wald", "status"), Arrays.asList(spark.read().parquet(dir.resolve("out/associations").toString()).columns()));
        assertEquals(List.of("phenotype", "n", "vg", "ve", "pve", "pve_se", "logl_null"),
                Arrays.asList(spark.read().parquet(dir.resolve("out/heritability").toString()).columns()));
        assertEquals(List.of("phenotype", "test", "n_snps", "lambda_gc", "n_genome_wide", "n_fdr"),
                Arrays.asList(spark.read().parquet(dir.resolve("out/summary").toString()).columns()));
        assertEquals(800, assoc.size(), "every SNP once per phenotype");
        assertEquals(8, spark.read().parquet(dir.resolve("out/summary").toString()).count());
    }

    @Test
    void rareSnpsGetAStatusNotATest() {
        long rare = assoc.stream().filter(r -> r.getString(15).equals("low_maf")).count();
        assertTrue(rare > 0, "maf 0.1 leaves some SNPs out");
        for (Row r : assoc) {
            if (r.getString(15).equals("low_maf")) {
                double af = r.getDouble(6);
                assertTrue(af < 0.1 || af > 0.9, "af " + af);
                assertNull(r.get(10));
            } else if (r.getString(15).equals("ok")) {
                assertTrue(r.getDouble(10) > 0 && r.getDouble(10) <= 1);
            }
        }
    }

    @Test
    void qValuesAreBenjaminiHochbergs() {
        for (String ph : List.of("trait", "trait_b")) {
            List<Row> tested = assoc.stream().filter(r -> r.getString(0).equals(ph) && !r.isNullAt(10))
                    .sorted(Comparator.comparingDouble(r -> r.getDouble(10))).toList();
            int m = tested.size();
            double next = 1;
            for (int i = m - 1; i >= 0; i--) {
                next = Math.min(next, tested.get(i).getDouble(10) * m / (i + 1));
                assertEquals(next, tested.get(i).getDouble(14), 1e-12);
            }
        }
    }

    @Test
    void runIsCompleteAndTidy() throws Exception {
        assertTrue(Files.exists(dir.resolve("out/_SUCCESS")));
        String json = Files.readString(dir.resolve("out/run.json"));
        assertTrue(json.contains("\"command\": \"gwas\"") && json.contains("lambda_gc_naive"), json);
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("λ_GC") && html.contains("Top SNPs") && html.contains("data:image/png;base64,"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("c", "out"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
