package org.varpart.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.ResponseStatistics;
import org.varpart.lmm.ThetaProbe;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;

/**
 * Where the default tests' time goes, on one core, on the reference design (ML, as the job):
 * the thread's CPU per feature for the fit, Satterthwaite's derivatives, the coefficient t
 * tests, the term F tests and the likelihood-ratio tests of the components, each on the same
 * fit. Run as {@code java -cp ... org.varpart.bench.TestsBenchmark [features]}; the first 300
 * features warm the JIT and are not counted.
 */
public final class TestsBenchmark {
    private static final String[] PARTS = {"fit", "Satterthwaite derivatives", "coefficient t tests", "term F tests",
        "component likelihood-ratio tests"};

    private TestsBenchmark() {}

    public static void main(String[] args) {
        int features = args.length > 0 ? Integer.parseInt(args[0]) : 1000, warm = 300;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ReferenceDesign rd = new ReferenceDesign(80, 42);
        double[][] y = rd.features(features + warm);
        Design d = DesignBuilder.build(ModelSpec.parse("y " + ReferenceDesign.FORMULA), rd.samples(), "y", y[0]);
        FitOptions options = FitOptions.mlDefaults().withoutConditionalVariances();
        BlockFitter fitter = new BlockFitter(d, options);
        RandomTermTests components = new RandomTermTests(fitter);
        ThetaProbe probe = new ThetaProbe(fitter.model());
        long[] cpu = new long[PARTS.length];
        int counted = 0;
        for (int f = 0; f < features + warm; f++) {
            long[] t = new long[PARTS.length + 1];
            t[0] = mx.getCurrentThreadCpuTime();
            ResponseStatistics response = ResponseStatistics.of(d, y[f]);
            FitResult r = fitter.fit("f" + f, response);
            t[1] = mx.getCurrentThreadCpuTime();
            if (!r.status().hasEstimates()) continue;
            Satterthwaite s = new Satterthwaite(probe, r, y[f], options.reml());
            t[2] = mx.getCurrentThreadCpuTime();
            s.coefficientTests(r.fixedNames());
            t[3] = mx.getCurrentThreadCpuTime();
            s.termTests(d);
            t[4] = mx.getCurrentThreadCpuTime();
            components.compute(r, response);
            t[5] = mx.getCurrentThreadCpuTime();
            if (f < warm) continue;
            counted++;
            for (int i = 0; i < PARTS.length; i++) cpu[i] += t[i + 1] - t[i];
        }
        long tests = 0;
        for (int i = 0; i < PARTS.length; i++) {
            System.out.printf(Locale.ROOT, "%-34s %.4f ms/feature%n", PARTS[i], cpu[i] / 1e6 / counted);
            if (i > 0) tests += cpu[i];
        }
        System.out.printf(Locale.ROOT, "%-34s %.4f ms/feature (%.2f times the fit; %d features with estimates)%n", "all the tests",
                tests / 1e6 / counted, tests / (double) cpu[0], counted);
    }
}
