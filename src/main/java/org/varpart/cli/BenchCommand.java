package org.varpart.cli;

import java.io.PrintStream;
import java.util.Set;
import org.varpart.bench.BootstrapBenchmark;
import org.varpart.bench.EndToEndBenchmark;
import org.varpart.bench.FittingBenchmark;

/** {@code varpart bench}: the speed benchmark. */
final class BenchCommand {
    static final String HELP = """
            Usage: varpart bench [--features N | --features A,B] [--samples S] [--r-features N] [--r-tests N]
                                 [--no-r] [--no-large] [--no-end-to-end] [--no-bootstrap] [--fits-only] [--seed S]
                   varpart bench --counts [--counts-features N] [--counts-r-features N]
                   varpart bench --memory N [--samples S] [--seed S]

            Times varpart's per-feature fitting on one core on the reference design (400 samples:
            80 patients x 5, 4 labs, 16 batches nested in labs, age and sex; formula
            ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch); ML), and, when Rscript with lme4
            is installed, lme4's lmer() and refit() on the very same data in the same run, with
            the ratio and the largest difference in the objective. Then repeats at 4,000 samples
            (800 patients) to show how the cost per feature grows with n. Then the cost of
            confidence intervals (ci = true): replicates of the default bootstrap per second per
            core on the 400-sample design, and the core-minutes that 20,000 features x 200
            replicates take at that speed.

            Last, the whole job end to end on an embedded Spark local[2], plain TSV in, Parquet
            out, at two sizes (default 2,000 and 20,000 features), without and with the default
            tests, after one warm-up run: each run's wall time (Spark start-up included) and CPU
            time, the marginal cost per feature ((wall_large - wall_small) x 2 / difference in
            features, and the same from CPU time), lme4's refit() and lmerTest's lmer + summary +
            anova + ranova on the same input file when R has them, and where the time goes (plan,
            shuffle, fit, collect, tables, summary, report, commit; inside the fitting tasks:
            parse, fit, tests, commit), per run and per feature.

            Options:
              --features N     features for the one-core fitting benchmark (default 2000)
              --features A,B   the end-to-end sizes (the fitting benchmark uses the smaller)
              --samples S      samples of the end-to-end studies, a multiple of 5 (default 400)
              --r-features N   features to give lme4 (default 500: refit() on all, lmer() on the
                               first 100; a tenth of that at 4,000 samples)
              --r-tests N      features to give lmerTest end to end (default 50)
              --no-r           do not run R
              --no-large       skip the 4,000-sample fitting benchmark
              --no-end-to-end  skip the end-to-end runs
              --fits-only      end to end without the default tests only (tests = false)
              --end-to-end-features N  the larger end-to-end size (default 20000)
              --no-bootstrap   skip the bootstrap's cost
              --bootstrap-features N  features of the bootstrap's cost (default 100, 100 replicates each)
              --seed S         random seed of the simulated data (default 1)
              --counts         instead: an RNA-seq counts assay end to end on local[2] (filter,
                               TMM, both passes, weighted fits, dream's tests, moderation) against
                               the same study as a log-scale assay, and the R pipeline (lme4,
                               lmerTest, limma) on a subset, scaled per feature
              --counts-features N    features of the counts study (default 20000)
              --counts-r-features N  features given to the R pipeline (default 12; 0: no R)
              --memory N       instead: the memory bound, one run of N features (fits only) on
                               local[2] in this JVM's heap, printing the heap's limit, its peak
                               use and the most it held after a garbage collection; set the
                               heap with VARPART_JAVA_OPTS=-Xmx1g
            """;

    private BenchCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Set.of("features", "r-features", "r-tests", "seed", "end-to-end-features", "samples",
                "bootstrap-features", "counts-features", "counts-r-features", "memory"),
                Set.of("no-r", "no-large", "no-end-to-end", "fits-only", "no-bootstrap", "help", "counts"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        if (a.has("counts")) {
            org.varpart.bench.CountsBenchmark.run(Integer.parseInt(a.values.getOrDefault("counts-features", "20000")),
                    Integer.parseInt(a.values.getOrDefault("counts-r-features", "12")), out);
            return 0;
        }
        if (a.has("memory")) {
            int samples = Integer.parseInt(a.values.getOrDefault("samples", "400"));
            if (samples < 10 || samples % 5 != 0) throw new IllegalArgumentException("--samples must be a multiple of 5 (five per patient), at least 10");
            EndToEndBenchmark.memory(Integer.parseInt(a.values.get("memory")), samples / 5, Long.parseLong(a.values.getOrDefault("seed", "1")), out);
            return 0;
        }
        String featureArg = a.values.getOrDefault("features", "2000");
        int[] sizes = {2000, Integer.parseInt(a.values.getOrDefault("end-to-end-features", "20000"))};
        int features;
        if (featureArg.contains(",")) {
            sizes = java.util.Arrays.stream(featureArg.split(",")).map(String::strip).mapToInt(Integer::parseInt).sorted().toArray();
            features = sizes[0];
        } else {
            features = Integer.parseInt(featureArg);
        }
        int samples = Integer.parseInt(a.values.getOrDefault("samples", "400"));
        if (samples < 10 || samples % 5 != 0) throw new IllegalArgumentException("--samples must be a multiple of 5 (five per patient), at least 10");
        int rFeatures = a.has("no-r") ? 0 : Integer.parseInt(a.values.getOrDefault("r-features", "500"));
        int rTests = a.has("no-r") ? 0 : Integer.parseInt(a.values.getOrDefault("r-tests", "50"));
        long seed = Long.parseLong(a.values.getOrDefault("seed", "1"));
        out.println("varpart bench: per-feature fitting on one core (" + Runtime.getRuntime().availableProcessors() + " cores here)");
        out.println("  linear algebra: " + org.varpart.lmm.BlasBackend.describe());
        // progress and notes go to the log; stdout gets the figures only
        PrintStream log = LogLines.to(org.slf4j.LoggerFactory.getLogger(FittingBenchmark.class));
        out.print(FittingBenchmark.run(80, features, rFeatures, seed, log).describe());
        if (!a.has("no-large")) {
            FittingBenchmark.Figures large = FittingBenchmark.run(800, Math.max(50, features / 4), rFeatures / 10, seed, log);
            out.print(large.describe());
        }
        if (!a.has("no-bootstrap")) {
            out.println("  confidence intervals (ci = true), per replicate:");
            out.print(BootstrapBenchmark.run(80, Integer.parseInt(a.values.getOrDefault("bootstrap-features", "100")), 100, seed, log).describe());
        }
        if (!a.has("no-end-to-end")) {
            EndToEndBenchmark.run(new EndToEndBenchmark.Options(sizes, samples / 5, 2, rFeatures,
                    a.has("fits-only") ? 0 : rTests, seed, !a.has("fits-only")), out);
        }
        return 0;
    }
}
