package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.job.SparkTestSession;
import org.varpart.stats.GenomicInflation;

/**
 * The whole {@code gwas} job against the reference tools on a simulated cohort (400 samples in
 * families, two populations, 3,000 SNPs with a few missing genotypes; seed fixed), with the
 * covariates intercept, age and sex, for {@code trait} and for {@code trait_na}, the same with every
 * tenth sample's value missing (so the GRM's rows and columns of the samples used are taken out
 * and centred again, as GEMMA does):
 * <pre>
 *   gemma -bfile cohort -gk 1 -o k
 *   gemma -bfile cohort -k output/k.cXX.txt -c covar.txt -lmm 4 -o a
 *   gemma -bfile cohort -k output/k.cXX.txt -c covar.txt -p pheno_na.txt -lmm 4 -o na
 *   plink2 --bfile cohort --covar covar2.txt --glm hide-covar --out p
 * </pre>
 * GEMMA prints 7 significant digits, so the tolerances below are far above its rounding:
 * per SNP, beta and se within 1e-4 relative, each p-value within 1e-3 relative on the log scale
 * (plus the reference's printing rounding, which matters only for p near 1, see {@link #logScaleMiss}),
 * af within GEMMA's 3 decimals; pve and se(pve) within 1e-4; λ_GC within 1e-3 of the value the
 * same definition gives on GEMMA's p-values; the naive p-values equal to PLINK 2's within 1e-3
 * on the log scale (PLINK 2 prints 6 digits). Without gemma or plink2 on the PATH the test is
 * skipped and says so.
 */
class GemmaComparisonTest {
    @TempDir
    static Path dir;
    static Map<String, Row> ours = new HashMap<>(), oursNa = new HashMap<>();
    static List<Row> heritability, summary;

    @BeforeAll
    static void run() throws Exception {
        String why = "gemma or plink2 is not on the PATH (Debian: apt-get install gemma plink2); the comparison with GEMMA and PLINK 2 is skipped";
        boolean present = ExternalTools.find("gemma").isPresent() && ExternalTools.find("plink2").isPresent();
        if (!present) System.out.println("GemmaComparisonTest: " + why);
        Assumptions.assumeTrue(present, why);
        GwasSimulator.write(new GwasSimulator.Spec(400, 3000, 5, 5, 0.1, 11), dir);
        List<String> lines = Files.readAllLines(dir.resolve("samples.tsv"));
        StringBuilder withNa = new StringBuilder(lines.get(0) + "\ttrait_na\n"), phenoNa = new StringBuilder();
        for (int i = 1; i < lines.size(); i++) {
            String v = i % 10 == 0 ? "NA" : lines.get(i).split("\t")[5];
            withNa.append(lines.get(i)).append('\t').append(v).append('\n');
            phenoNa.append(v).append('\n');
        }
        Files.writeString(dir.resolve("samples.tsv"), withNa);
        Files.writeString(dir.resolve("pheno_na.txt"), phenoNa);
        List<String[]> sheet = ExternalTools.rows(dir.resolve("samples.tsv"));
        StringBuilder covar = new StringBuilder(), covar2 = new StringBuilder("#FID IID age sexM\n");
        for (String[] r : sheet.subList(1, sheet.size())) {
            String sexM = r[4].equals("M") ? "1" : "0";
            covar.append("1 ").append(r[3]).append(' ').append(sexM).append('\n');
            covar2.append(r[1]).append(' ').append(r[0]).append(' ').append(r[3]).append(' ').append(sexM).append('\n');
        }
        Files.writeString(dir.resolve("covar.txt"), covar);
        Files.writeString(dir.resolve("covar2.txt"), covar2);
        ExternalTools.run(dir, "gemma", "-bfile", "cohort", "-gk", "1", "-o", "k");
        ExternalTools.run(dir, "gemma", "-bfile", "cohort", "-k", "output/k.cXX.txt", "-c", "covar.txt", "-lmm", "4", "-o", "a");
        ExternalTools.run(dir, "gemma", "-bfile", "cohort", "-k", "output/k.cXX.txt", "-c", "covar.txt", "-p", "pheno_na.txt", "-lmm", "4", "-o", "na");
        ExternalTools.run(dir, "plink2", "--bfile", "cohort", "--covar", "covar2.txt", "--glm", "hide-covar", "--out", "p");

        SparkSession spark = SparkTestSession.get();
        Map<String, String> keys = new HashMap<>(Map.of("genotypes", dir.resolve("cohort").toString(), "samples", dir.resolve("samples.tsv").toString(),
                "phenotypes", "trait, trait_na", "formula", "~ age + sex", "output", dir.resolve("out").toString(), "partitions", "3"));
        GwasJob.run(spark, GwasConfig.of(keys, "test"), System.out);
        for (Row r : spark.read().parquet(dir.resolve("out/associations").toString()).collectAsList()) {
            (r.getString(0).equals("trait") ? ours : oursNa).put(r.getString(2), r);
        }
        heritability = spark.read().parquet(dir.resolve("out/heritability").toString()).collectAsList();
        summary = spark.read().parquet(dir.resolve("out/summary").toString()).collectAsList();
    }

    /**
     * How far {@code ours} is from the printed reference p-value, in units of the allowed
     * difference: 1e-3 relative on the log scale, plus the reference's own rounding (half a unit of
     * its last printed digit, relative to p), which dominates for p near 1 where log p is near 0.
     * Below 1 passes.
     */
    static double logScaleMiss(double ours, String printed) {
        double ref = Double.parseDouble(printed);
        String mantissa = printed.toLowerCase(java.util.Locale.ROOT).split("e")[0];
        int exp = printed.toLowerCase(java.util.Locale.ROOT).contains("e") ? Integer.parseInt(printed.toLowerCase(java.util.Locale.ROOT).split("e")[1]) : 0;
        int decimals = mantissa.contains(".") ? mantissa.length() - mantissa.indexOf('.') - 1 : 0;
        double rounding = 0.5 * Math.pow(10, exp - decimals) / ref;
        return Math.abs(Math.log(ours) - Math.log(ref)) / (1e-3 * Math.abs(Math.log(ref)) + rounding);
    }

    @Test
    void perSnpTestsEqualGemmas() throws Exception {
        compare("trait", "output/a.assoc.txt", ours);
    }

    @Test
    void withMissingPhenotypesTooEqualGemmas() throws Exception {
        compare("trait_na", "output/na.assoc.txt", oursNa);
        assertEquals(360, oursNa.values().stream().mapToInt(r -> r.getInt(7)).max().getAsInt(), "samples with the phenotype");
        Row h = heritability.stream().filter(r -> r.getString(0).equals("trait_na")).findFirst().orElseThrow();
        assertEquals(gemmaLog("na", "## pve estimate in the null model"), h.getDouble(4), 1e-4);
        assertEquals(gemmaLog("na", "## se(pve) in the null model"), h.getDouble(5), 1e-4);
    }

    static double gemmaLog(String run, String key) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("output/" + run + ".log.txt"))) {
            if (line.startsWith(key)) return Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
        }
        throw new AssertionError(key + " not in GEMMA's log");
    }

    static void compare(String phenotype, String file, Map<String, Row> ours) throws Exception {
        List<String[]> g = ExternalTools.rows(dir.resolve(file));
        List<String> h = Arrays.asList(g.get(0));
        int tested = 0;
        double worstBeta = 0, worstSe = 0, worstP = 0;
        String worst = "";
        for (String[] r : g.subList(1, g.size())) {
            Row o = ours.get(r[h.indexOf("rs")]);
            assertEquals("ok", o.getString(15), r[1]);
            assertEquals(r[h.indexOf("allele1")], o.getString(4));
            assertEquals(Double.parseDouble(r[h.indexOf("af")]), o.getDouble(6), 5.01e-4, r[1] + " af");
            double beta = Double.parseDouble(r[h.indexOf("beta")]), se = Double.parseDouble(r[h.indexOf("se")]);
            worstBeta = Math.max(worstBeta, Math.abs(o.getDouble(8) - beta) / Math.abs(beta));
            worstSe = Math.max(worstSe, Math.abs(o.getDouble(9) - se) / se);
            String[] tests = {"p_wald", "p_lrt", "p_score"};
            for (int t = 0; t < 3; t++) {
                double miss = logScaleMiss(o.getDouble(10 + t), r[h.indexOf(tests[t])]);
                if (miss > worstP) worst = r[1] + " " + tests[t] + " " + o.getDouble(10 + t) + " (GEMMA " + r[h.indexOf(tests[t])] + ")";
                worstP = Math.max(worstP, miss);
            }
            tested++;
        }
        long oursTested = ours.values().stream().filter(r -> r.getString(15).equals("ok")).count();
        System.out.printf("GemmaComparisonTest: " + phenotype + ": %d SNPs; worst relative difference beta %.2e, se %.2e;"
                + " p-values: %.2f of the allowed difference (%s)%n", tested, worstBeta, worstSe, worstP, worst);
        assertEquals(tested, oursTested, "the same SNPs are tested");
        assertTrue(tested > 2500, "most SNPs are tested: " + tested);
        assertTrue(worstBeta < 1e-4, "beta " + worstBeta);
        assertTrue(worstSe < 1e-4, "se " + worstSe);
        assertTrue(worstP < 1, "p " + worst);
    }

    @Test
    void heritabilityEqualsGemmas() throws Exception {
        double pve = Double.NaN, pveSe = Double.NaN, vg = Double.NaN, ve = Double.NaN, logl = Double.NaN;
        for (String line : Files.readAllLines(dir.resolve("output/a.log.txt"))) {
            String v = line.contains("=") ? line.substring(line.indexOf('=') + 1).trim() : "";
            if (line.startsWith("## pve estimate in the null model")) pve = Double.parseDouble(v);
            if (line.startsWith("## se(pve) in the null model")) pveSe = Double.parseDouble(v);
            if (line.startsWith("## vg estimate in the null model")) vg = Double.parseDouble(v);
            if (line.startsWith("## ve estimate in the null model")) ve = Double.parseDouble(v);
            if (line.startsWith("## REMLE log-likelihood in the null model")) logl = Double.parseDouble(v);
        }
        Row r = heritability.stream().filter(x -> x.getString(0).equals("trait")).findFirst().orElseThrow();
        System.out.printf("GemmaComparisonTest: pve %.6f (GEMMA %.6f), se %.6f (GEMMA %.6f)%n", r.getDouble(4), pve, r.getDouble(5), pveSe);
        assertEquals(pve, r.getDouble(4), 1e-4);
        assertEquals(pveSe, r.getDouble(5), 1e-4);
        assertEquals(vg, r.getDouble(2), 1e-4 * vg + 1e-5);
        assertEquals(ve, r.getDouble(3), 1e-4 * ve + 1e-5);
        assertEquals(logl, r.getDouble(6), 1e-3);
    }

    @Test
    void lambdaGcAsFromGemmasPValues() throws Exception {
        List<String[]> g = ExternalTools.rows(dir.resolve("output/a.assoc.txt"));
        List<String> h = Arrays.asList(g.get(0));
        for (String test : List.of("wald", "lrt", "score")) {
            double[] p = g.subList(1, g.size()).stream().mapToDouble(r -> Double.parseDouble(r[h.indexOf("p_" + test)])).sorted().toArray();
            double median = p.length % 2 == 1 ? p[p.length / 2] : (p[p.length / 2 - 1] + p[p.length / 2]) / 2;
            double expected = GenomicInflation.fromMedianP(median);
            Row s = summary.stream().filter(r -> r.getString(0).equals("trait") && r.getString(1).equals(test)).findFirst().orElseThrow();
            System.out.printf("GemmaComparisonTest: lambda_GC %s %.4f (from GEMMA's p-values %.4f)%n", test, s.getDouble(3), expected);
            assertEquals(expected, s.getDouble(3), 1e-3 * expected, test);
        }
    }

    @Test
    void naivePValuesEqualPlink2s() throws Exception {
        List<String[]> g = ExternalTools.rows(dir.resolve("p.PHENO1.glm.linear"));
        List<String> h = Arrays.asList(g.get(0));
        double worst = 0;
        String which = "";
        int compared = 0;
        List<String> missing = new ArrayList<>();
        for (String[] r : g.subList(1, g.size())) {
            Row o = ours.get(r[h.indexOf("ID")]);
            if (!o.getString(15).equals("ok")) continue;
            String p = r[h.indexOf("P")];
            if (p.equals("NA")) {
                missing.add(r[h.indexOf("ID")]);
                continue;
            }
            if (logScaleMiss(o.getDouble(13), p) > worst) which = r[h.indexOf("ID")] + " " + o.getDouble(13) + " (PLINK 2 " + p + ")";
            worst = Math.max(worst, logScaleMiss(o.getDouble(13), p));
            compared++;
        }
        System.out.printf("GemmaComparisonTest: naive p-values of %d SNPs: %.2f of the allowed difference (%s)%n", compared, worst, which);
        assertTrue(missing.isEmpty(), "PLINK 2 gave no p-value for " + missing);
        assertTrue(compared > 2500);
        assertTrue(worst < 1, "naive p " + which);
    }

    @Test
    void naiveLambdaIsInflatedAndTheMixedModelsIsNot() {
        double naive = summary.stream().filter(r -> r.getString(0).equals("trait") && r.getString(1).equals("naive")).findFirst().orElseThrow().getDouble(3);
        double wald = summary.stream().filter(r -> r.getString(0).equals("trait") && r.getString(1).equals("wald")).findFirst().orElseThrow().getDouble(3);
        assertTrue(naive > 1.3, "naive lambda " + naive);
        assertTrue(Math.abs(wald - 1) < 0.15, "mixed-model lambda " + wald);
    }
}
