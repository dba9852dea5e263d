package org.varpart.bench;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.varpart.counts.DreamFit;
import org.varpart.counts.ResidualDf;
import org.varpart.counts.WeightedFit;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.Satterthwaite;

/**
 * Times, on one core, the per-feature cost of the weighted fits against the unweighted ones on the
 * reference design ({@link ReferenceDesign}: five samples per patient, crossed lab and batch),
 * with voom-like weights (log-normal, a different set per feature):
 * <ul>
 *   <li>ML fit: unweighted through the shared-design {@link BlockFitter} against
 *       {@link WeightedFit#fit} (a scaled design per feature);</li>
 *   <li>dream: REML fit and Satterthwaite tests of every coefficient, unweighted against
 *       {@link DreamFit#fit} (which adds the residual df), and with the term and component tests.</li>
 * </ul>
 * Times are the thread's CPU time, so that other work on the machine disturbs them less.
 * Usage: {@code WeightedFitBenchmark [patients] [features]}.
 */
public final class WeightedFitBenchmark {
    private WeightedFitBenchmark() {}

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 80;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        System.out.print(run(patients, features, 42));
    }

    /** Runs the timings and describes them. */
    public static String run(int patients, int features, long seed) {
        ReferenceDesign rd = new ReferenceDesign(patients, seed);
        double[][] y = rd.features(features);
        Random rng = new Random(seed);
        double[][] w = new double[features][rd.n()];
        for (double[] row : w) for (int j = 0; j < row.length; j++) row[j] = Math.exp(0.6 * rng.nextGaussian());
        Design d = DesignBuilder.build(ModelSpec.parse("y " + ReferenceDesign.FORMULA), rd.samples(), "y", y[0]);
        FitOptions ml = FitOptions.mlDefaults().withoutConditionalVariances();
        FitOptions reml = FitOptions.remlDefaults().withoutConditionalVariances();
        int warm = Math.min(features, 100);
        for (int pass = 0; pass < 2; pass++) {
            int count = pass == 0 ? warm : features;
            long t0 = cpu();
            BlockFitter fitter = new BlockFitter(d, ml);
            for (int i = 0; i < count; i++) fitter.fit("y", y[i]);
            long t1 = cpu();
            for (int i = 0; i < count; i++) WeightedFit.fit(d, y[i], w[i], ml);
            long t2 = cpu();
            BlockFitter rf = new BlockFitter(d, reml);
            for (int i = 0; i < count; i++) {
                FitResult r = rf.fit("y", y[i]);
                if (r.status().hasEstimates()) new Satterthwaite(d.withResponse("y", y[i]), r, true).coefficientTests(r.fixedNames());
            }
            long t3 = cpu();
            double rdfNs = 0;
            for (int i = 0; i < count; i++) {
                DreamFit.Result r = DreamFit.fit(d, y[i], w[i], List.of(), reml);
                if (r.fit().status().hasEstimates()) {
                    long a = cpu();
                    ResidualDf.of(WeightedFit.scaled(d, y[i], WeightedFit.rescale(w[i])), r.fit().theta());
                    rdfNs += cpu() - a;
                }
            }
            long t4 = cpu();
            for (int i = 0; i < count; i++) DreamFit.fit(d, y[i], w[i], List.of(), reml, true);
            long t5 = cpu();
            if (pass == 1) {
                double f = 1e6 * count;
                return String.format(Locale.ROOT,
                        "%d samples, %d features, one core%n"
                                + "  ML fit:     unweighted %.2f ms/feature, weighted %.2f ms/feature (%.1fx)%n"
                                + "  dream:      unweighted REML + Satterthwaite %.2f ms/feature, weighted + rdf %.2f ms/feature (%.1fx; rdf alone %.2f ms)%n"
                                + "  dream with the F tests of the fixed terms and the component tests (tests = true): %.2f ms/feature%n",
                        rd.n(), count, (t1 - t0) / f, (t2 - t1) / f, (double) (t2 - t1) / (t1 - t0),
                        (t3 - t2) / f, (t4 - t3 - rdfNs) / f, (t4 - t3 - rdfNs) / (t3 - t2), rdfNs / f, (t5 - t4) / f);
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
