package org.varpart.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
import org.varpart.job.VarPartJob;
import org.varpart.simulate.CountsSimulator;
import org.varpart.simulate.StudySimulator;

/**
 * {@code varpart bench --counts}: an RNA-seq counts assay end to end on an embedded Spark
 * {@code local[2]} (count checks, filterByExpr, TMM, the first unweighted pass, voom's trend, the
 * weighted fits, dream's tests, the prior and the moderation, Parquet out) against the same
 * simulated study as a plain log-scale assay, and, when {@code Rscript} with lme4, lmerTest and
 * limma is installed, the R pipeline ({@code counts_bench.R}) on a subset of the features, its
 * CPU time scaled per feature. The study is the reference design (400 samples: 80 patients × 5,
 * 4 labs, 16 batches). A small counts run first warms the JVM, so that neither timed run pays
 * for it.
 *
 * <p>Printed: each run's job time (Spark's start-up excluded) and the process CPU time it took;
 * the counts/log-scale wall and CPU ratios; each run's driver steps ({@code StageTimes}: for the
 * counts run, the checks and filter, TMM, the first pass and trend, the weighted fits, then the
 * prior, the tables); varpart's cost per feature per core (job wall × 2 cores /
 * features, which charges idle cores too) and the R pipeline's CPU per feature, and their ratio.
 */
public final class CountsBenchmark {
    private CountsBenchmark() {}

    /** What one timed job took. */
    record Timing(double seconds, double cpuSeconds, long features, Map<String, Long> statuses, Map<String, long[]> steps) {}

    public static void run(int features, int rFeatures, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("varpart-counts-bench");
        try {
            StudySimulator.Spec spec = new StudySimulator.Spec(80, 5, 4, 4, features, new String[] {"assay"}, 0.0, 1);
            StudySimulator.write(spec, dir);
            String counts = CountsSimulator.write(dir, "rnaseq", features, 1);
            String warm = CountsSimulator.write(dir, "warm", Math.min(300, features), 2);
            SparkSession spark = SparkSession.builder().master("local[2]").appName("varpart-bench-counts")
                    .config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            Timing log, cnt;
            try {
                job(spark, dir, "counts.warm", warm, "out-warm", quiet);
                log = job(spark, dir, "assay.assay", "assay.tsv.gz", "out-log", quiet);
                cnt = job(spark, dir, "counts.rnaseq", counts, "out-counts", quiet);
            } finally {
                spark.stop();
            }
            out.printf(Locale.ROOT, "varpart bench --counts: %d features x %d samples on local[2], formula %s%n", features, spec.samples(),
                    StudySimulator.FORMULA);
            out.printf(Locale.ROOT, "  log-scale assay: job %.1f s, CPU %.1f s; statuses %s%n", log.seconds(), log.cpuSeconds(), log.statuses());
            out.printf(Locale.ROOT, "  counts assay:    job %.1f s, CPU %.1f s; statuses %s%n", cnt.seconds(), cnt.cpuSeconds(), cnt.statuses());
            out.printf(Locale.ROOT, "  counts / log-scale wall: %.2fx (target <= 3x), CPU: %.2fx%n", cnt.seconds() / log.seconds(),
                    cnt.cpuSeconds() / log.cpuSeconds());
            out.println("  log-scale steps (wall s / process CPU s): " + steps(log));
            out.println("  counts steps (wall s / process CPU s):    " + steps(cnt));
            double perCoreMs = 1000 * cnt.seconds() * 2 / features, cpuMs = 1000 * cnt.cpuSeconds() / features;
            out.printf(Locale.ROOT, "  varpart counts path per feature: %.2f ms per core (wall x 2 / features), %.2f ms CPU%n", perCoreMs, cpuMs);
            Map<String, Double> r = rFeatures > 0 ? rPipeline(dir, counts, rFeatures, out) : null;
            if (r != null) {
                double total = r.values().stream().mapToDouble(Double::doubleValue).sum();
                out.printf(Locale.ROOT, "  R pipeline (lme4 %s features, CPU per feature): %.1f ms = %s%n", rFeatures, total, r);
                out.printf(Locale.ROOT, "  per core, R / varpart: %.1fx on wall x cores, %.1fx on CPU (target >= 30x)%n", total / perCoreMs, total / cpuMs);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }

    private static Timing job(SparkSession spark, Path dir, String key, String file, String output, PrintStream log) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", dir.resolve("samples.tsv").toString());
        c.put(key, dir.resolve(file).toString());
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", dir.resolve(output).toString());
        c.put("partitions", "16");
        c.put("progress_seconds", "0");
        double cpu0 = processCpu();
        VarPartJob.Outcome o = VarPartJob.run(spark, JobConfig.of(c, "bench"), log);
        return new Timing(o.seconds(), processCpu() - cpu0, o.features(), o.statusCounts(), o.times().driverSteps());
    }

    /** A run's driver steps as "name wall/CPU" in seconds. */
    private static String steps(Timing t) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, long[]> e : t.steps().entrySet()) {
            if (b.length() > 0) b.append("; ");
            b.append(String.format(Locale.ROOT, "%s %.1f/%.1f", e.getKey(), e.getValue()[0] / 1e9, e.getValue()[1] / 1e9));
        }
        return b.toString();
    }

    private static double processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /**
     * The R pipeline on {@code count} features with a mean of at least 10 reads (those filterByExpr
     * keeps), library sizes of the whole study; CPU ms per feature per step, null without R.
     */
    private static Map<String, Double> rPipeline(Path dir, String countsFile, int count, PrintStream log) throws Exception {
        Path rdir = Files.createDirectory(dir.resolve("r"));
        Files.copy(dir.resolve("samples.tsv"), rdir.resolve("samples.tsv"));
        String header;
        double[] totals = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(dir.resolve(countsFile))),
                StandardCharsets.UTF_8)); BufferedWriter w = Files.newBufferedWriter(rdir.resolve("counts.tsv"), StandardCharsets.UTF_8)) {
            header = in.readLine();
            w.write(header);
            w.newLine();
            int kept = 0;
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t");
                if (totals == null) totals = new double[f.length - 1];
                double sum = 0;
                for (int j = 1; j < f.length; j++) {
                    double v = Double.parseDouble(f[j]);
                    totals[j - 1] += v;
                    sum += v;
                }
                if (kept < count && sum >= 10 * (f.length - 1)) {
                    w.write(line);
                    w.newLine();
                    kept++;
                }
            }
        }
        String[] samples = header.split("\t");
        try (BufferedWriter w = Files.newBufferedWriter(rdir.resolve("lib.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample\tlib\n");
            for (int j = 1; j < samples.length; j++) w.write(samples[j] + "\t" + totals[j - 1] + "\n");
        }
        Path script = rdir.resolve("counts_bench.R");
        try (InputStream in = CountsBenchmark.class.getResourceAsStream("counts_bench.R")) {
            Files.copy(in, script);
        }
        Process p;
        try {
            p = new ProcessBuilder("Rscript", script.toString(), rdir.toString()).redirectErrorStream(true)
                    .redirectOutput(rdir.resolve("r.log").toFile()).start();
        } catch (java.io.IOException e) {
            log.println("  (Rscript not found: the R pipeline is not timed)");
            return null;
        }
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            log.println("  (the R pipeline failed: " + Files.readString(rdir.resolve("r.log")).strip() + ")");
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String l : List.copyOf(Files.readAllLines(rdir.resolve("counts_r.tsv")))) {
            String[] f = l.split("\t");
            out.put(f[0], Double.parseDouble(f[1]));
        }
        return out;
    }
}
