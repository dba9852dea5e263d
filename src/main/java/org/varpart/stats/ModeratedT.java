package org.varpart.stats;

import java.util.Arrays;
import org.apache.commons.math3.special.Beta;

/**
 * dream's moderated t statistics (variancePartition's {@code eBayes} for dream fits): each
 * feature's residual variance σ̂² is replaced by its posterior s̃² from {@link SqueezeVar} (fitted
 * on σ̂² and the residual df of each fit), so an estimate with standard error SE has
 * <pre>
 *   t̃ = estimate / (SE · √(s̃²/σ̂²)),   df = (its Satterthwaite df) + d₀,   p = 2 P(T_df > |t̃|),
 * </pre>
 * and Benjamini–Hochberg q-values are taken over features within each coefficient or contrast.
 */
public final class ModeratedT {
    /** One moderated test. */
    public record Result(double t, double df, double p) {}

    private ModeratedT() {}

    public static Result of(double estimate, double stdError, double sigma2, double s2Post, double satterthwaiteDf,
                            double priorDf) {
        double t = estimate / (stdError * Math.sqrt(s2Post / sigma2));
        double df = satterthwaiteDf + priorDf;
        return new Result(t, df, twoSidedP(t, df));
    }

    /** 2 P(T_df > |t|), through the regularised incomplete beta function so that small tails keep their digits; normal for df = ∞. */
    public static double twoSidedP(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) return Double.NaN;
        if (Double.isInfinite(df)) return org.apache.commons.math3.special.Erf.erfc(Math.abs(t) / Math.sqrt(2));
        return Beta.regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /**
     * Benjamini–Hochberg: q₍ᵢ₎ = min over j ≥ i of (m/j) p₍ⱼ₎, capped at 1 (R's
     * {@code p.adjust(p, "BH")}; NaN stays NaN and does not count in m).
     */
    public static double[] benjaminiHochberg(double[] p) {
        int m = 0;
        for (double v : p) if (!Double.isNaN(v)) m++;
        Integer[] order = new Integer[m];
        int k = 0;
        for (int i = 0; i < p.length; i++) if (!Double.isNaN(p[i])) order[k++] = i;
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        double running = 1;
        for (int r = 0; r < m; r++) {
            int rank = m - r;
            running = Math.min(running, (double) m / rank * p[order[r]]);
            q[order[r]] = running;
        }
        return q;
    }
}
