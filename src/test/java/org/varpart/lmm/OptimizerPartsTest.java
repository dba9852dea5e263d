package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Definition tests of the optimiser's parts: the difference steps follow the rows of each
 * term's covariance factor, the boundary rule for vector-valued terms, lme4's start, and that
 * Newton iterations and the restarts reach the minimum of functions whose minimum is known.
 */
class OptimizerPartsTest {
    private static final double INF = Double.NEGATIVE_INFINITY;

    @Test
    void stepsFollowTheRowOfEachEntry() {
        // terms: scalar (θ0), then a 3-column term with columns (θ1 θ2 θ3) (θ4 θ5) (θ6), then scalar (θ7)
        double[] lower = {0, 0, INF, INF, 0, INF, 0, 0};
        double[] x = {5, 0.002, 0.3, -0.4, 0.5, 0.0001, 2.0, 0};
        double[] h = Convergence.steps(x, lower);
        double s = Convergence.STEP;
        // row 0 of the vector term is θ1 = 0.002 → scale 0.01 (the floor); row 1's diagonal is
        // θ4 = 0.5, row 2's is θ6 = 2 → scale 1 (the ceiling)
        assertArrayEquals(new double[] {s, s * 0.01, s * 0.5, s, s * 0.5, s, s, s * 0.01}, h, 1e-18);
    }

    @Test
    void aLayoutThatIsNotTermsGetsLme4sStep() {
        double[] h = Convergence.steps(new double[] {1, 2}, new double[] {INF, 0});
        assertArrayEquals(new double[] {Convergence.STEP, Convergence.STEP}, h, 0);
    }

    @Test
    void boundaryRuleIsForVectorTermsOnly() {
        double[] lower = {0, 0, INF, 0};
        boolean[] squared = {true, false, false, false};
        assertFalse(Restarts.vectorTermOnBoundary(new double[] {0, 1, 0.5, 1}, lower, squared), "a scalar variance at 0 is a regular point");
        assertTrue(Restarts.vectorTermOnBoundary(new double[] {1, 1, 0.5, 0}, lower, squared));
        assertArrayEquals(new double[] {1, 1, 0, 1}, Restarts.lme4Start(lower), 0);
    }

    @Test
    void newtonIterationsReachTheMinimumOfAQuadratic() {
        // f = (x0 − 3)² + 10 (x1 − 0.02)² + x0 x1, minimum where the gradient vanishes
        java.util.function.ToDoubleFunction<double[]> f = v -> (v[0] - 3) * (v[0] - 3) + 10 * (v[1] - 0.02) * (v[1] - 0.02) + v[0] * v[1];
        double[] lower = {0, INF};
        // 2(x0 − 3) + x1 = 0 and 20(x1 − 0.02) + x0 = 0
        double x1 = (0.4 - 3) / (20 - 0.5), x0 = 3 - x1 / 2;
        Convergence.Refined r = Convergence.newtonIterations(f, Convergence.derivatives(f, new double[] {1, 1}, lower), lower);
        assertEquals(x0, r.x()[0], 1e-9);
        assertEquals(x1, r.x()[1], 1e-9);
        assertEquals(null, Convergence.assess(r.checked()));
    }

    @Test
    void restartsKeepTheBestPointSeen() {
        // two basins: a shallow one near the start point given, the deep one near lme4's start
        java.util.function.ToDoubleFunction<double[]> f = v -> {
            double a = (v[0] - 4) * (v[0] - 4) + (v[1] - 4) * (v[1] - 4);
            double b = (v[0] - 1) * (v[0] - 1) + (v[1] - 1) * (v[1] - 1);
            return Math.min(a + 1, b);
        };
        ThetaOptimizer.Counter counter = new ThetaOptimizer.Counter(f);
        double[] lower = {0, 0};
        double[] best = Restarts.improve(counter, new double[] {4, 4}, lower, true, 10_000);
        assertEquals(1, best[0], 1e-6);
        assertEquals(1, best[1], 1e-6);
        assertTrue(counter.count > 0 && counter.count < 10_000, "evaluations counted: " + counter.count);
    }
}
