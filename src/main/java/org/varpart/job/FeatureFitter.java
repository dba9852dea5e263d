package org.varpart.job;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.exception.util.ExceptionContextProvider;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.varpart.InputException;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.io.FeatureRow;
import org.varpart.io.FeatureRows;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.lmm.ResponseStatistics;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.Significance;
import org.varpart.stats.VarianceFractions;

/**
 * The per-partition step: fits every feature of a partition and returns one result row each
 * (schema {@code OutputSchemas.FEATURE}, written by {@link FeatureRows}). Features with the same
 * missingness pattern share a {@link Pattern}: the complete pattern uses the design broadcast
 * from the driver, other patterns get a design of their own, built once per partition and
 * pattern, with the fitter and the reduced models of the tests. A problem of the data becomes
 * that feature's status row; a bug propagates.
 */
public final class FeatureFitter implements FlatMapFunction<Iterator<FeatureRow>, Row> {
    private static final long serialVersionUID = 1L;
    /** Patterns kept per task; beyond this the least recently used is rebuilt when met again. */
    static final int PATTERN_CACHE = 256;

    private final Broadcast<AssayModel> model;
    private final LongAccumulator done;

    public FeatureFitter(Broadcast<AssayModel> model, LongAccumulator done) {
        this.model = model;
        this.done = done;
    }

    /**
     * Fits the features as Spark pulls them: one feature in, one row out, so that a task holds one
     * feature at a time and its memory does not grow with the number of features.
     */
    @Override
    public Iterator<Row> call(Iterator<FeatureRow> features) {
        AssayModel m = model.value();
        Patterns patterns = new Patterns(m);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return features.hasNext();
            }

            @Override
            public Row next() {
                Row r = FeatureRows.row(fit(m, patterns, features.next()));
                if (done != null) done.add(1);
                return r;
            }
        };
    }

    /**
     * What the features of one missingness pattern share: a fitter and the tester of its fits, or
     * why the pattern has no design.
     */
    sealed interface Pattern permits Fittable, Unfittable {}

    /** A design that can be fitted; {@code tester} is null when the run asks for no tests or the design cannot be fitted. */
    record Fittable(BlockFitter fitter, Significance.Tester tester) implements Pattern {}

    /** No design can be built for the pattern (for instance a factor left with one level). */
    record Unfittable(String reason) implements Pattern {}

    /** The pattern of each missingness pattern met in this task. */
    static final class Patterns {
        private final AssayModel m;
        private final Pattern complete;
        private final Map<BitSet, Pattern> byPattern = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<BitSet, Pattern> e) {
                return size() > PATTERN_CACHE;
            }
        };

        Patterns(AssayModel m) {
            this.m = m;
            this.complete = m.complete() == null ? null : fittable(m.complete());
        }

        private Pattern fittable(Design d) {
            String unidentifiable = unidentifiable(d);
            if (unidentifiable != null) return new Unfittable(unidentifiable);
            BlockFitter fitter = new BlockFitter(d, m.options());
            boolean testable = m.tests() && fitter.designProblem() == null;
            return new Fittable(fitter, testable ? new Significance.Tester(fitter) : null);
        }

        /** The pattern of the observations not {@code missing}; y gives the design builder a response of the right length. */
        Pattern forPattern(BitSet missing, double[] y) {
            if (missing.isEmpty() && complete != null) return complete;
            return byPattern.computeIfAbsent((BitSet) missing.clone(), k -> {
                try {
                    return fittable(DesignBuilder.build(m.spec(), m.samples(), VarPartJob.RESPONSE, y));
                } catch (InputException e) {
                    return new Unfittable(e.getMessage().replace('\n', ' '));
                }
            });
        }
    }

    /** The result of one feature. */
    static FeatureResult fit(AssayModel m, Patterns patterns, FeatureRow f) {
        return fit(m, patterns, f, null);
    }

    /**
     * The result of one feature; when {@code cpu} is not null, the thread's CPU time spent fitting
     * and testing is added to {@code cpu[1]} and {@code cpu[2]} (the {@link StageTimes} parts).
     */
    static FeatureResult fit(AssayModel m, Patterns patterns, FeatureRow f, long[] cpu) {
        if (f.problem() != null) return new FeatureResult(m.assay(), f.id(), 0, new FeatureResult.Failed("cannot read the feature: " + f.problem()));
        int n = m.columns().length;
        double[] y = new double[n];
        BitSet missing = new BitSet(n);
        for (int i = 0; i < n; i++) {
            y[i] = f.values()[m.columns()[i]];
            if (Double.isNaN(y[i])) missing.set(i);
        }
        if (missing.cardinality() == n) {
            return new FeatureResult(m.assay(), f.id(), 0, new FeatureResult.Skipped(FitStatus.SKIPPED_TOO_FEW, "every value is missing"));
        }
        Pattern pattern = patterns.forPattern(missing, y);
        if (pattern instanceof Unfittable u) {
            return new FeatureResult(m.assay(), f.id(), n - missing.cardinality(), new FeatureResult.Skipped(FitStatus.SKIPPED_TOO_FEW, u.reason()));
        }
        Fittable p = (Fittable) pattern;
        Design d = p.fitter().design();
        double[] ys = new double[d.n()];
        for (int i = 0; i < ys.length; i++) ys[i] = y[d.row(i)];
        long t0 = cpu == null ? 0 : StageTimes.threadCpu();
        ResponseStatistics response = ResponseStatistics.of(d, ys);
        FitResult r = p.fitter().fit(f.id(), response);
        long[] testing = new long[1];
        FeatureResult.Outcome outcome = FeatureResult.outcomeOf(r, () -> VarianceFractions.compute(d, r), () -> {
            if (p.tester() == null) return new FeatureResult.NotRequested();
            long s = cpu == null ? 0 : StageTimes.threadCpu();
            FeatureResult.Tests t = tests(p.tester(), r, response);
            if (cpu != null) testing[0] = StageTimes.threadCpu() - s;
            return t;
        });
        if (m.intervals().enabled() && outcome instanceof FeatureResult.Fitted fitted) {
            outcome = fitted.withIntervals(FeatureIntervals.of(p.fitter(), r, ys, m.intervals(), m.assay(), f.id()));
        }
        if (cpu != null) {
            cpu[1] += StageTimes.threadCpu() - t0 - testing[0];
            cpu[2] += testing[0];
        }
        return new FeatureResult(m.assay(), f.id(), r.nObs(), outcome);
    }

    /** The tests of one fit; a numerical failure of them leaves the fit's numbers and says why the tests are missing. */
    private static FeatureResult.Tests tests(Significance.Tester tester, FitResult r, ResponseStatistics response) {
        try {
            return new FeatureResult.Tested(tester.test(r, response));
        } catch (RuntimeException e) {
            if (!(e instanceof ExceptionContextProvider)) throw e;
            return new FeatureResult.TestsFailed("numerical failure: " + e.getMessage());
        }
    }

    /** The number of parameters of the model: fixed-effects coefficients, variance parameters θ and the residual variance. */
    static int parameters(Design d) {
        int p = d.p() + 1;
        for (org.varpart.design.ReTerm t : d.terms()) p += t.nTheta();
        return p;
    }

    /**
     * Why the model cannot be identified from this feature's observations, or null: it needs more
     * observations than parameters, and fewer levels of each grouping factor than observations.
     */
    static String unidentifiable(Design d) {
        int params = parameters(d);
        if (d.n() <= params) {
            return "only " + d.n() + " observations for " + params + " parameters (" + d.p() + " fixed-effects coefficients, "
                    + (params - d.p() - 1) + " variance parameters and the residual variance); the model is not identifiable";
        }
        for (org.varpart.design.ReTerm t : d.terms()) {
            if (t.levels() >= d.n()) {
                return "the grouping factor '" + t.group() + "' has " + t.levels() + " levels for " + d.n()
                        + " observations; its variance cannot be told apart from the residual variance";
            }
        }
        return null;
    }
}
