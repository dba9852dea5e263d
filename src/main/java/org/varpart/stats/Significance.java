package org.varpart.stats;

import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;

/**
 * All the tests of one fit: Satterthwaite t tests per coefficient, F tests per term and
 * likelihood-ratio tests per random-effects component, each in the fit's criterion.
 */
public record Significance(List<Satterthwaite.TTest> coefficients, List<Satterthwaite.FTest> terms,
                           List<RandomTermTests.Test> components) {

    /** The tests of a fit with estimates. */
    public static Significance compute(Design d, FitResult r, FitOptions options) {
        Satterthwaite s = new Satterthwaite(d, r, options.reml());
        return new Significance(s.coefficientTests(r.fixedNames()), s.termTests(d),
                RandomTermTests.compute(d, r, options));
    }
}
