package org.varpart.counts;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varpart.design.Design;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.MixedModel;

/**
 * Precision weights against the references, 1e-6 relative: limma's {@code voom} with the
 * fixed-effects formula (least-squares fits; {@code fixtures/voom_fixed.tsv}) and the
 * transcription of variancePartition's {@code voomWithDreamWeights} with the mixed model
 * ({@code fixtures/voom_dream.tsv}: first-pass ML fits by lme4, also each feature's sx and √σ̂).
 */
class VoomTest {
    private static final CountsFixtures F = CountsFixtures.load();

    /** Effective library sizes of the kept features, as edgeR computes them (checked in {@link EdgeRTest}). */
    static double[] libSizes(double[][] kept) {
        double[] totals = LogCpm.columnTotals(kept, kept[0].length);
        return LogCpm.effective(totals, Tmm.normFactors(kept, totals));
    }

    @Test
    void limmaVoomWithFixedEffects() {
        Map<String, Double> keep = CountsFixtures.read("edger.tsv").get("keep");
        double[][] kept = F.kept(keep);
        String[] names = F.keptNames(keep);
        double[] lib = libSizes(kept);
        Design d = F.design(new double[F.samples.length]);
        int n = d.n(), p = d.p(), g = kept.length;
        double[] sx = new double[g], sy = new double[g];
        double[][] fitted = new double[g][];
        boolean[] use = new boolean[g];
        double offset = LogCpm.sxOffset(lib);
        for (int i = 0; i < g; i++) {
            double[] y = LogCpm.of(kept[i], lib);
            double[] beta = leastSquares(d, y);
            fitted[i] = new double[n];
            double rss = 0, mean = 0;
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < p; j++) fitted[i][r] += d.x(r, j) * beta[j];
                rss += (y[r] - fitted[i][r]) * (y[r] - fitted[i][r]);
                mean += y[r] / n;
            }
            sx[i] = VoomTrend.sx(mean, offset);
            sy[i] = Math.sqrt(Math.sqrt(rss / (n - p)));
            use[i] = true;
        }
        VoomTrend trend = VoomTrend.fit(sx, sy, use, VoomTrend.DEFAULT_SPAN);
        Map<String, Double> ref = CountsFixtures.read("voom_fixed.tsv").get("weight");
        for (int i = 0; i < g; i++) {
            double[] w = trend.weights(fitted[i], lib);
            for (int j = 0; j < n; j++) {
                String key = names[i] + "|" + F.samples[j];
                CountsFixtures.assertRelative(ref.get(key), w[j], 1e-6, "voom weight " + key);
            }
        }
    }

    @Test
    void voomWithDreamWeights() {
        Map<String, Double> keep = CountsFixtures.read("edger.tsv").get("keep");
        double[][] kept = F.kept(keep);
        String[] names = F.keptNames(keep);
        double[] lib = libSizes(kept);
        Map<String, Map<String, Double>> ref = CountsFixtures.read("voom_dream.tsv");
        int g = kept.length;
        double offset = LogCpm.sxOffset(lib);
        VoomFirstPass[] first = new VoomFirstPass[g];
        double[] sx = new double[g], sy = new double[g];
        boolean[] use = new boolean[g];
        for (int i = 0; i < g; i++) {
            double[] y = LogCpm.of(kept[i], lib);
            first[i] = VoomFirstPass.of(y, MixedModel.fit(F.design(y), FitOptions.mlDefaults()));
            sx[i] = first[i].sx(offset);
            sy[i] = first[i].sqrtSd();
            use[i] = first[i].usable();
            CountsFixtures.assertRelative(ref.get("sx").get(names[i]), sx[i], 1e-10, "sx of " + names[i]);
            CountsFixtures.assertRelative(ref.get("sqrt_sd").get(names[i]), sy[i], 1e-7, "sqrt sd of " + names[i]);
        }
        VoomTrend trend = VoomTrend.fit(sx, sy, use, VoomTrend.DEFAULT_SPAN);
        for (int i = 0; i < g; i++) {
            double[] w = trend.weights(first[i].fitted(), lib);
            for (int j = 0; j < w.length; j++) {
                String key = names[i] + "|" + F.samples[j];
                CountsFixtures.assertRelative(ref.get("weight").get(key), w[j], 1e-6, "dream weight " + key);
            }
        }
    }

    /** β̂ of y on the design's X by the normal equations (a small, well-conditioned X). */
    static double[] leastSquares(Design d, double[] y) {
        int n = d.n(), p = d.p();
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) a[r][c] += d.x(i, r) * d.x(i, c);
                a[r][p] += d.x(i, r) * y[i];
            }
        }
        for (int c = 0; c < p; c++) {
            for (int r = c + 1; r < p; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= p; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] b = new double[p];
        for (int r = p - 1; r >= 0; r--) {
            double s = a[r][p];
            for (int k = r + 1; k < p; k++) s -= a[r][k] * b[k];
            b[r] = s / a[r][r];
        }
        return b;
    }
}
