package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/** The shared-design paths against the plain blocked factorisation. */
class SharedDesignTest {

    @Test
    void schurObjectiveEqualsTheBlockedObjective() {
        // first term scalar with unequal level counts; a vector term and crossed scalars after it
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 | a) + (1 + x | c) + (1 | b)"),
                LmmModelDefinitionTest.simulated(11, 80));
        LmmModel blocked = new LmmModel(d);
        SchurObjective schur = SchurObjective.forDesign(blocked);
        assertNotNull(schur);
        schur.setResponse(ResponseStatistics.of(d, d.y()));
        Random rnd = new Random(5);
        double[] lb = blocked.lowerBounds();
        for (int trial = 0; trial < 20; trial++) {
            double[] th = new double[blocked.nTheta()];
            for (int i = 0; i < th.length; i++) th[i] = lb[i] == 0 ? (trial == 0 && i == 0 ? 0 : 2 * rnd.nextDouble()) : rnd.nextGaussian();
            for (boolean reml : new boolean[] {true, false}) {
                double expected = blocked.objective(th, reml);
                assertEquals(expected, schur.objective(th, reml), 1e-10 * Math.abs(expected), "objective at trial " + trial);
            }
        }
    }

    @Test
    void blockFitterGivesTheSameNumbersAsSeparateFits() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 | a) + (1 | b) + (1 | c)"),
                LmmModelDefinitionTest.simulated(13, 120));
        Random rnd = new Random(17);
        FitOptions opt = FitOptions.mlDefaults();
        BlockFitter shared = new BlockFitter(d, opt);
        for (int f = 0; f < 5; f++) {
            double[] y = new double[d.n()];
            for (int i = 0; i < y.length; i++) y[i] = d.y()[i] + rnd.nextGaussian() * (f + 1);
            FitResult amortised = shared.fit("f" + f, y);
            FitResult plain = MixedModel.fit(d.withResponse("f" + f, y), opt);
            assertEquals(plain.status(), amortised.status());
            assertEquals(plain.objective(), amortised.objective(), 1e-8 * Math.abs(plain.objective()));
            assertArrayEquals(plain.theta(), amortised.theta(), 1e-8);
            assertArrayEquals(plain.beta(), amortised.beta(), 1e-8);
            assertEquals(plain.sigma2(), amortised.sigma2(), 1e-8 * plain.sigma2());
        }
    }

    @Test
    void bothOptimisersReachTheSameOptimum() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ x + (1 | a) + (1 | b) + (1 | c)"),
                LmmModelDefinitionTest.simulated(19, 150));
        for (boolean reml : new boolean[] {true, false}) {
            FitOptions qn = reml ? FitOptions.remlDefaults() : FitOptions.mlDefaults();
            FitResult a = MixedModel.fit(d, qn);
            FitResult b = MixedModel.fit(d, qn.withOptimizer(FitOptions.Optimizer.BOBYQA));
            assertEquals(b.objective(), a.objective(), 1e-8 * Math.abs(b.objective()));
            assertArrayEquals(b.beta(), a.beta(), 1e-5);
        }
    }
}
