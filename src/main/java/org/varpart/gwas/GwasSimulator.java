package org.varpart.gwas;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A cohort with population structure and relatedness, in PLINK format, to try the GWAS on:
 * two populations whose allele frequencies drift from a common ancestor (Balding–Nichols:
 * pₖ ~ Beta(p(1−F)/F, (1−p)(1−F)/F), p ~ U(0.05, 0.95)), families of two or three siblings
 * (each inherits one of each parent's two alleles at every SNP, SNPs unlinked), and phenotypes
 * y = ancestry effect (an environment that follows ancestry: the confounder) + 0.02·age + 0.3·sex
 * + a polygenic background over every 20th SNP + a handful of causal SNPs + noise. {@code trait}
 * has the confounder, {@code trait_b} has none. A few genotypes (0.1%) are missing.
 *
 * <p>Writes {@code cohort.bed/.bim/.fam}, {@code samples.tsv} (sample, family, population, age,
 * sex, trait, trait_b) and {@code truth.tsv} (the causal SNPs and their effects).
 */
public final class GwasSimulator {
    public record Spec(int samples, int snps, int chromosomes, int causal, double fst, long seed) {}

    private GwasSimulator() {}

    public static void write(Spec s, Path dir) throws IOException {
        Files.createDirectories(dir);
        RandomGenerator rng = new Well19937c(s.seed());
        int n = s.samples(), m = s.snps();
        // families: siblings share both parents; population by family
        int[] family = new int[n], pop = new int[n];
        int fams = 0;
        for (int i = 0; i < n; ) {
            int size = Math.min(n - i, 2 + rng.nextInt(2));
            int p = rng.nextDouble() < 0.5 ? 0 : 1;
            for (int k = 0; k < size; k++, i++) {
                family[i] = fams;
                pop[i] = p;
            }
            fams++;
        }
        double[] age = new double[n];
        int[] sex = new int[n];
        for (int i = 0; i < n; i++) {
            age[i] = Math.round(30 + 30 * rng.nextDouble());
            sex[i] = rng.nextInt(2);
        }
        int causal = Math.min(s.causal(), m);
        int[] causalSnp = new int[causal];
        double[] causalEffect = new double[causal];
        for (int k = 0; k < causal; k++) {
            causalSnp[k] = (int) ((k + 0.5) * m / causal);
            causalEffect[k] = (rng.nextBoolean() ? 1 : -1) * (0.5 + 0.2 * rng.nextDouble());
        }
        double[] genetic = new double[n];
        int bytes = (n + 3) / 4;
        int perChr = (m + s.chromosomes() - 1) / s.chromosomes();
        try (OutputStream bed = new BufferedOutputStream(Files.newOutputStream(dir.resolve("cohort.bed")), 1 << 16);
             PrintWriter bim = new PrintWriter(Files.newBufferedWriter(dir.resolve("cohort.bim"), StandardCharsets.UTF_8))) {
            bed.write(new byte[] {0x6c, 0x1b, 0x01});
            int[][] parents = new int[fams][4];
            int[] g = new int[n];
            byte[] row = new byte[bytes];
            String[] alleles = {"A", "C", "G", "T"};
            for (int j = 0; j < m; j++) {
                double p = 0.05 + 0.9 * rng.nextDouble();
                double[] pk = new double[2];
                for (int k = 0; k < 2; k++) {
                    double f = s.fst();
                    pk[k] = new BetaDistribution(rng, p * (1 - f) / f, (1 - p) * (1 - f) / f).sample();
                }
                int[] famPop = new int[fams];
                for (int i = 0; i < n; i++) famPop[family[i]] = pop[i];
                for (int f = 0; f < fams; f++) for (int h = 0; h < 4; h++) parents[f][h] = rng.nextDouble() < pk[famPop[f]] ? 1 : 0;
                java.util.Arrays.fill(row, (byte) 0);
                for (int i = 0; i < n; i++) {
                    int[] par = parents[family[i]];
                    g[i] = par[rng.nextInt(2)] + par[2 + rng.nextInt(2)];
                    boolean missing = rng.nextDouble() < 0.001;
                    int code = missing ? 1 : g[i] == 2 ? 0 : g[i] == 1 ? 2 : 3;
                    row[i >>> 2] |= (byte) (code << ((i & 3) << 1));
                }
                bed.write(row);
                double effect = 0;
                for (int k = 0; k < causal; k++) if (causalSnp[k] == j) effect = causalEffect[k];
                if (effect == 0 && j % 20 == 7) effect = 0.08 * rng.nextGaussian();
                if (effect != 0) for (int i = 0; i < n; i++) genetic[i] += effect * g[i];
                int a1 = rng.nextInt(4), a0 = (a1 + 1 + rng.nextInt(3)) % 4;
                bim.printf(Locale.ROOT, "%d\trs%d\t0\t%d\t%s\t%s%n", 1 + j / perChr, j + 1, 1000 + 2000L * (j % perChr), alleles[a1], alleles[a0]);
            }
        }
        double[] trait = new double[n], traitB = new double[n];
        for (int i = 0; i < n; i++) {
            double base = genetic[i] + 0.02 * (age[i] - 45) + 0.3 * sex[i];
            trait[i] = base + 0.4 * pop[i] + rng.nextGaussian();
            traitB[i] = base + rng.nextGaussian();
        }
        try (PrintWriter fam = new PrintWriter(Files.newBufferedWriter(dir.resolve("cohort.fam"), StandardCharsets.UTF_8));
             PrintWriter sheet = new PrintWriter(Files.newBufferedWriter(dir.resolve("samples.tsv"), StandardCharsets.UTF_8))) {
            sheet.println("sample\tfamily\tpopulation\tage\tsex\ttrait\ttrait_b");
            for (int i = 0; i < n; i++) {
                String id = String.format(Locale.ROOT, "S%05d", i + 1), fid = String.format(Locale.ROOT, "F%04d", family[i] + 1);
                fam.printf(Locale.ROOT, "%s %s 0 0 %d %.6f%n", fid, id, sex[i] + 1, trait[i]);
                sheet.printf(Locale.ROOT, "%s\t%s\t%s\t%.0f\t%s\t%.6f\t%.6f%n", id, fid, pop[i] == 0 ? "north" : "south", age[i],
                        sex[i] == 0 ? "F" : "M", trait[i], traitB[i]);
            }
        }
        try (PrintWriter truth = new PrintWriter(Files.newBufferedWriter(dir.resolve("truth.tsv"), StandardCharsets.UTF_8))) {
            truth.println("snp\teffect");
            for (int k = 0; k < causal; k++) truth.printf(Locale.ROOT, "rs%d\t%.4f%n", causalSnp[k] + 1, causalEffect[k]);
        }
    }
}
