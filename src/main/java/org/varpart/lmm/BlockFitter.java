package org.varpart.lmm;

import org.varpart.design.Design;

/**
 * Fits many responses that share one design (the same samples, X and random-effects terms), as
 * the per-feature job does for all features of one assay with the same missingness pattern.
 * Results are identical to {@link MixedModel#fit} on {@code design.withResponse(...)} for each
 * response; this class is where the shared-design work (structure once, y-dependent products
 * per block) lives.
 */
public final class BlockFitter {
    private final Design design;
    private final FitOptions options;

    /** @param design the shared design; its own response is ignored */
    public BlockFitter(Design design, FitOptions options) {
        this.design = design;
        this.options = options;
    }

    /** Fits one response (values for the design's observations, in order). Never throws for bad data. */
    public FitResult fit(String name, double[] y) {
        return MixedModel.fit(design.withResponse(name, y), options);
    }

    public Design design() {
        return design;
    }
}
