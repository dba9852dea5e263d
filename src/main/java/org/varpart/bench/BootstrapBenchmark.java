package org.varpart.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.FractionBootstrap;

/**
 * Times the parametric bootstrap of the fractions on one core on the reference design (400
 * samples, ML): a single fit per feature against one replicate of the job's default bootstrap
 * (the logit-basic interval's: the feature's REML fit once, then per replicate simulate, refit by
 * REML from its θ̂, fractions; the REML fit is counted in the replicates' time), in
 * the thread's CPU time (so that other load on the machine does not count), and projects the
 * cost of intervals for 20,000 features × 200 replicates.
 */
public final class BootstrapBenchmark {

    /**
     * The figures of one run.
     *
     * @param fitMs milliseconds per single fit
     * @param replicateMs milliseconds per replicate
     * @param fitEvaluations objective evaluations per single fit
     * @param replicateEvaluations objective evaluations per replicate
     */
    public record Figures(int samples, int features, int replicates, double fitMs, double replicateMs,
                          double fitEvaluations, double replicateEvaluations) {

        /** Core-minutes for {@code features} × {@code replicates} replicates at this speed. */
        public double coreMinutes(long features, long replicates) {
            return features * replicates * replicateMs / 60_000.0;
        }

        public String describe() {
            return String.format(Locale.ROOT,
                    "  %d samples, %d features x %d replicates: %.3f ms per fit (%.0f evaluations), %.3f ms per replicate "
                            + "(%.0f evaluations), %.2f fits' worth; %.0f replicates/s per core; 20,000 features x 200 "
                            + "replicates: %.1f core-minutes%n",
                    samples, features, replicates, fitMs, fitEvaluations, replicateMs, replicateEvaluations,
                    replicateMs / fitMs, 1000 / replicateMs, coreMinutes(20_000, 200));
        }
    }

    private BootstrapBenchmark() {}

    /** Runs the benchmark on {@code patients} × 5 samples after a warm-up on the first features. */
    public static Figures run(int patients, int features, int replicates, long seed, PrintStream log) {
        ReferenceDesign rd = new ReferenceDesign(patients, seed);
        double[][] y = rd.features(features);
        Design d = DesignBuilder.build(ModelSpec.parse("y " + ReferenceDesign.FORMULA), rd.samples(), "y", y[0]);
        BlockFitter fitter = new BlockFitter(d, FitOptions.mlDefaults().withoutConditionalVariances());
        BlockFitter reml = new BlockFitter(d, fitter.options().withReml(true));
        FractionBootstrap.Method method = FractionBootstrap.Method.LOGIT_BASIC;
        int warm = Math.min(features, 20);
        for (int f = 0; f < warm; f++) {
            FitResult fit = fitter.fit("warm", y[f]);
            if (fit.status().hasEstimates()) FractionBootstrap.run(method, fitter, reml, fit, y[f], Math.min(replicates, 20), f);
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long fitNanos = 0, repNanos = 0, fitEvals = 0, repEvals = 0;
        int fitted = 0;
        for (int f = 0; f < features; f++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            FitResult fit = fitter.fit("f" + f, y[f]);
            long t1 = cpu.getCurrentThreadCpuTime();
            if (!fit.status().hasEstimates()) continue;
            FractionBootstrap.Result r = FractionBootstrap.run(method, fitter, reml, fit, y[f], replicates, FractionBootstrap.seed(seed, "f" + f));
            long t2 = cpu.getCurrentThreadCpuTime();
            fitNanos += t1 - t0;
            repNanos += t2 - t1;
            fitEvals += fit.evaluations();
            repEvals += r.evaluations();
            fitted++;
        }
        if (log != null) log.printf(Locale.ROOT, "  bootstrap benchmark: %d of %d features fitted%n", fitted, features);
        return new Figures(rd.n(), fitted, replicates, fitNanos / 1e6 / fitted, repNanos / 1e6 / fitted / replicates,
                fitEvals / (double) fitted, repEvals / (double) fitted / replicates);
    }

    /**
     * What the lean refit saves: on the same features, interleaved feature by feature so that the
     * machine's load hits them alike, the default bootstrap (REML fit, REML refits from its θ̂)
     * with each replicate fully fitted ({@link BlockFitter#fit}: Var(β̂), conditional modes,
     * fitted values, the response's checks) and with the lean refit ({@link BlockFitter#refit});
     * per replicate, CPU milliseconds and evaluations.
     */
    public static void compareRefits(int features, int replicates, PrintStream out) {
        ReferenceDesign rd = new ReferenceDesign(80, 1);
        double[][] y = rd.features(features);
        Design d = DesignBuilder.build(ModelSpec.parse("y " + ReferenceDesign.FORMULA), rd.samples(), "y", y[0]);
        BlockFitter ml = new BlockFitter(d, FitOptions.mlDefaults().withoutConditionalVariances());
        BlockFitter reml = new BlockFitter(d, ml.options().withReml(true));
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[2], evals = new long[2];
        int n = 0;
        FractionBootstrap.Method method = FractionBootstrap.Method.LOGIT_BASIC;
        for (int f = -Math.min(10, features); f < features; f++) { // the first ten, twice: a warm-up
            int i = Math.floorMod(f, features);
            FitResult fit = ml.fit("f" + i, y[i]);
            if (!fit.status().hasEstimates()) continue;
            long seed = FractionBootstrap.seed(1, "f" + i);
            long t0 = cpu.getCurrentThreadCpuTime();
            FractionBootstrap.Result a = FractionBootstrap.run(method, ml, reml, fit, y[i], replicates, seed, false);
            long t1 = cpu.getCurrentThreadCpuTime();
            FractionBootstrap.Result b = FractionBootstrap.run(method, ml, reml, fit, y[i], replicates, seed, true);
            long t2 = cpu.getCurrentThreadCpuTime();
            if (f < 0) continue;
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            evals[0] += a.evaluations();
            evals[1] += b.evaluations();
            n++;
        }
        String[] names = {"full fit of each replicate (before)", "lean refit of each replicate"};
        for (int k = 0; k < 2; k++) {
            double ms = nanos[k] / 1e6 / n / replicates;
            out.printf(Locale.ROOT, "  %-40s %.3f ms per replicate, %.1f evaluations, %.0f replicates/s per core, "
                    + "20,000 x 200: %.1f core-minutes%n", names[k], ms, evals[k] / (double) n / replicates, 1000 / ms,
                    20_000.0 * 200 * ms / 60_000);
        }
    }

    /** {@code java -cp ... org.varpart.bench.BootstrapBenchmark [features] [replicates] [refits]}. */
    public static void main(String[] args) {
        int features = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int replicates = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.println("varpart bootstrap benchmark, one core (" + Runtime.getRuntime().availableProcessors() + " cores here)");
        if (args.length > 2 && args[2].equals("refits")) compareRefits(features, replicates, System.out);
        else System.out.print(run(80, features, replicates, 1, System.out).describe());
    }
}
