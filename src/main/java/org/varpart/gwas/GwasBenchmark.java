package org.varpart.gwas;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
 * both timed by the wall clock and by CPU time, with the machine's load average beside them
 * (other work on the machine stretches wall times, not CPU times). Before it starts it prints an
 * estimate of both tools' times ({@link #estimate}) and the memory the driver needs.
 */
public final class GwasBenchmark {
    private GwasBenchmark() {}

    /** Prints the figures on {@code out}; the job's progress and notes go to {@code log}. */
    public static void run(int samples, int snps, boolean gemmaToo, PrintStream out, PrintStream log) throws Exception {
        out.printf(Locale.ROOT, "varpart gwas bench: %,d samples x %,d SNPs (simulated), covariates ~ age + sex, %d cores here%n", samples, snps,
                Runtime.getRuntime().availableProcessors());
        double[] est = estimate(samples, snps, 2);
        long need = driverBytes(samples), have = Runtime.getRuntime().maxMemory();
        out.printf(Locale.ROOT, "  estimate (quiet machine): varpart about %.0f s on local[2], GEMMA about %.0f s; driver memory about %.1f GiB of %.1f GiB%n",
                est[0], est[1], need / 1073741824.0, have / 1073741824.0);
        if (need > have) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%,d samples need about %.1f GiB of driver memory; the JVM has %.1f GiB"
                    + " (raise it, e.g. VARPART_JAVA_OPTS=-Xmx%dg)", samples, need / 1073741824.0, have / 1073741824.0, need / 1073741824L + 2));
        }
        Path dir = Files.createTempDirectory("varpart-gwas-bench");
        try {
            GwasSimulator.write(new GwasSimulator.Spec(samples, snps, 10, 5, 0.05, 1), dir);
            double load0 = load();
            long t0 = System.nanoTime(), c0 = StageClock.cpuNanos();
            SparkSession spark = SparkSession.builder().master("local[2]").appName("varpart gwas bench").config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            out.printf(Locale.ROOT, "  Spark start: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            GwasJob.Outcome o;
            try {
                o = GwasJob.run(spark, GwasConfig.of(Map.of("genotypes", dir.resolve("cohort").toString(), "samples", dir.resolve("samples.tsv").toString(),
                        "phenotypes", "trait", "formula", "~ age + sex", "output", dir.resolve("out").toString()), "bench"), log);
            } finally {
                spark.stop();
            }
            double ours = (System.nanoTime() - t0) / 1e9, oursCpu = (StageClock.cpuNanos() - c0) / 1e9;
            out.printf(Locale.ROOT, "  varpart (local[2], Spark start included): %.1f s wall, %.1f s CPU (load average %.1f then %.1f);"
                    + " lambda_GC naive %.3f, Wald %.3f%n", ours, oursCpu, load0, load(), o.lambdas().get("trait/naive"), o.lambdas().get("trait/wald"));
            String gemma = null;
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, "gemma"))) gemma = Path.of(d, "gemma").toString();
            }
            if (!gemmaToo) {
                out.println("  GEMMA: not run (--no-gemma)");
                return;
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
            double gLoad0 = load(), gc0 = childCpuSeconds();
            long g0 = System.nanoTime();
            tool(dir, gemma, "-bfile", "cohort", "-gk", "1", "-o", "k");
            double gk = (System.nanoTime() - g0) / 1e9;
            tool(dir, gemma, "-bfile", "cohort", "-k", "output/k.cXX.txt", "-c", "covar.txt", "-lmm", "4", "-o", "a");
            double gemmaWall = (System.nanoTime() - g0) / 1e9, gemmaCpu = childCpuSeconds() - gc0;
            out.printf(Locale.ROOT, "  GEMMA (-gk 1: %.1f s, then -lmm 4): %.1f s wall, %.1f s CPU (load average %.1f then %.1f)%n", gk, gemmaWall,
                    gemmaCpu, gLoad0, load());
            out.printf(Locale.ROOT, "  varpart / GEMMA: wall %.2f, CPU %.2f%n", ours / gemmaWall, oursCpu / gemmaCpu);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Rough wall times in seconds, {varpart on {@code cores} cores, GEMMA}, from operation counts and
     * rates measured on a 2-core x86 machine: BLAS at 10 GFlop/s a core (GRM n²m, rotation 2n²m,
     * eigendecomposition about 6n³ on the driver), varpart's three tests 0.45 µs per sample and SNP
     * and the naive one 0.15 µs, plus 25 s for Spark's start, the JIT compiler, the writing and the
     * report; GEMMA single-threaded at
     * 2.6 µs per sample and SNP for -lmm 4, and the same BLAS work.
     */
    static double[] estimate(int n, int m, int cores) {
        double nn = (double) n * n, blas = 1e10;
        double grm = nn * m / blas, rotate = 2 * nn * m / blas, eig = 6 * nn * n / blas;
        double ours = (grm + rotate + 0.6e-6 * n * m) / cores + eig + 25;
        double gemma = grm + rotate + eig + 2.6e-6 * n * m;
        return new double[] {ours, gemma};
    }

    /**
     * The peak of the one JVM of {@code local[2]} for n samples: K, its copy for LAPACK, U and U's
     * serialised broadcast (8n² bytes each), the summed tiles (4n²), two tasks' GRM tiles (4n² each,
     * twice while shipped), rounded up to 50n², and 0.5 GiB for Spark itself.
     */
    static long driverBytes(int n) {
        return (long) (50.0 * n * n) + (512L << 20);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU seconds of this JVM's finished (waited-for) children, from /proc (Linux); NaN elsewhere. */
    private static double childCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 16 and 17 of stat (cutime, cstime), in clock ticks of 1/100 s
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Runs a tool in {@code dir}; OpenBLAS's thread count is left to the tool's default, as a user would run it. */
    private static void tool(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("tool.log").toFile());
        pb.environment().remove("OPENBLAS_NUM_THREADS");
        Process p = pb.start();
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("tool.log")));
    }
}
