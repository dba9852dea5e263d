package org.varpart.gwas;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The GWAS benchmark: a simulated cohort of n samples × m SNPs analysed end to end by varpart on an
 * embedded Spark {@code local[2]} (the session's start and stop included) and, in the same run
 * when it is installed, by GEMMA ({@code -gk 1} then {@code -lmm 4} with the same covariates),
 * both timed by the wall clock.
 */
public final class GwasBenchmark {
    private GwasBenchmark() {}

    /** Prints the figures on {@code out}; the job's progress and notes go to {@code log}. */
    public static void run(int samples, int snps, PrintStream out, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("varpart-gwas-bench");
        try {
            GwasSimulator.write(new GwasSimulator.Spec(samples, snps, 10, 5, 0.05, 1), dir);
            out.printf(Locale.ROOT, "varpart gwas bench: %,d samples x %,d SNPs (simulated), covariates ~ age + sex, %d cores here%n", samples, snps,
                    Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            SparkSession spark = SparkSession.builder().master("local[2]").appName("varpart gwas bench").config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            GwasJob.Outcome o;
            try {
                o = GwasJob.run(spark, GwasConfig.of(Map.of("genotypes", dir.resolve("cohort").toString(), "samples", dir.resolve("samples.tsv").toString(),
                        "phenotypes", "trait", "formula", "~ age + sex", "output", dir.resolve("out").toString()), "bench"), log);
            } finally {
                spark.stop();
            }
            double ours = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "  varpart (local[2], Spark start included): %.1f s; lambda_GC naive %.3f, Wald %.3f%n", ours,
                    o.lambdas().get("trait/naive"), o.lambdas().get("trait/wald"));
            String gemma = null;
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, "gemma"))) gemma = Path.of(d, "gemma").toString();
            }
            if (gemma == null) {
                out.println("  GEMMA: not installed (Debian: apt-get install gemma); no comparison");
                return;
            }
            StringBuilder covar = new StringBuilder();
            List<String> lines = Files.readAllLines(dir.resolve("samples.tsv"));
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split("\t");
                covar.append("1 ").append(f[3]).append(' ').append(f[4].equals("M") ? 1 : 0).append('\n');
            }
            Files.writeString(dir.resolve("covar.txt"), covar);
            long g0 = System.nanoTime();
            tool(dir, gemma, "-bfile", "cohort", "-gk", "1", "-o", "k");
            double gk = (System.nanoTime() - g0) / 1e9;
            tool(dir, gemma, "-bfile", "cohort", "-k", "output/k.cXX.txt", "-c", "covar.txt", "-lmm", "4", "-o", "a");
            double gemmaWall = (System.nanoTime() - g0) / 1e9;
            out.printf(Locale.ROOT, "  GEMMA 0.98 (-gk 1: %.1f s, then -lmm 4): %.1f s%n", gk, gemmaWall);
            out.printf(Locale.ROOT, "  varpart / GEMMA wall: %.2f%n", ours / gemmaWall);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void tool(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("tool.log").toFile()).start();
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("tool.log")));
    }
}
