package org.varpart.lmm;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.util.ExceptionContextProvider;
import org.varpart.design.Design;

/**
 * Fits many responses that share one design (the same observations, X and random-effects
 * terms), as the per-feature job does for all features of one assay with the same missingness
 * pattern. Everything that does not depend on y — the checks of the design, the structure and
 * the cross-products of Z and X, the per-count sums of {@link SchurObjective} — is done once in
 * the constructor; each {@link #fit} computes the products with y once
 * ({@link ResponseStatistics}), hands them to the start, the criterion and the model, and
 * optimises θ (docs/model.md#shared-design).
 * {@link MixedModel#fit} is this class used for a single response, so both give the same numbers.
 * Not thread-safe: use one instance per thread.
 */
public final class BlockFitter {
    private final Design design;
    private final FitOptions options;
    private final DesignProblem designProblem;
    private final LmmModel model;
    private final SchurObjective schur;
    private final MomentStart start;
    private final ResponseShift shift;
    /** The last response {@link #fitFrom} shifted and its shifted statistics, for {@link #shifted}. */
    private ResponseStatistics lastResponse, lastShifted;

    /** @param design the shared design; its own response is only a default */
    public BlockFitter(Design design, FitOptions options) {
        this.design = design;
        this.options = options;
        this.designProblem = MixedModel.checkDesign(design);
        this.model = designProblem == null ? new LmmModel(design) : null;
        // the Schur complement where it has an analytic gradient (every later term scalar), else the blocked Cholesky
        SchurObjective so = designProblem == null ? SchurObjective.forDesign(model) : null;
        this.schur = so != null && so.hasGradient() ? so : null;
        this.start = designProblem == null ? new MomentStart(design) : null;
        this.shift = designProblem == null ? new ResponseShift(design, model.xtx()) : null;
    }

    private BlockFitter(BlockFitter other, FitOptions options) {
        this.design = other.design;
        this.options = options;
        this.designProblem = other.designProblem;
        this.model = other.model;
        this.schur = other.schur;
        this.start = other.start;
        this.shift = other.shift;
    }

    /**
     * A fitter of the same design with other options (ML against REML), sharing this one's
     * structure, cross-products and model: nothing of the design is recomputed, so a design fitted
     * once by each criterion (a weighted feature's two fits) pays for its set-up once. The two
     * share state: use them one after the other, on one thread.
     */
    public BlockFitter withOptions(FitOptions other) {
        return new BlockFitter(this, other);
    }

    /**
     * A {@link ThetaProbe} of this fitter's design on its own model and Schur complement (left
     * at whatever response they were last given), for the Satterthwaite derivatives of a fit it
     * made without building the design's structure again. Shares state with the fitter.
     */
    public ThetaProbe probe() {
        if (designProblem != null) throw new IllegalStateException("the design cannot be fitted: " + designProblem.message());
        return new ThetaProbe(model, schur);
    }

    /**
     * Fits one response (values for the design's observations, in order). Never throws for bad
     * data: problems come back as a status with a message.
     */
    public FitResult fit(String name, double[] y) {
        return fit(name, ResponseStatistics.of(design, y));
    }

    /**
     * Fits one response given by its statistics on this design ({@link ResponseStatistics#of}),
     * so that the caller can hand the same statistics to the tests.
     */
    public FitResult fit(String name, ResponseStatistics response) {
        return fitFrom(name, response, null);
    }

    /**
     * Fits one response with the optimiser started at {@code theta} (θ in lme4's layout, e.g. an
     * earlier fit's θ̂ for a response simulated from it) rather than at the moment-based start;
     * entries below their lower bound are raised to it. The optimum is the same up to the
     * optimiser's tolerance; only the path to it differs.
     */
    public FitResult fit(String name, double[] y, double[] theta) {
        if (designProblem == null && theta.length != model.lowerBounds().length) {
            throw new IllegalArgumentException("the start has " + theta.length + " entries, θ has " + model.lowerBounds().length);
        }
        return fitFrom(name, ResponseStatistics.of(design, y), theta.clone());
    }

    /**
     * {@link #fit(String, double[], double[])} for a response given by its statistics on this
     * design, so that the caller can share them (the reduced models of the component tests start
     * from the full fit's θ̂ and reuse its statistics).
     */
    public FitResult fit(String name, ResponseStatistics response, double[] theta) {
        if (designProblem == null && theta.length != model.lowerBounds().length) {
            throw new IllegalArgumentException("the start has " + theta.length + " entries, θ has " + model.lowerBounds().length);
        }
        return fitFrom(name, response, theta.clone());
    }

    private FitResult fitFrom(String name, ResponseStatistics response, double[] theta) {
        double[] y = response.y();
        String crit = options.criterion();
        if (designProblem != null) return FitResult.without(designProblem.status(), designProblem.message(), crit, design.n());
        if (y.length != design.n() || response.xty().length != design.p() || response.zty().length != design.terms().size()) {
            throw new IllegalArgumentException("the statistics of response " + name + " are not of this design");
        }
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
        // the fit sees y − Xb₀ (same criterion, far less rounding in r²); b₀ is added back at the end
        double[] b0 = shift.coefficients(response);
        ResponseStatistics shifted = shift.shifted(response, b0);
        lastResponse = response;
        lastShifted = shifted;
        model.setResponse(shifted);
        boolean reml = options.reml();
        if (schur != null) schur.setResponse(shifted);
        ToDoubleFunction<double[]> objective = Refit.objective(model, schur, reml);
        ThetaOptimizer.Gradient gradient = Refit.gradient(model, schur, reml);
        try {
            double[] from = theta == null ? start.start(shifted, shift.projects()) : theta;
            double[] lower = model.lowerBounds();
            for (int i = 0; i < from.length; i++) from[i] = Math.max(from[i], lower[i]);
            FitResult r = MixedModel.fit(objective, gradient, model, options, from);
            return shift.restore(r, b0);
        } catch (RuntimeException e) {
            // the optimiser library's numerical failures (its exceptions carry an ExceptionContext)
            // are a status of the feature; anything else is a bug and propagates
            if (!(e instanceof ExceptionContextProvider)) throw e;
            return FitResult.without(FitStatus.FAILED, "numerical failure: " + e, crit, design.n());
        }
    }

    /**
     * Refits a parametric bootstrap replicate y* = Xβ₀ + e, given as e, from {@code theta}:
     * θ̂, β̂ and σ̂² only ({@link Refit}), by the same criterion and optimiser as {@link #fit}.
     */
    public Refit.Estimates refit(double[] e, double[] theta, double[] beta0) {
        if (designProblem != null) throw new IllegalStateException("the design cannot be fitted: " + designProblem.message());
        if (e.length != design.n() || theta.length != model.lowerBounds().length || beta0.length != design.p()) {
            throw new IllegalArgumentException("the replicate, start or β₀ is not of this design");
        }
        return Refit.of(this, schur, e, theta, beta0);
    }

    /**
     * The statistics of y − Xb₀ that {@link #fit} optimises on, b₀ the least-squares
     * coefficients ({@link ResponseShift}); those of the last fitted response are kept, not summed
     * again. A design with fewer random-effects terms but the same X has the same b₀, so
     * {@link ResponseStatistics#restrict} of these are its own shifted statistics, bit for bit.
     */
    public ResponseStatistics shifted(ResponseStatistics response) {
        if (designProblem != null) throw new IllegalStateException("the design cannot be fitted: " + designProblem.message());
        if (response == lastResponse) return lastShifted;
        return shift.shifted(response, shift.coefficients(response));
    }

    /**
     * The minimum of the criterion alone, from {@code theta}, for statistics already shifted as
     * {@link #shifted} shifts them: the value {@link #fit} reports as its objective for the same
     * response and start, without the estimates, conditional modes and fitted values a full
     * result builds ({@link Refit#minimum}). NaN where the design or the optimiser fails.
     */
    public double minimum(ResponseStatistics shifted, double[] theta) {
        if (designProblem != null) return Double.NaN;
        if (theta.length != model.lowerBounds().length || shifted.zty().length != design.terms().size()) {
            throw new IllegalArgumentException("the start or the statistics are not of this design");
        }
        return Refit.minimum(this, schur, shifted, theta);
    }

    /**
     * The model of the shared design, left at the last fit's θ̂ and response; the tests of a fit
     * ({@code stats}) reuse its structure.
     */
    public LmmModel model() {
        return model;
    }

    /** Why this design cannot be fitted, or null. */
    public DesignProblem designProblem() {
        return designProblem;
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
