package org.varpart.job;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.io.FeatureRow;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.Significance;
import org.varpart.stats.VarianceFractions;

/**
 * The per-partition step: fits every feature of a partition and returns one result row each
 * (schema {@code OutputSchemas.FEATURE}). Features with the same missingness pattern share a
 * {@link BlockFitter}: the complete pattern uses the design broadcast from the driver, other
 * patterns get a design of their own, built once per partition and pattern. Nothing thrown for
 * one feature escapes: it becomes that feature's status row.
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
        Fitters fitters = new Fitters(m);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return features.hasNext();
            }

            @Override
            public Row next() {
                Row r = fit(m, fitters, features.next());
                if (done != null) done.add(1);
                return r;
            }
        };
    }

    /** The fitter of each missingness pattern met in this task (or why the pattern cannot be fitted). */
    static final class Fitters {
        private final AssayModel m;
        private final BlockFitter complete;
        private final Map<BitSet, Object> byPattern = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<BitSet, Object> e) {
                return size() > PATTERN_CACHE;
            }
        };

        Fitters(AssayModel m) {
            this.m = m;
            this.complete = m.complete() == null ? null : new BlockFitter(m.complete(), m.options());
        }

        /** A BlockFitter, or the message saying why this pattern has no design. */
        Object forPattern(BitSet missing, double[] y) {
            if (missing.isEmpty() && complete != null) return complete;
            return byPattern.computeIfAbsent((BitSet) missing.clone(), k -> {
                try {
                    Design d = DesignBuilder.build(m.spec(), m.samples(), VarPartJob.RESPONSE, y);
                    return new BlockFitter(d, m.options());
                } catch (RuntimeException e) {
                    return e.getMessage().replace('\n', ' ');
                }
            });
        }
    }

    /** The result row of one feature. */
    static Row fit(AssayModel m, Fitters fitters, FeatureRow f) {
        try {
            if (f.problem() != null) return failed(m, f.id(), FitStatus.FAILED, "cannot read the feature: " + f.problem(), 0);
            int n = m.columns().length;
            double[] y = new double[n];
            BitSet missing = new BitSet(n);
            for (int i = 0; i < n; i++) {
                y[i] = f.values()[m.columns()[i]];
                if (Double.isNaN(y[i])) missing.set(i);
            }
            if (missing.cardinality() == n) return failed(m, f.id(), FitStatus.SKIPPED_TOO_FEW, "every value is missing", 0);
            Object fitter = fitters.forPattern(missing, y);
            if (fitter instanceof String why) {
                return failed(m, f.id(), FitStatus.SKIPPED_TOO_FEW, why, n - missing.cardinality());
            }
            BlockFitter bf = (BlockFitter) fitter;
            Design d = bf.design();
            String unidentifiable = unidentifiable(d);
            if (unidentifiable != null) return failed(m, f.id(), FitStatus.SKIPPED_TOO_FEW, unidentifiable, d.n());
            double[] ys = new double[d.n()];
            for (int i = 0; i < ys.length; i++) ys[i] = y[d.row(i)];
            FitResult r = bf.fit(f.id(), ys);
            Design dy = d.withResponse(f.id(), ys);
            Significance tests = m.tests() && r.status().hasEstimates() ? significance(dy, r, m) : null;
            return row(m.assay(), f.id(), dy, r, tests);
        } catch (RuntimeException e) {
            return failed(m, f.id(), FitStatus.FAILED, "unexpected error: " + e, 0);
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

    /** The tests of one fit; a numerical problem with them leaves the fit's numbers and drops only the tests. */
    private static Significance significance(Design d, FitResult r, AssayModel m) {
        try {
            return Significance.compute(d, r, m.options());
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Row row(String assay, String id, Design d, FitResult r, Significance tests) {
        List<Row> fractions = new ArrayList<>();
        List<Row> fixed = new ArrayList<>();
        List<Row> terms = new ArrayList<>();
        List<Row> components = new ArrayList<>();
        if (r.status().hasEstimates()) {
            for (VarianceFractions.Component c : VarianceFractions.compute(d, r)) {
                fractions.add(RowFactory.create(c.name(), c.variance(), c.fraction()));
            }
            for (int j = 0; j < r.beta().length; j++) {
                Satterthwaite.TTest t = tests == null ? null : tests.coefficients().get(j);
                fixed.add(RowFactory.create(r.fixedNames()[j], r.beta()[j], r.stdError(j),
                        t == null ? null : number(t.df()), t == null ? null : number(t.t()), t == null ? null : number(t.p())));
            }
            if (tests != null) {
                for (Satterthwaite.FTest t : tests.terms()) {
                    terms.add(RowFactory.create(t.term(), t.numDf(), number(t.denDf()), number(t.f()), number(t.p())));
                }
                for (RandomTermTests.Test t : tests.components()) {
                    components.add(RowFactory.create(t.component(), number(t.statistic()), t.df(), number(t.pValue())));
                }
            }
        }
        return RowFactory.create(assay, id, r.nObs(), r.status().label(), r.message(), number(r.objective()),
                number(r.logLikelihood()), number(r.aic()), number(r.bic()), r.evaluations(), r.converged(), r.singular(),
                seq(fractions), seq(fixed), seq(terms), seq(components));
    }

    /** Spark's row encoder takes arrays as Scala sequences. */
    private static scala.collection.Seq<Row> seq(List<Row> rows) {
        return scala.collection.JavaConverters.asScalaBuffer(rows).toList();
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Row failed(AssayModel m, String id, FitStatus status, String message, int nObs) {
        return RowFactory.create(m.assay(), id, nObs, status.label(), message, null, null, null, null, 0, false, false,
                seq(List.of()), seq(List.of()), seq(List.of()), seq(List.of()));
    }
}
