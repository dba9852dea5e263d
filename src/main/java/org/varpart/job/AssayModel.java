package org.varpart.job;

import java.io.Serializable;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.FitOptions;

/**
 * What every task needs to fit the features of one assay, broadcast once: the model, the sample
 * table in the order of the assay's kept samples, which matrix column each of them is, the
 * design for features observed in every sample (built on the driver), and the fit options.
 *
 * @param columns for each row of {@code samples}, its column in the assay matrix
 * @param complete the design when no value is missing, or null when it cannot be built
 * @param tests whether to compute the significance tests of each feature
 * @param intervals whether and how to bootstrap each feature's fractions
 */
public record AssayModel(String assay, ModelSpec spec, DataTable samples, int[] columns, Design complete,
                         FitOptions options, boolean tests, IntervalSettings intervals) implements Serializable {

    /** Without intervals. */
    public AssayModel(String assay, ModelSpec spec, DataTable samples, int[] columns, Design complete, FitOptions options, boolean tests) {
        this(assay, spec, samples, columns, complete, options, tests, IntervalSettings.NONE);
    }

    /** The same model with the given interval settings. */
    public AssayModel withIntervals(IntervalSettings s) {
        return new AssayModel(assay, spec, samples, columns, complete, options, tests, s);
    }
}
