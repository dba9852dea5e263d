package org.varpart.job;

import org.varpart.counts.WeightedFit;
import org.varpart.design.Design;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.FeatureResult;
import org.varpart.stats.FractionBootstrap;
import org.varpart.stats.VarianceFractions;

/**
 * Confidence intervals of the fractions of a weighted fit (a counts assay, or a log-scale assay
 * with precision weights): the parametric bootstrap of {@link FractionBootstrap} on the model
 * scaled by √w ({@link WeightedFit#scaled}), where a replicate's residuals σ̂z' are, on the scale
 * of y, draws of variance σ̂²/wᵢ, and each refit is the weighted model's fit. The fractions of
 * every replicate are the weighted model's ({@link VarianceFractions#compute(Design, FitResult, double[])}
 * on the original design). {@code logit_basic} starts from dream's weighted REML fit with REML
 * refits, {@code percentile} from the weighted ML fit with ML refits, as for a log-scale assay;
 * the seed is the feature's, as there.
 */
final class CountsIntervals {
    private CountsIntervals() {}

    /**
     * The intervals of one weighted feature.
     *
     * @param design the design on the original scale
     * @param w the weights as given (rescaled to mean 1 here, as the fits do)
     * @param ml the weighted ML fit (with estimates)
     * @param reml dream's weighted REML fit of the same data, used by {@code logit_basic} when it has estimates
     */
    static FeatureResult.Intervals of(Design design, double[] y, double[] w, FitResult ml, FitResult reml, IntervalSettings s,
                                      String assay, String feature) {
        double[] wr = WeightedFit.rescale(w);
        Design scaled = WeightedFit.scaled(design, y, wr);
        boolean fromReml = s.method() == FractionBootstrap.Method.LOGIT_BASIC && reml.status().hasEstimates();
        FitOptions options = (fromReml ? FitOptions.remlDefaults() : FitOptions.mlDefaults()).withoutConditionalVariances();
        return FeatureIntervals.of(s, () -> FractionBootstrap.runWeighted(new BlockFitter(scaled, options), fromReml ? reml : ml,
                s.replicates(), s.featureSeed(assay, feature), r -> VarianceFractions.compute(design, r, wr)));
    }
}
