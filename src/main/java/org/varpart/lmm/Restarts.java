package org.varpart.lmm;

import java.util.Arrays;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * What the optimiser does when its first answer is doubtful: when lme4's convergence check fails
 * there, or when a vector-valued term ends on the boundary (a zero on the diagonal of its
 * Cholesky factor T, where the criterion is even in that entry and a gradient method can stall
 * on a saddle or settle in a boundary basin). It runs derivative-free searches (Powell's
 * BOBYQA, lme4's default): a polish from the point found when the check failed there, and a
 * restart from lme4's default start (1 on the diagonal of each T, 0 off it), and keeps the
 * lowest criterion seen by any search, the first included. The ordinary fit (interior optimum,
 * check passed) never comes here.
 */
final class Restarts {
    /** BOBYQA's final trust-region radius in θ (Newton iterations take the best point further). */
    static final double RHO_END = 1e-7;

    private Restarts() {}

    /**
     * Whether some diagonal entry of a vector-valued term's T is (numerically) zero: a bounded θ
     * that is not the only parameter of a scalar term (those are optimised as θ², where the bound
     * is a regular point).
     */
    static boolean vectorTermOnBoundary(double[] x, double[] lower, boolean[] squared) {
        for (int i = 0; i < x.length; i++) {
            if (lower[i] == 0 && !squared[i] && x[i] < FitOptions.SINGULAR_TOLERANCE) return true;
        }
        return false;
    }

    /** lme4's default start for these bounds: 1 for the bounded (diagonal) θ, 0 for the others. */
    static double[] lme4Start(double[] lower) {
        double[] s = new double[lower.length];
        for (int i = 0; i < s.length; i++) s[i] = lower[i] == 0 ? 1.0 : 0.0;
        return s;
    }

    /**
     * Restarts from lme4's start and, when asked (the check failed at x), first polishes from x;
     * returns the best point the counter has seen. A point that passed the check but ended on the
     * boundary of a vector term is not polished: over the corpus, leaving that polish out changed
     * no criterion by more than 1e-8 relative and saved a quarter to a third of the restarts'
     * evaluations. Needs at least two coordinates (BOBYQA's minimum).
     */
    static double[] improve(ThetaOptimizer.Counter f, double[] x, double[] lower, boolean polish, int maxEvaluations) {
        if (polish) {
            double[] fromHere = x.clone();
            // a point on the bound is moved in a little so that the polish can leave it either way
            for (int i = 0; i < fromHere.length; i++) if (lower[i] == 0 && fromHere[i] < 1e-3) fromHere[i] = 1e-3;
            run(f, fromHere, lower, 0.1 * Math.max(1, maxAbs(fromHere)), maxEvaluations);
        }
        run(f, lme4Start(lower), lower, 0.25, maxEvaluations);
        return f.best.clone();
    }

    private static void run(ThetaOptimizer.Counter f, double[] start, double[] lower, double radius, int maxEvaluations) {
        int n = start.length;
        double[] upper = new double[n];
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        int budget = Math.max(0, maxEvaluations - f.count);
        if (budget < 2 * n + 10) return;
        try {
            new BOBYQAOptimizer(2 * n + 1, radius, RHO_END).optimize(new MaxEval(budget),
                    new ObjectiveFunction(f::apply), GoalType.MINIMIZE,
                    new InitialGuess(start), new SimpleBounds(lower, upper));
        } catch (MathIllegalStateException e) {
            // out of evaluations: the counter keeps the best point seen
        } catch (RuntimeException e) {
            // BOBYQA's own internal states (an unexplored path); anything else is a bug
            if (!e.getClass().getName().startsWith("org.apache.commons.math3.")) throw e;
        }
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
