package org.varpart.stats;

import java.util.List;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.FitStatus;

/**
 * Everything the job reports for one feature, without Spark: the feature, the observations used
 * and one {@link Outcome}. {@code io.FeatureRows} turns it into the row of
 * {@code io.OutputSchemas.FEATURE}, the one place where results meet Spark.
 *
 * @param assay the assay's name
 * @param feature the feature's ID
 * @param nObs observations used (0 when the feature was not read or every value is missing)
 */
public record FeatureResult(String assay, String feature, int nObs, Outcome outcome) {

    /** The outcome of one feature: fitted, skipped with a reason, or failed with a message. */
    public sealed interface Outcome permits Fitted, Skipped, Failed {}

    /**
     * A fit with estimates (status ok, singular or not_converged), its variance fractions, its
     * tests and, when the run asks for them, the fractions' intervals (null otherwise).
     */
    public record Fitted(FitResult fit, List<VarianceFractions.Component> fractions, Tests tests, Intervals intervals) implements Outcome {
        public Fitted {
            if (!fit.status().hasEstimates()) throw new IllegalArgumentException("a fit without estimates: " + fit.status());
        }

        /** Without intervals. */
        public Fitted(FitResult fit, List<VarianceFractions.Component> fractions, Tests tests) {
            this(fit, fractions, tests, null);
        }

        /** The same fit with the given intervals. */
        public Fitted withIntervals(Intervals i) {
            return new Fitted(fit, fractions, tests, i);
        }
    }

    /**
     * The bootstrap intervals of a fitted feature's fractions ({@link FractionBootstrap}).
     *
     * @param intervals one per fraction, in the fractions' order; null when the bootstrap failed
     * @param note what to add to the feature's message ("" when nothing)
     */
    public record Intervals(List<FractionBootstrap.Interval> intervals, String note) {}

    /** Not fitted because there is nothing to fit: a constant response or too few observations. */
    public record Skipped(FitStatus status, String reason) implements Outcome {
        public Skipped {
            if (status != FitStatus.SKIPPED_CONSTANT && status != FitStatus.SKIPPED_TOO_FEW) {
                throw new IllegalArgumentException("not a skipped status: " + status);
            }
        }
    }

    /** The feature could not be read or fitted; the message says why. */
    public record Failed(String message) implements Outcome {}

    /** The tests of a fitted feature: computed, not asked for, or failed with a message. */
    public sealed interface Tests permits Tested, NotRequested, TestsFailed {}

    /** The tests were computed. */
    public record Tested(Significance significance) implements Tests {}

    /** The run did not ask for tests ({@code tests = false}). */
    public record NotRequested() implements Tests {}

    /** A numerical problem stopped the tests; the fit's numbers stand. */
    public record TestsFailed(String message) implements Tests {}

    /** The outcome of a fit: fitted with fractions and the given tests, or skipped or failed as its status says. */
    public static Outcome outcomeOf(FitResult fit, java.util.function.Supplier<List<VarianceFractions.Component>> fractions,
                                    java.util.function.Supplier<Tests> tests) {
        return switch (fit.status()) {
            case OK, SINGULAR, NOT_CONVERGED -> new Fitted(fit, fractions.get(), tests.get());
            case SKIPPED_CONSTANT, SKIPPED_TOO_FEW -> new Skipped(fit.status(), fit.message());
            case FAILED -> new Failed(fit.message());
        };
    }
}
