package org.varpart.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.varpart.counts.Contrast;
import org.varpart.counts.DreamFit;
import org.varpart.counts.LogCpm;
import org.varpart.counts.VoomFirstPass;
import org.varpart.counts.VoomTrend;
import org.varpart.design.Design;
import org.varpart.io.FeatureRow;
import org.varpart.io.FeatureRows;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.VarianceFractions;
import org.varpart.stats.SqueezeVar;
import scala.Tuple2;

/**
 * The per-feature work of a counts assay's two fitting passes, run inside Spark tasks: the first,
 * unweighted ML fit of the log-CPM (voom's mean and σ̂, the fitted values), and, once the trend is
 * known, the weighted ML fit (the fractions, {@link VarianceFractions} with weights) and dream's weighted REML
 * fit with its Satterthwaite tests and residual df ({@link DreamFit}). What leaves a task is
 * serialisable and holds only what the later passes need.
 */
final class CountsFits {
    private CountsFits() {}

    /** A feature after the first pass: its counts, and its voom point and fitted values (null when the fit failed). */
    record First(String feature, double[] counts, double meanLogCpm, double sigma, double[] fitted, boolean usable, boolean use)
            implements Serializable {
        Point point() {
            return new Point(feature, meanLogCpm, Math.sqrt(sigma), use);
        }
    }

    /** What the trend needs of a feature: its mean log-CPM, √σ̂ and whether it enters the fit. */
    record Point(String feature, double meanLogCpm, double sqrtSd, boolean use) implements Serializable {}

    /**
     * What the run asks of every weighted fit beyond the fractions and dream's t tests: the F tests
     * of the fixed terms and the component tests ({@code tests}), and the fractions' intervals ({@code ci}).
     */
    record Settings(boolean termTests, IntervalSettings intervals) implements Serializable {
        static Settings of(JobConfig cfg) {
            return new Settings(cfg.tests(), IntervalSettings.of(cfg));
        }
    }

    /** A test of a coefficient or contrast of dream's fit. */
    record Test(String name, boolean contrast, double estimate, double stdError, double df, double t, double p) implements Serializable {}

    /**
     * A feature after the weighted pass: its row of the per-feature results (fit and fractions of
     * the weighted ML fit, fixed effects and tests of dream's REML fit), dream's σ̂² and residual
     * df, and the tests to moderate.
     */
    record Weighted(String feature, Row row, double sigma2, double residualDf, ArrayList<Test> tests, boolean usable)
            implements Serializable {}

    static Iterator<First> firstPass(Iterator<Tuple2<String, double[]>> features, Design design, double[] lib) {
        BlockFitter fitter = new BlockFitter(design, FitOptions.mlDefaults().withoutConditionalVariances());
        List<First> out = new ArrayList<>();
        features.forEachRemaining(t -> {
            double[] y = LogCpm.of(t._2(), lib);
            VoomFirstPass v = VoomFirstPass.of(y, fitter.fit(VarPartJob.RESPONSE, y));
            double total = 0;
            for (double c : t._2()) total += c;
            out.add(new First(t._1(), t._2(), v.meanLogCpm(), v.sigma(), v.fitted(), v.usable(), v.usable() && total > 0));
        });
        return out.iterator();
    }

    /** The weighted pass of a counts feature: its weights from voom's trend and its fitted values; a failed row when the first pass had no estimates. */
    static Weighted weightedOne(First f, String assay, Design design, double[] lib, VoomTrend trend, List<Contrast> contrasts, Settings settings) {
        if (!f.usable()) {
            Row row = FeatureRows.row(new FeatureResult(assay, f.feature(), design.n(), new FeatureResult.Failed(
                    "voom's first, unweighted fit has no estimates, so the feature has no precision weights")));
            return new Weighted(f.feature(), row, Double.NaN, Double.NaN, new ArrayList<>(), false);
        }
        double[] y = LogCpm.of(f.counts(), lib);
        return weighted(assay, f.feature(), design, y, trend.weights(f.fitted(), lib), contrasts, settings);
    }

    /**
     * The weighted pass of a feature of a log-scale assay with the user's precision weights: its
     * values and weights in the model's sample order; a {@code failed} row when its values cannot
     * be read or miss a sample.
     */
    static Weighted userWeightedOne(String feature, FeatureRow y, double[] w, String assay, Design design, List<Contrast> contrasts,
                                    Settings settings) {
        String problem = y.problem();
        if (problem == null) {
            for (double v : y.values()) {
                if (!Double.isFinite(v)) {
                    problem = "a value is missing or not finite; an assay with precision weights needs a value in every sample the model uses";
                    break;
                }
            }
        }
        if (problem != null) {
            Row row = FeatureRows.row(new FeatureResult(assay, feature, design.n(), new FeatureResult.Failed(problem)));
            return new Weighted(feature, row, Double.NaN, Double.NaN, new ArrayList<>(), false);
        }
        return weighted(assay, feature, design, y.values(), w, contrasts, settings);
    }

    /**
     * One feature's weighted ML fit (the fractions) and dream's weighted REML fit (tests, residual
     * df; with the run's tests on, the F tests of the fixed terms and the component tests too;
     * with {@code ci = true}, the fractions' intervals, {@link CountsIntervals}).
     */
    static Weighted weighted(String assay, String feature, Design design, double[] y, double[] w, List<Contrast> contrasts,
                             Settings settings) {
        int n = design.n();
        DreamFit.Both both = DreamFit.fitBoth(design, y, w, contrasts, FitOptions.mlDefaults().withoutConditionalVariances(),
                FitOptions.remlDefaults().withoutConditionalVariances(), settings.termTests());
        FitResult ml = both.ml();
        DreamFit.Result dream = both.dream();
        FeatureResult.Outcome outcome = FeatureResult.outcomeOf(ml, () -> VarianceFractions.compute(design, ml, w),
                FeatureResult.NotRequested::new);
        if (settings.intervals().enabled() && outcome instanceof FeatureResult.Fitted fitted) {
            outcome = fitted.withIntervals(CountsIntervals.of(design, y, w, ml, dream.fit(), settings.intervals(), assay, feature));
        }
        Row row = FeatureRows.row(new FeatureResult(assay, feature, n, outcome));
        ArrayList<Test> tests = new ArrayList<>();
        List<Row> coefficients = new ArrayList<>();
        for (DreamFit.Test t : dream.tests()) {
            tests.add(new Test(t.name(), t.contrast(), t.estimate(), t.stdError(), t.df(), t.t(), t.p()));
            if (!t.contrast()) {
                coefficients.add(RowFactory.create(t.name(), t.estimate(), t.stdError(), number(t.df()), number(t.t()), number(t.p())));
            }
        }
        if (outcome instanceof FeatureResult.Fitted) {
            row = withFixedEffects(row, coefficients);
            row = withTests(row, dream);
        }
        boolean usable = dream.fit().status().hasEstimates() && SqueezeVar.usable(dream.fit().sigma2(), dream.residualDf());
        if (!dream.fit().status().hasEstimates() && outcome instanceof FeatureResult.Fitted) {
            row = withMessage(row, "dream's weighted REML fit has no estimates: " + String.join("; ", dream.fit().messages()));
        }
        return new Weighted(feature, row, dream.fit().sigma2(), dream.residualDf(), tests, usable);
    }

    /** The skipped row of a feature that filterByExpr leaves out. */
    static Row lowCounts(String assay, String feature, int n) {
        Row r = FeatureRows.row(new FeatureResult(assay, feature, n, new FeatureResult.Skipped(FitStatus.SKIPPED_TOO_FEW, "x")));
        Object[] v = values(r);
        v[3] = "skipped_low_counts";
        v[4] = "too few reads for filterByExpr (edgeR's rule with the fixed part's design)";
        return RowFactory.create(v);
    }

    /** The row with dream's coefficients as its fixed effects (field 13 of the per-feature schema). */
    private static Row withFixedEffects(Row r, List<Row> coefficients) {
        Object[] v = values(r);
        v[13] = scala.collection.JavaConverters.asScalaBuffer(coefficients).toList();
        return RowFactory.create(v);
    }

    /** The row with dream's F tests of the fixed terms and its component tests (fields 14 and 15). */
    private static Row withTests(Row r, DreamFit.Result dream) {
        List<Row> terms = new ArrayList<>(), components = new ArrayList<>();
        for (Satterthwaite.FTest t : dream.terms()) {
            terms.add(RowFactory.create(t.term(), t.numDf(), number(t.denDf()), number(t.f()), number(t.p())));
        }
        for (RandomTermTests.Test t : dream.components()) {
            components.add(RowFactory.create(t.component(), number(t.statistic()), t.df(), number(t.pValue())));
        }
        Object[] v = values(r);
        v[14] = scala.collection.JavaConverters.asScalaBuffer(terms).toList();
        v[15] = scala.collection.JavaConverters.asScalaBuffer(components).toList();
        return RowFactory.create(v);
    }

    private static Row withMessage(Row r, String message) {
        Object[] v = values(r);
        v[4] = ((String) v[4]).isEmpty() ? message : v[4] + "; " + message;
        return RowFactory.create(v);
    }

    private static Object[] values(Row r) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        return v;
    }

    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
