package org.varpart.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.FractionBootstrap;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.Significance;
import org.varpart.stats.VarianceFractions;

/**
 * The one place where a {@link FeatureResult} becomes a Spark row, of schema
 * {@link OutputSchemas#FEATURE} and its nested {@link OutputSchemas#FRACTION},
 * {@link OutputSchemas#COEFFICIENT}, {@link OutputSchemas#TERM_TEST} and
 * {@link OutputSchemas#COMPONENT_TEST}; the fields are written in the schemas' order. A number
 * that is not finite is written as null.
 */
public final class FeatureRows {
    private FeatureRows() {}

    /** The row of one feature. */
    public static Row row(FeatureResult r) {
        if (r.outcome() instanceof FeatureResult.Fitted f) return fitted(r, f);
        if (r.outcome() instanceof FeatureResult.Skipped s) return withoutFit(r, s.status(), s.reason());
        return withoutFit(r, FitStatus.FAILED, ((FeatureResult.Failed) r.outcome()).message());
    }

    private static Row fitted(FeatureResult r, FeatureResult.Fitted f) {
        FitResult fit = f.fit();
        List<Row> fractions = new ArrayList<>();
        List<FractionBootstrap.Interval> ci = f.intervals() == null ? null : f.intervals().intervals();
        for (int k = 0; k < f.fractions().size(); k++) {
            VarianceFractions.Component c = f.fractions().get(k);
            Double lo = ci == null ? null : number(ci.get(k).lower()), hi = ci == null ? null : number(ci.get(k).upper());
            fractions.add(RowFactory.create(c.name(), c.variance(), c.fraction(), lo, hi));
        }
        Significance tests = f.tests() instanceof FeatureResult.Tested t ? t.significance() : null;
        List<Row> fixed = new ArrayList<>();
        for (int j = 0; j < fit.beta().length; j++) {
            Double df = null, tv = null, p = null;
            if (tests != null) {
                Satterthwaite.TTest t = tests.coefficients().get(j);
                df = number(t.df());
                tv = number(t.t());
                p = number(t.p());
            }
            fixed.add(RowFactory.create(fit.fixedNames()[j], fit.beta()[j], fit.stdError(j), df, tv, p));
        }
        List<Row> terms = new ArrayList<>();
        List<Row> components = new ArrayList<>();
        if (tests != null) {
            for (Satterthwaite.FTest t : tests.terms()) {
                terms.add(RowFactory.create(t.term(), t.numDf(), number(t.denDf()), number(t.f()), number(t.p())));
            }
            for (RandomTermTests.Test t : tests.components()) {
                components.add(RowFactory.create(t.component(), number(t.statistic()), t.df(), number(t.pValue())));
            }
        }
        String message = fit.message();
        if (f.tests() instanceof FeatureResult.TestsFailed failed) {
            message = (message.isEmpty() ? "" : message + "; ") + "tests not computed: " + failed.message();
        }
        if (f.intervals() != null && !f.intervals().note().isEmpty()) {
            message = (message.isEmpty() ? "" : message + "; ") + f.intervals().note();
        }
        return RowFactory.create(r.assay(), r.feature(), r.nObs(), fit.status().label(), message, number(fit.objective()),
                number(fit.logLikelihood()), number(fit.aic()), number(fit.bic()), fit.evaluations(), fit.converged(),
                fit.singular(), seq(fractions), seq(fixed), seq(terms), seq(components));
    }

    private static Row withoutFit(FeatureResult r, FitStatus status, String message) {
        return RowFactory.create(r.assay(), r.feature(), r.nObs(), status.label(), message, null, null, null, null, 0, false,
                false, seq(List.of()), seq(List.of()), seq(List.of()), seq(List.of()));
    }

    /** Spark's row encoder takes arrays as Scala sequences. */
    private static scala.collection.Seq<Row> seq(List<Row> rows) {
        return scala.collection.JavaConverters.asScalaBuffer(rows).toList();
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
