package org.varpart.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
import org.varpart.job.StageTimes;
import org.varpart.job.VarPartJob;
import org.varpart.report.Report;
import org.varpart.simulate.StudySimulator;

/**
 * The whole job end to end on an embedded Spark {@code local[N]}: simulated studies on the
 * reference design (patients × 5 samples, 4 labs, 16 batches, age and sex; ML) written as plain
 * TSV, then read, fitted and written as Parquet, at two or more sizes, without and with the
 * default tests. Each run's wall time includes Spark's start-up; its CPU time is the process's
 * (driver and executors are threads of this JVM). The marginal cost per feature between the
 * smallest and the largest size, (wall_large − wall_small) × cores / Δfeatures, is the figure
 * of the speed issue; the CPU-time version of it, (cpu_large − cpu_small) / Δfeatures, does not
 * depend on what else the machine runs. The breakdown splits both into the job's steps
 * ({@link StageTimes}). A warm-up run first lets the JIT compile the hot paths, so that both
 * sizes are measured warm. When {@code Rscript} with lme4 and lmerTest is installed, lme4's
 * {@code refit()} and lmerTest's {@code lmer + summary + anova + ranova} are timed on the same
 * input file.
 */
public final class EndToEndBenchmark {
    /**
     * What to run.
     *
     * @param features the sizes (features per run), at least two
     * @param patients patients of the design (five samples each: 80 gives 400 samples)
     * @param cores the {@code local[N]} of the embedded Spark
     * @param rRefit features lme4's {@code refit()} is timed on (0: no R)
     * @param rTests features lmerTest is timed on (0: no lmerTest)
     * @param withTests whether to run the sizes with the default tests too, not only without them
     */
    public record Options(int[] features, int patients, int cores, int rRefit, int rTests, long seed, boolean withTests) {
        public Options(int[] features, int patients, int cores, int rRefit, int rTests, long seed) {
            this(features, patients, cores, rRefit, rTests, seed, true);
        }
    }

    /** One run's figures. */
    record Run(int features, boolean tests, double wallS, double cpuS, double peakMiB, double liveMiB, Map<String, Long> statuses,
               Map<String, long[]> steps, long[] taskCpu) {}

    private EndToEndBenchmark() {}

    /** The default end-to-end run of {@code varpart bench}: 2,000 and 20,000 features × 400 samples. */
    public static void run(int features, PrintStream out) throws Exception {
        run(new Options(new int[] {2000, features}, 80, 2, 0, 0, 1), out);
    }

    public static void run(Options o, PrintStream out) throws Exception {
        int[] sizes = o.features().clone();
        java.util.Arrays.sort(sizes);
        if (sizes.length < 2 || sizes[0] == sizes[sizes.length - 1]) throw new IllegalArgumentException("give two different sizes, e.g. 2000,20000");
        Path dir = Files.createTempDirectory("varpart-e2e");
        try {
            out.println(String.format(Locale.ROOT, "varpart bench, end to end: local[%d], %d samples (%d patients x 5, 4 labs, 16 batches, age, sex), ML, plain TSV in, Parquet out",
                    o.cores(), o.patients() * 5, o.patients()));
            Map<Integer, Path> studies = new LinkedHashMap<>();
            for (int f : new LinkedHashSet<>(List.of(java.util.Arrays.stream(sizes).boxed().toArray(Integer[]::new)))) {
                studies.put(f, study(dir.resolve("f" + f), o.patients(), f, o.seed()));
            }
            // warm-up (not reported): the JIT compiles parsing, fitting, tests and writing
            once(studies.get(sizes[0]), dir.resolve("warmup"), o.cores(), o.withTests());
            List<Run> runs = new ArrayList<>();
            boolean[] modes = o.withTests() ? new boolean[] {false, true} : new boolean[] {false};
            for (boolean tests : modes) {
                for (int f : sizes) {
                    Run r = once(studies.get(f), dir.resolve("out-" + f + "-" + tests), o.cores(), tests);
                    runs.add(r);
                    out.println(String.format(Locale.ROOT, "  %6d features, tests=%-5s: %6.1f s wall including Spark start-up, %6.1f s CPU; peak heap %.0f MiB (%.0f MiB live after a GC); statuses %s",
                            f, tests, r.wallS(), r.cpuS(), r.peakMiB(), r.liveMiB(), r.statuses()));
                }
            }
            double[] reference = o.rRefit() > 0 ? rFigures(studies.get(sizes[0]), o, out) : null;
            for (boolean tests : modes) {
                Run small = find(runs, sizes[0], tests), large = find(runs, sizes[sizes.length - 1], tests);
                marginal(small, large, o.cores(), tests, reference, out);
            }
            for (boolean tests : modes) {
                breakdown("tests=" + tests, find(runs, sizes[0], tests), find(runs, sizes[sizes.length - 1], tests), out);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }

    private static Run find(List<Run> runs, int features, boolean tests) {
        return runs.stream().filter(r -> r.features() == features && r.tests() == tests).findFirst().orElseThrow();
    }

    /** Writes a simulated study into {@code dir}, its assay as plain TSV; returns the directory. */
    private static Path study(Path dir, int patients, int features, long seed) throws IOException {
        StudySimulator.Spec spec = new StudySimulator.Spec(patients, 5, 4, 4, features, new String[] {"assay"}, 0.0, seed);
        StudySimulator.write(spec, dir);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("assay.tsv.gz")), 1 << 16);
             OutputStream o = Files.newOutputStream(dir.resolve("assay.tsv"))) {
            in.transferTo(o);
        }
        Files.delete(dir.resolve("assay.tsv.gz"));
        return dir;
    }

    /** One run of the job on a fresh Spark session. */
    private static Run once(Path study, Path output, int cores, boolean tests) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        HeapAfterGc live = new HeapAfterGc();
        long cpu0 = StageTimes.processCpu();
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("varpart-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", study.resolve("samples.tsv").toString());
        c.put("assay.assay", study.resolve("assay.tsv").toString());
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", output.toString());
        c.put("tests", Boolean.toString(tests));
        c.put("progress_seconds", "0");
        VarPartJob.Outcome o;
        try {
            o = VarPartJob.run(spark, JobConfig.of(c, "bench"), new PrintStream(OutputStream.nullOutputStream()), Report::write);
        } finally {
            spark.stop();
            live.close();
        }
        double wall = (System.nanoTime() - t0) / 1e9, cpu = (StageTimes.processCpu() - cpu0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        return new Run((int) o.features(), tests, wall, cpu, peak / 1048576.0, live.maxBytes() / 1048576.0, o.statusCounts(),
                o.times().driverSteps(), o.times().taskCpu());
    }

    /**
     * The memory bound: one run of {@code features} features × {@code patients} × 5 samples
     * (fits only), in whatever heap this JVM was given (e.g. {@code -Xmx1g}), printing the heap's
     * limit, the peak of its use and the largest heap left in use after a collection (what the
     * run really holds; the peak also counts garbage not yet collected).
     */
    public static void memory(int features, int patients, long seed, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("varpart-memory");
        try {
            out.println(String.format(Locale.ROOT, "varpart bench, memory: %,d features x %d samples, local[2], tests=false, in a heap of at most %.0f MiB",
                    features, patients * 5, Runtime.getRuntime().maxMemory() / 1048576.0));
            Path study = study(dir.resolve("study"), patients, features, seed);
            Run r = once(study, dir.resolve("out"), 2, false);
            out.println(String.format(Locale.ROOT, "  %,d features: %.1f s wall, %.1f s CPU; peak heap %.0f MiB, at most %.0f MiB live after a GC; statuses %s",
                    r.features(), r.wallS(), r.cpuS(), r.peakMiB(), r.liveMiB(), r.statuses()));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }

    /**
     * The largest heap in use just after a garbage collection while it is open: the sum of the
     * heap pools' usage after each collection, from the collectors' notifications.
     */
    static final class HeapAfterGc implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        private final List<Runnable> removals = new ArrayList<>();

        HeapAfterGc() {
            java.util.Set<String> heap = new java.util.HashSet<>();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) heap.add(p.getName());
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!(gc instanceof javax.management.NotificationEmitter e)) continue;
                javax.management.NotificationListener l = (n, h) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
                    long used = 0;
                    for (var u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) if (heap.contains(u.getKey())) used += u.getValue().getUsed();
                    max.accumulateAndGet(used, Math::max);
                };
                e.addNotificationListener(l, null, null);
                removals.add(() -> {
                    try {
                        e.removeNotificationListener(l);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }

        long maxBytes() {
            return max.get();
        }

        @Override
        public void close() {
            removals.forEach(Runnable::run);
        }
    }

    private static void marginal(Run small, Run large, int cores, boolean tests, double[] reference, PrintStream out) {
        double df = large.features() - small.features();
        double wallMs = (large.wallS() - small.wallS()) * cores * 1000 / df;
        double cpuMs = (large.cpuS() - small.cpuS()) * 1000 / df;
        out.println(String.format(Locale.ROOT, "  marginal cost per feature, tests=%s: %.3f core-ms from wall ((%.1f s - %.1f s) x %d / %,.0f), %.3f ms from CPU time",
                tests, wallMs, large.wallS(), small.wallS(), cores, df, cpuMs));
        if (reference != null) {
            double r = tests ? reference[1] : reference[0];
            if (!Double.isNaN(r)) {
                out.println(String.format(Locale.ROOT, "    %s %.2f ms per feature in the same run: varpart is %.0fx (wall) / %.0fx (CPU)",
                        tests ? "lmerTest lmer + summary + anova + ranova" : "lme4 refit()", r, r / wallMs, r / cpuMs));
            }
        }
    }

    /**
     * Where the time goes: each driver step's CPU (and wall) time at both sizes and the marginal
     * CPU microseconds per feature; the tasks' own parts (CPU summed over the executor threads).
     */
    private static void breakdown(String what, Run small, Run large, PrintStream out) {
        double df = large.features() - small.features();
        out.println(String.format(Locale.ROOT, "  breakdown, %s: step: CPU s at %d / %d features (wall s), marginal CPU us per feature",
                what, small.features(), large.features()));
        for (String step : large.steps().keySet()) {
            long[] s = small.steps().getOrDefault(step, new long[2]), l = large.steps().get(step);
            out.println(String.format(Locale.ROOT, "    %-14s %7.2f / %7.2f s CPU (%6.2f / %6.2f s wall)  %8.1f us/feature",
                    step, s[1] / 1e9, l[1] / 1e9, s[0] / 1e9, l[0] / 1e9, (l[1] - s[1]) / 1e3 / df));
        }
        out.println("    inside the fitting tasks (CPU of the executor threads):");
        for (int i = 0; i < StageTimes.TASK_PARTS.length; i++) {
            long s = small.taskCpu()[i], l = large.taskCpu()[i];
            out.println(String.format(Locale.ROOT, "      %-12s %7.2f / %7.2f s CPU  %8.1f us/feature",
                    StageTimes.TASK_PARTS[i], s / 1e9, l / 1e9, (l - s) / 1e3 / df));
        }
    }

    /** lme4's refit() and lmerTest's ms per feature on the study's own files; null when R cannot run them. */
    private static double[] rFigures(Path study, Options o, PrintStream out) throws IOException, InterruptedException {
        Path script = study.resolve("lmertest_bench.R"), result = study.resolve("r.tsv"), log = study.resolve("r.log");
        try (InputStream in = EndToEndBenchmark.class.getResourceAsStream("lmertest_bench.R")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("Rscript", script.toString(), study.resolve("samples.tsv").toString(),
                study.resolve("assay.tsv").toString(), Integer.toString(o.rRefit()), Integer.toString(o.rTests()), result.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            out.println("  (Rscript not found: lme4 and lmerTest are not timed)");
            return null;
        }
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            out.println("  (the R run failed, lme4 and lmerTest are not timed: " + Files.readString(log).strip() + ")");
            return null;
        }
        List<String> lines = Files.readAllLines(result);
        double refit = Double.parseDouble(lines.get(1).split("\t")[1]);
        double tests = o.rTests() > 0 ? Double.parseDouble(lines.get(2).split("\t")[1]) : Double.NaN;
        out.println(String.format(Locale.ROOT, "  R, same input file, one core: lme4 refit() %.2f ms per feature (%d features); lmerTest lmer + summary + anova + ranova %.2f ms per feature (%d features)",
                refit, o.rRefit(), tests, o.rTests()));
        return new double[] {refit, tests};
    }
}
