package org.varpart.lmm;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Minimises a function of θ subject to lower bounds. With the analytic gradient of the criterion
 * (every fit of {@link BlockFitter}) several dimensions go to {@link GradientPath}: projected BFGS
 * on the exact gradient, lme4's check on it, restarts by the same search; one dimension gets
 * Brent's method and then secant steps on the exact derivative. Without it, several dimensions:
 * projected BFGS on finite-difference gradients ({@link QuasiNewton}), then Newton iterations on finite-difference
 * derivatives down to the rounding of f ({@link Convergence#newtonIterations}); one dimension
 * (a single random intercept): Brent's method on a bracket found by doubling. Both try each
 * bounded coordinate at its bound, which can only lower the objective, and end with lme4's
 * convergence check. Where that check fails, or a vector-valued term ends on its boundary,
 * {@link Restarts} polishes and restarts with BOBYQA and the lowest point seen is kept.
 * {@code FitOptions.Optimizer.BOBYQA} runs BOBYQA alone, as lme4 does.
 */
final class ThetaOptimizer {

    /** The optimum found. */
    record Result(double[] x, double value, int evaluations, boolean hitLimit, String convergenceWarning) {}

    /** The quasi-Newton search stops at this scaled gradient; the Newton iterations do the rest. */
    static final double GRADIENT_TOLERANCE = 1e-3;
    /**
     * With the analytic gradient the search itself runs to this scaled gradient
     * max|gᵢ|·max(1, |θᵢ|): far below lme4's check, so that θ̂ and every estimate are fixed to
     * about 1e-7 relative whatever the rounding of the BLAS.
     */
    static final double ANALYTIC_GRADIENT_TOLERANCE = 1e-7;

    /**
     * Where a θ that ended near its bound of zero is tried again (a search is started there only
     * if the criterion is lower there). 10⁻³ finds a small variance that is not zero: the
     * criterion is even in a scalar term's θ, so θ = 0 is a stationary point that a search
     * reaching it does not leave, even where the criterion is lower a few thousandths away.
     */
    static final double[] LOOK_AGAIN = {1e-3, 0.3, 1.0};

    private ThetaOptimizer() {}

    /**
     * @param squared the coordinates that enter f only through their square (the θ of scalar
     *     random-effects terms); the others with a bound of 0 are diagonal entries of a
     *     vector-valued term's factor
     */
    static Result minimize(ToDoubleFunction<double[]> f, double[] start, double[] lower, boolean[] squared, FitOptions opt) {
        return minimize(f, null, start, lower, squared, opt);
    }

    /**
     * The same, with the analytic gradient of f where {@code gradient} is not null: then the
     * quasi-Newton search runs to a scaled gradient of {@link #ANALYTIC_GRADIENT_TOLERANCE}
     * and replaces the Newton iterations and the restarts' derivative-free searches
     * ({@link GradientPath}). Each evaluation of f and each of the gradient counts one.
     */
    static Result minimize(ToDoubleFunction<double[]> f, Gradient gradient, double[] start, double[] lower, boolean[] squared,
                           FitOptions opt) {
        if (gradient != null && start.length > 1 && opt.optimizer() == FitOptions.Optimizer.QUASI_NEWTON) {
            return GradientPath.minimize(new Counter(f, gradient), start, lower, squared, opt);
        }
        Counter counted = new Counter(f, gradient);
        double[] x;
        boolean hitLimit = false;
        try {
            if (start.length == 1) x = brent(counted, start[0], lower[0], opt);
            else if (opt.optimizer() == FitOptions.Optimizer.BOBYQA) x = bobyqa(counted, start, lower, opt);
            else x = quasiNewton(counted, start, lower, opt);
        } catch (TooManyEvaluationsException e) {
            hitLimit = true;
            x = counted.best.clone();
        }
        if (counted.bestValue < counted.apply(x)) x = counted.best.clone();
        x = tryBounds(counted, x, lower);
        if (gradient != null && start.length == 1 && !hitLimit) x = GradientPath.polishOne(counted, x, lower);
        boolean qn = start.length > 1 && opt.optimizer() == FitOptions.Optimizer.QUASI_NEWTON;
        String warning = null;
        if (!hitLimit && (qn || opt.checkConvergence())) {
            Convergence.Derivatives der = Convergence.derivatives(counted::apply, x, lower);
            double fx = der.value();
            if (qn) { // Newton steps take the finite-difference BFGS optimum to full precision
                Convergence.Refined r = Convergence.newtonIterations(counted::apply, der, lower);
                x = r.x();
                fx = r.value();
                der = r.checked();
            }
            warning = opt.checkConvergence() ? Convergence.assess(der) : null;
            // Never stop short where lme4 would not: when the check fails, or a vector-valued
            // term ends on its boundary, polish and restart without derivatives and keep the best.
            if (start.length > 1 && counted.count < opt.maxEvaluations()
                    && (warning != null || Restarts.vectorTermOnBoundary(x, lower, squared))) {
                double[] y = Restarts.improve(counted, x, lower, warning != null, opt.maxEvaluations());
                if (counted.apply(y) < fx) {
                    Convergence.Refined r = Convergence.newtonIterations(counted::apply,
                            Convergence.derivatives(counted::apply, y, lower), lower);
                    x = r.x();
                    warning = opt.checkConvergence() ? Convergence.assess(r.checked()) : null;
                }
            }
        }
        double value = counted.apply(x);
        return new Result(x, value, counted.count, hitLimit, warning);
    }

    /** The gradient of the objective at a point, into {@code out}; false where it has none. */
    @FunctionalInterface
    interface Gradient {
        boolean at(double[] x, double[] out);
    }

    /**
     * Counts evaluations (of f and of its gradient) and remembers the best point seen. A point
     * asked for again straight away (the end of one phase is the start of the next) is answered
     * from memory, not evaluated or counted again.
     */
    static final class Counter {
        final ToDoubleFunction<double[]> f;
        final Gradient gradient;
        int count;
        double[] best;
        double bestValue = Double.POSITIVE_INFINITY;
        private double[] lastX;
        private double lastValue;
        private double[] lastGradientX;
        private double[] lastGradient;

        Counter(ToDoubleFunction<double[]> f) {
            this(f, null);
        }

        Counter(ToDoubleFunction<double[]> f, Gradient gradient) {
            this.f = f;
            this.gradient = gradient;
        }

        /** The gradient at x (one evaluation), or null where there is none. */
        double[] gradient(double[] x) {
            if (lastGradientX != null && Arrays.equals(x, lastGradientX)) return lastGradient == null ? null : lastGradient.clone();
            count++;
            double[] g = new double[x.length];
            boolean ok = gradient.at(x, g);
            lastGradientX = x.clone();
            lastGradient = ok ? g.clone() : null;
            return ok ? g : null;
        }

        double apply(double[] x) {
            // the best point is asked for again at the end of every phase: no need to evaluate it
            if (best != null && Arrays.equals(x, best)) return bestValue;
            if (lastX != null && Arrays.equals(x, lastX)) return lastValue;
            count++;
            double v = f.applyAsDouble(x);
            lastX = x.clone();
            lastValue = v;
            if (v < bestValue) {
                bestValue = v;
                best = x.clone();
            }
            return v;
        }
    }

    private static double[] bobyqa(Counter f, double[] start, double[] lower, FitOptions opt) {
        int n = start.length;
        double[] upper = new double[n];
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        BOBYQAOptimizer bobyqa = new BOBYQAOptimizer(2 * n + 1, 0.25, opt.tolerance());
        PointValuePair r = bobyqa.optimize(new MaxEval(opt.maxEvaluations()),
                new ObjectiveFunction(f::apply), GoalType.MINIMIZE,
                new InitialGuess(start), new SimpleBounds(lower, upper));
        return r.getPoint();
    }

    /**
     * Projected BFGS in θ itself, as lme4 optimises. (Variances as θ² were tried: the bound is
     * then a regular point, but the criterion grows like log θ² for large variances, so its
     * curvature in θ² changes by orders of magnitude along the way: over the corpus BFGS needed
     * 15% more evaluations that way, and 60% more where a variance is 66 times the residual.) Bounded θ follow the bent path of {@link QuasiNewton}.
     */
    private static double[] quasiNewton(Counter f, double[] start, double[] lower, FitOptions opt) {
        return quasiNewton(f, start, lower, opt, GRADIENT_TOLERANCE);
    }

    /** The same to a given scaled gradient, with the counter's analytic gradient where it has one. */
    static double[] quasiNewton(Counter f, double[] start, double[] lower, FitOptions opt, double gtol) {
        int n = start.length;
        Gradient grad = f.gradient == null ? null : (y, out) -> {
            double[] g = f.gradient(y);
            if (g == null) return false;
            System.arraycopy(g, 0, out, 0, g.length);
            return true;
        };
        QuasiNewton qn = new QuasiNewton(f::apply, grad, lower, new boolean[n], opt.maxEvaluations());
        double[] x = start.clone();
        double fx = qn.minimize(x, gtol);
        // With vector terms, or crossed and nested terms, there can be more than one basin:
        // from each variance that ended near zero, look once more at a small and at moderate values.
        for (int round = 0; round < 3 && !qn.exhausted(); round++) {
            boolean improved = false;
            for (int i = 0; i < n && !improved; i++) {
                if (lower[i] != 0 || x[i] > 1e-2) continue;
                for (double v : LOOK_AGAIN) {
                    double[] y = x.clone();
                    y[i] = v;
                    if (f.apply(y) >= fx) continue;
                    double fy = qn.minimize(y, gtol);
                    if (fy < fx - 1e-10 * Math.abs(fx)) {
                        x = y;
                        fx = fy;
                        improved = true;
                        break;
                    }
                }
            }
            if (!improved) break;
        }
        if (qn.exhausted()) throw new TooManyEvaluationsException(opt.maxEvaluations());
        return x;
    }

    private static double[] brent(Counter f, double start, double lower, FitOptions opt) {
        double[] x1 = new double[1];
        java.util.function.DoubleUnaryOperator g = t -> {
            x1[0] = t;
            return f.apply(x1);
        };
        // bracket: double the upper end until the function rises
        double hi = Math.max(2 * start, 1.0);
        double fPrev = g.applyAsDouble(start);
        double fHi = g.applyAsDouble(hi);
        int guard = 0;
        while (fHi < fPrev && guard++ < 60) {
            fPrev = fHi;
            hi *= 2;
            fHi = g.applyAsDouble(hi);
        }
        BrentOptimizer brent = new BrentOptimizer(1e-10, Math.max(1e-14, opt.tolerance() * 1e-3));
        UnivariatePointValuePair r = brent.optimize(new MaxEval(opt.maxEvaluations()),
                new UnivariateObjectiveFunction(g::applyAsDouble), GoalType.MINIMIZE,
                new SearchInterval(lower, hi, Math.min(Math.max(start, lower), hi)));
        return new double[] {r.getPoint()};
    }

    /** Moves each bounded coordinate that ends near its bound onto it, when that is no worse. */
    static double[] tryBounds(Counter f, double[] x, double[] lower) {
        double[] best = x.clone();
        double bestValue = f.apply(best);
        for (int i = 0; i < x.length; i++) {
            if (Double.isInfinite(lower[i]) || best[i] == lower[i] || best[i] - lower[i] > 1e-3) continue;
            double[] y = best.clone();
            y[i] = lower[i];
            double v = f.apply(y);
            if (v <= bestValue) {
                best = y;
                bestValue = v;
            }
        }
        return best;
    }
}
