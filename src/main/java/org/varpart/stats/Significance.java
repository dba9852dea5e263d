package org.varpart.stats;

import java.util.List;
import org.varpart.design.Design;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.ResponseStatistics;
import org.varpart.lmm.ThetaProbe;

/**
 * All the tests of one fit: Satterthwaite t tests per coefficient, F tests per term and
 * likelihood-ratio tests per random-effects component, each in the fit's criterion.
 */
public record Significance(List<Satterthwaite.TTest> coefficients, List<Satterthwaite.FTest> terms,
                           List<RandomTermTests.Test> components) {

    /** The tests of a fit with estimates of the design's own response, with structure built for it alone. */
    public static Significance compute(Design d, FitResult r, FitOptions options) {
        BlockFitter fitter = new BlockFitter(d, options);
        return new Tester(fitter).test(r, ResponseStatistics.of(d, d.y()));
    }

    /**
     * The tests of the fits of one {@link BlockFitter}: the reduced models of the component tests
     * are built once, with the fitter; Satterthwaite's derivatives probe the fitter's model, with the sums of its Schur complement built once.
     * Not thread-safe, as the fitter.
     */
    public static final class Tester {
        private final BlockFitter fitter;
        private final RandomTermTests components;
        private final ThetaProbe probe;

        /** @param fitter a fitter whose design can be fitted ({@link BlockFitter#designProblem()} null) */
        public Tester(BlockFitter fitter) {
            if (fitter.designProblem() != null) throw new IllegalArgumentException("the design cannot be fitted: " + fitter.designProblem());
            this.fitter = fitter;
            this.components = new RandomTermTests(fitter);
            this.probe = new ThetaProbe(fitter.model());
        }

        /** The tests of the fit r (with estimates) of {@code response} by this tester's fitter. */
        public Significance test(FitResult r, ResponseStatistics response) {
            Satterthwaite s = new Satterthwaite(probe, r, response.y(), fitter.options().reml());
            return new Significance(s.coefficientTests(r.fixedNames()), s.termTests(fitter.design()),
                    components.compute(r, response));
        }
    }
}
