package org.varpart.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * limma's empirical-Bayes prior for residual variances ({@code squeezeVar} without covariate or
 * robustness, by {@code fitFDist}, as limma 3.54 computes it) and the posterior variances.
 * <p>The sᵢ² (on dᵢ degrees of freedom) are taken as s₀² · F(dᵢ, d₀). Over the usable features
 * (dᵢ finite and above 10⁻¹⁵, sᵢ² finite and above −10⁻¹⁵), with s² raised to at least 10⁻⁵ times
 * their median (the median taken as 1 when it is 0):
 * <pre>
 *   eᵢ = log sᵢ² − ψ(dᵢ/2) + log(dᵢ/2),   ē = mean eᵢ,   v = Σ(eᵢ − ē)²/(m − 1) − mean ψ′(dᵢ/2);
 *   v > 0:  d₀ = 2 ψ′⁻¹(v),  s₀² = exp(ē + ψ(d₀/2) − log(d₀/2));   otherwise d₀ = ∞, s₀² = mean s².
 * </pre>
 * The posterior is s̃ᵢ² = (dᵢ sᵢ² + d₀ s₀²)/(dᵢ + d₀) (s₀² when d₀ = ∞). A feature with dᵢ = 0 has
 * its sᵢ² set to 0 first, as limma does.
 * <p>Distributed, the prior needs the median of the usable sᵢ² and then the sums of
 * {@link Moments}, which merge across partitions.
 */
public final class SqueezeVar {
    /** The prior: d₀ (possibly +∞) and s₀². */
    public record Prior(double df, double var) implements java.io.Serializable {
        /** The posterior variance of a feature. */
        public double posterior(double s2, double d) {
            if (Double.isInfinite(df)) return var;
            return (d * s2 + df * var) / (d + df);
        }
    }

    private SqueezeVar() {}

    /** Whether a feature enters the prior. */
    public static boolean usable(double s2, double d) {
        return Double.isFinite(d) && d > 1e-15 && Double.isFinite(s2) && s2 > -1e-15;
    }

    /** The prior from all features at once. */
    public static Prior prior(double[] s2, double[] d) {
        int m = 0;
        for (int i = 0; i < s2.length; i++) if (usable(d[i] == 0 ? 0 : s2[i], d[i])) m++;
        double[] x = new double[m];
        int k = 0;
        for (int i = 0; i < s2.length; i++) if (usable(d[i] == 0 ? 0 : s2[i], d[i])) x[k++] = Math.max(s2[i], 0);
        if (m == 0) return new Prior(Double.NaN, Double.NaN);
        if (m == 1) return new Prior(0, x[0]);
        double floor = floorFor(median(x));
        Moments acc = new Moments();
        for (int i = 0; i < s2.length; i++) if (usable(d[i] == 0 ? 0 : s2[i], d[i])) acc.add(s2[i], d[i], floor);
        return acc.prior();
    }

    /** The lower bound limma puts on the variances: 10⁻⁵ times their median (1 when the median is 0). */
    public static double floorFor(double median) {
        return 1e-5 * (median == 0 ? 1 : median);
    }

    /**
     * Sums over features for the prior, mergeable across partitions: the number m, the mean and
     * centred sum of squares of eᵢ (merged by Chan's formula), the sums of ψ′(dᵢ/2) and of sᵢ².
     */
    public static final class Moments implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        double mean, m2, trigammaSum, s2Sum;

        /** Adds a usable feature, with s² floored at {@code floor}. */
        public void add(double s2, double d, double floor) {
            double x = Math.max(Math.max(s2, 0), floor);
            double e = Math.log(x) - Gamma.digamma(d / 2) + Math.log(d / 2);
            count++;
            double delta = e - mean;
            mean += delta / count;
            m2 += delta * (e - mean);
            trigammaSum += Gamma.trigamma(d / 2);
            s2Sum += x;
        }

        public Moments merge(Moments o) {
            if (o.count == 0) return this;
            if (count == 0) {
                count = o.count;
                mean = o.mean;
                m2 = o.m2;
                trigammaSum = o.trigammaSum;
                s2Sum = o.s2Sum;
                return this;
            }
            long n = count + o.count;
            double delta = o.mean - mean;
            m2 += o.m2 + delta * delta * ((double) count * o.count / n);
            mean += delta * o.count / n;
            count = n;
            trigammaSum += o.trigammaSum;
            s2Sum += o.s2Sum;
            return this;
        }

        /** The prior these sums give. */
        public Prior prior() {
            if (count < 2) return new Prior(count == 0 ? Double.NaN : 0, count == 0 ? Double.NaN : s2Sum);
            double v = m2 / (count - 1) - trigammaSum / count;
            if (v > 0) {
                double d0 = 2 * Digammas.trigammaInverse(v);
                return new Prior(d0, Math.exp(mean + Gamma.digamma(d0 / 2) - Math.log(d0 / 2)));
            }
            return new Prior(Double.POSITIVE_INFINITY, s2Sum / count);
        }
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }
}
