package org.varpart.cli;

import java.io.PrintStream;
import java.util.Set;
import org.varpart.bench.BootstrapBenchmark;
import org.varpart.bench.EndToEndBenchmark;
import org.varpart.bench.FittingBenchmark;

/** {@code varpart bench}: the speed benchmark. */
final class BenchCommand {
    static final String HELP = """
            Usage: varpart bench [--features N] [--r-features N] [--no-large] [--seed S]
                   varpart bench --counts [--counts-features N] [--counts-r-features N]

            Times varpart's per-feature fitting on one core on the reference design (400 samples:
            80 patients x 5, 4 labs, 16 batches nested in labs, age and sex; formula
            ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch); ML), and, when Rscript with lme4
            is installed, lme4's lmer() and refit() on the very same data in the same run, with
            the ratio and the largest difference in the objective. Then repeats at 4,000 samples
            (800 patients) to show how the cost per feature grows with n. Last, the whole job end
            to end on an embedded Spark local[2]: 20,000 features x 400 samples read from gzip TSV,
            fitted and written as Parquet, with the wall time including Spark's start-up and the
            peak heap. Also the cost of confidence intervals (ci = true): replicates of the default
            bootstrap per second per core on the 400-sample design, and the core-minutes that
            20,000 features x 200 replicates take at that speed.

            Options:
              --features N     features to fit (default 2000)
              --r-features N   features to give lme4 at 400 samples (default 500; lmer() is timed
                               on the first 100, refit() on all); a tenth of that at 4,000 samples
              --no-r           do not run lme4
              --no-large       skip the 4,000-sample run
              --no-end-to-end  skip the end-to-end job
              --end-to-end-features N  features of the end-to-end job (default 20000)
              --no-bootstrap   skip the bootstrap's cost
              --bootstrap-features N  features of the bootstrap's cost (default 100, 100 replicates each)
              --seed S         random seed of the simulated data (default 1)
              --counts         instead: an RNA-seq counts assay end to end on local[2] (filter,
                               TMM, both passes, weighted fits, dream's tests, moderation) against
                               the same study as a log-scale assay, and the R pipeline (lme4,
                               lmerTest, limma) on a subset, scaled per feature
              --counts-features N    features of the counts study (default 20000)
              --counts-r-features N  features given to the R pipeline (default 12; 0: no R)
            """;

    private BenchCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Set.of("features", "r-features", "seed", "end-to-end-features", "bootstrap-features",
                "counts-features", "counts-r-features"),
                Set.of("no-r", "no-large", "no-end-to-end", "no-bootstrap", "help", "counts"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        if (a.has("counts")) {
            org.varpart.bench.CountsBenchmark.run(Integer.parseInt(a.values.getOrDefault("counts-features", "20000")),
                    Integer.parseInt(a.values.getOrDefault("counts-r-features", "12")), out);
            return 0;
        }
        int features = Integer.parseInt(a.values.getOrDefault("features", "2000"));
        int rFeatures = a.has("no-r") ? 0 : Integer.parseInt(a.values.getOrDefault("r-features", "500"));
        long seed = Long.parseLong(a.values.getOrDefault("seed", "1"));
        out.println("varpart bench: per-feature fitting on one core (" + Runtime.getRuntime().availableProcessors() + " cores here)");
        out.println("  linear algebra: " + org.varpart.lmm.BlasBackend.describe());
        out.print(FittingBenchmark.run(80, features, rFeatures, seed, out).describe());
        if (!a.has("no-large")) {
            FittingBenchmark.Figures large = FittingBenchmark.run(800, Math.max(50, features / 4), rFeatures / 10, seed, out);
            out.print(large.describe());
        }
        if (!a.has("no-bootstrap")) {
            out.println("  confidence intervals (ci = true), per replicate:");
            out.print(BootstrapBenchmark.run(80, Integer.parseInt(a.values.getOrDefault("bootstrap-features", "100")), 100, seed, out).describe());
        }
        if (!a.has("no-end-to-end")) {
            EndToEndBenchmark.run(Integer.parseInt(a.values.getOrDefault("end-to-end-features", "20000")), out);
        }
        return 0;
    }
}
