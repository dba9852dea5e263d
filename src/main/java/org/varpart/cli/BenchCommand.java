package org.varpart.cli;

import java.io.PrintStream;
import java.util.Set;
import org.varpart.bench.EndToEndBenchmark;
import org.varpart.bench.FittingBenchmark;

/** {@code varpart bench}: the speed benchmark. */
final class BenchCommand {
    static final String HELP = """
            Usage: varpart bench [--features N] [--r-features N] [--no-large] [--seed S]

            Times varpart's per-feature fitting on one core on the reference design (400 samples:
            80 patients x 5, 4 labs, 16 batches nested in labs, age and sex; formula
            ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch); ML), and, when Rscript with lme4
            is installed, lme4's lmer() and refit() on the very same data in the same run, with
            the ratio and the largest difference in the objective. Then repeats at 4,000 samples
            (800 patients) to show how the cost per feature grows with n. Last, the whole job end
            to end on an embedded Spark local[2]: 20,000 features x 400 samples read from gzip TSV,
            fitted and written as Parquet, with the wall time including Spark's start-up and the
            peak heap.

            Options:
              --features N     features to fit (default 2000)
              --r-features N   features to give lme4 at 400 samples (default 500; lmer() is timed
                               on the first 100, refit() on all); a tenth of that at 4,000 samples
              --no-r           do not run lme4
              --no-large       skip the 4,000-sample run
              --no-end-to-end  skip the end-to-end job
              --end-to-end-features N  features of the end-to-end job (default 20000)
              --seed S         random seed of the simulated data (default 1)
            """;

    private BenchCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Set.of("features", "r-features", "seed", "end-to-end-features"), Set.of("no-r", "no-large", "no-end-to-end", "help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        int features = Integer.parseInt(a.values.getOrDefault("features", "2000"));
        int rFeatures = a.has("no-r") ? 0 : Integer.parseInt(a.values.getOrDefault("r-features", "500"));
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
        if (!a.has("no-end-to-end")) {
            EndToEndBenchmark.run(Integer.parseInt(a.values.getOrDefault("end-to-end-features", "20000")), out,
                    LogLines.to(org.slf4j.LoggerFactory.getLogger(EndToEndBenchmark.class)));
        }
        return 0;
    }
}
