package org.varpart.lmm;

import java.util.function.ToDoubleFunction;
import org.varpart.design.Design;

/**
 * Fits many responses that share one design (the same observations, X and random-effects
 * terms), as the per-feature job does for all features of one assay with the same missingness
 * pattern. Everything that does not depend on y — the checks of the design, the structure and
 * the cross-products of Z and X, the per-count sums of {@link SchurObjective} — is done once in
 * the constructor; each {@link #fit} adds only the products with y and optimises θ.
 * {@link MixedModel#fit} is this class used for a single response, so both give the same numbers.
 * Not thread-safe: use one instance per thread.
 */
public final class BlockFitter {
    private final Design design;
    private final FitOptions options;
    private final String designProblem;
    private final LmmModel model;
    private final SchurObjective schur;
    private final MomentStart start;
    private final ResponseShift shift;

    /** @param design the shared design; its own response is only a default */
    public BlockFitter(Design design, FitOptions options) {
        this.design = design;
        this.options = options;
        this.designProblem = MixedModel.checkDesign(design);
        this.model = designProblem == null ? new LmmModel(design) : null;
        this.schur = designProblem == null ? SchurObjective.forDesign(design) : null;
        this.start = designProblem == null ? new MomentStart(design) : null;
        this.shift = designProblem == null ? new ResponseShift(design) : null;
    }

    /**
     * Fits one response (values for the design's observations, in order). Never throws for bad
     * data: problems come back as a status with a message.
     */
    public FitResult fit(String name, double[] y) {
        String crit = options.criterion();
        if (designProblem != null) {
            FitStatus st = designProblem.startsWith("!") ? FitStatus.FAILED : FitStatus.SKIPPED_TOO_FEW;
            return FitResult.without(st, designProblem.replaceFirst("^!", ""), crit, design.n());
        }
        if (y.length != design.n()) throw new IllegalArgumentException("response " + name + " has " + y.length + " values, the design " + design.n());
        for (double v : y) {
            if (!Double.isFinite(v)) {
                return FitResult.without(FitStatus.FAILED, "the response has a non-finite value (" + v
                        + "); mark missing values as NA", crit, design.n());
            }
        }
        if (MixedModel.isConstant(y)) {
            return FitResult.without(FitStatus.SKIPPED_CONSTANT, "the response is constant (every value is "
                    + y[0] + "); there is no variance to partition", crit, design.n());
        }
        String scale = scaleProblem(y);
        if (scale != null) return FitResult.without(FitStatus.FAILED, scale, crit, design.n());
        try {
            double[] b0 = shift.coefficients(y);
            double[] yShifted = shift.shifted(y, b0);
            model.setResponse(yShifted);
            boolean reml = options.reml();
            ToDoubleFunction<double[]> objective;
            if (schur != null) {
                schur.setResponse(yShifted);
                objective = th -> schur.objective(th, reml);
            } else {
                objective = th -> model.objective(th, reml);
            }
            FitResult r = MixedModel.fit(objective, model, options, start.start(y, model.start()));
            return shift.restore(r, b0);
        } catch (RuntimeException e) {
            return FitResult.without(FitStatus.FAILED, "numerical failure: " + e, crit, design.n());
        }
    }

    /**
     * Why the response cannot be fitted in double precision, or null: its squares (the sums of
     * squares every criterion is made of) must neither overflow nor vanish.
     */
    static String scaleProblem(double[] y) {
        double mean = 0;
        for (double v : y) mean += v / y.length;
        double spread = 0;
        for (double v : y) spread = Math.max(spread, Math.abs(v - mean));
        if (!Double.isFinite(mean) || !(spread * spread * y.length < Double.MAX_VALUE)) {
            return "numerical failure: the values are too large for sums of squares in double precision (they spread over "
                    + (Double.isFinite(spread) ? spread : "more than 1e308") + "); rescale the feature, e.g. take logs";
        }
        if (spread * spread < Double.MIN_NORMAL) {
            return "numerical failure: the values differ by too little for sums of squares in double precision (they spread over "
                    + spread + "); rescale the feature";
        }
        return null;
    }

    public Design design() {
        return design;
    }

    public FitOptions options() {
        return options;
    }
}
