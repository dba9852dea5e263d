package org.varpart.stats;

import java.util.List;
import java.util.SplittableRandom;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;

/**
 * The draws of {@link FractionBootstrap}'s replicates: each term's relative factor T(θ̂), the
 * random effects σ̂·T z per level and the residuals σ̂·z′ (z, z′ standard normal by Box–Muller on
 * SplitMix64), added to a given fixed part.
 */
final class ReplicateDraws {
    private ReplicateDraws() {}

    /** Xβ, per observation. */
    static double[] fixedPart(Design d, double[] beta) {
        double[] f = new double[d.n()];
        for (int j = 0; j < d.p(); j++) {
            for (int i = 0; i < d.n(); i++) f[i] += d.x(i, j) * beta[j];
        }
        return f;
    }

    /**
     * Each term's relative factor T (c × c lower triangular, column-major) from θ, which lists
     * term by term the lower triangle of T column by column, as lme4 lays it out.
     */
    static double[][] relativeFactors(Design d, double[] theta) {
        List<ReTerm> terms = d.terms();
        double[][] out = new double[terms.size()][];
        int pos = 0;
        for (int t = 0; t < terms.size(); t++) {
            int c = terms.get(t).columns();
            double[] tm = new double[c * c];
            for (int col = 0; col < c; col++) {
                for (int row = col; row < c; row++) tm[col * c + row] = theta[pos++];
            }
            out[t] = tm;
        }
        if (pos != theta.length) throw new IllegalArgumentException("θ has " + theta.length + " entries, the design " + pos);
        return out;
    }

    /** One simulated response: the fixed part, σ̂·Tⱼz per level of each term, σ̂·z' per observation. */
    static double[] simulate(Design d, double[] mean, double[][] factors, double sigma, Normal normal) {
        int n = d.n();
        double[] y = mean.clone();
        List<ReTerm> terms = d.terms();
        for (int t = 0; t < terms.size(); t++) {
            ReTerm term = terms.get(t);
            int c = term.columns();
            double[] tm = factors[t];
            double[] b = new double[term.levels() * c];
            double[] z = new double[c];
            for (int l = 0; l < term.levels(); l++) {
                for (int a = 0; a < c; a++) z[a] = normal.next();
                for (int row = 0; row < c; row++) {
                    double s = 0;
                    for (int col = 0; col <= row; col++) s += tm[col * c + row] * z[col];
                    b[l * c + row] = sigma * s;
                }
            }
            for (int i = 0; i < n; i++) {
                int base = term.code(i) * c;
                for (int a = 0; a < c; a++) y[i] += term.z(i, a) * b[base + a];
            }
        }
        for (int i = 0; i < n; i++) y[i] += sigma * normal.next();
        return y;
    }

    /** Standard normal draws by the Box–Muller transform, both values of each pair used. */
    static final class Normal {
        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        Normal(SplittableRandom random) {
            this.random = random;
        }

        double next() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u1 = 1.0 - random.nextDouble(); // in (0, 1]: log is finite
            double u2 = random.nextDouble();
            double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
            spare = r * StrictMath.sin(2 * Math.PI * u2);
            hasSpare = true;
            return r * StrictMath.cos(2 * Math.PI * u2);
        }
    }
}
