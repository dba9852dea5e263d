package org.varpart.job;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.commons.math3.exception.util.ExceptionContextProvider;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitResult;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.FractionBootstrap;

/**
 * The per-feature step's confidence intervals: a parametric bootstrap of the feature's fit on its
 * own design ({@link FractionBootstrap}: the same observations, hence its missingness pattern,
 * and the same criterion), seeded from the run's seed, the assay and the feature ID, so that the
 * interval does not depend on the partition, the task attempt or the order of features.
 */
final class FeatureIntervals {
    /**
     * The REML fitter of each (ML) fitter's design, for {@link FractionBootstrap.Method#LOGIT_BASIC};
     * weak keys, so it goes with its pattern. A fitter is used by one thread, and so is its REML twin.
     */
    private static final Map<BlockFitter, BlockFitter> REML = Collections.synchronizedMap(new WeakHashMap<>());

    private FeatureIntervals() {}

    /**
     * The intervals of one fitted feature. A numerical failure of the bootstrap leaves the fit's
     * numbers and says why the intervals are missing; refits without estimates are counted in the
     * note and left out of the intervals.
     */
    static FeatureResult.Intervals of(BlockFitter fitter, FitResult fit, double[] y, IntervalSettings s, String assay, String feature) {
        return of(s, () -> {
            BlockFitter reml = fitter.options().reml() ? fitter : REML.computeIfAbsent(fitter,
                    f -> new BlockFitter(f.design(), f.options().withReml(true)));
            return FractionBootstrap.run(s.method(), fitter, reml, fit, y, s.replicates(), s.featureSeed(assay, feature));
        });
    }

    /** The intervals of a bootstrap that {@code run} performs, or why they are missing. */
    static FeatureResult.Intervals of(IntervalSettings s, java.util.function.Supplier<FractionBootstrap.Result> run) {
        FractionBootstrap.Result b;
        try {
            b = run.get();
        } catch (RuntimeException e) {
            if (!(e instanceof ExceptionContextProvider)) throw e;
            return new FeatureResult.Intervals(null, "intervals not computed: numerical failure: " + e.getMessage());
        }
        String note = b.usable() < b.replicates()
                ? String.format(Locale.ROOT, "bootstrap: %d of %d refits failed", b.replicates() - b.usable(), b.replicates()) : "";
        return new FeatureResult.Intervals(b.intervals(s.level(), s.method()), note);
    }
}
