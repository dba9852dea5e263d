package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;

/**
 * The parametric bootstrap of the fractions: deterministic per (run seed, feature), simulating
 * from the estimates as defined, and calibrated on a simulated study with known fractions.
 */
class FractionBootstrapTest {
    static final FitOptions ML = FitOptions.mlDefaults().withoutConditionalVariances();

    /**
     * A study of {@code patients} patients with four samples each, {@code batches} batches crossed
     * with patients, and age per sample (uniform 20–80); rows in patient order.
     */
    static DataTable study(int patients, int batches, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = patients * 4;
        List<String[]> cols = new ArrayList<>();
        String[] sample = new String[n], patient = new String[n], batch = new String[n], age = new String[n];
        for (int i = 0; i < n; i++) {
            sample[i] = String.format(Locale.ROOT, "S%04d", i + 1);
            patient[i] = String.format(Locale.ROOT, "P%03d", i / 4 + 1);
            batch[i] = "B" + (rnd.nextInt(batches) + 1);
            age[i] = String.format(Locale.ROOT, "%.1f", 20 + 60 * rnd.nextDouble());
        }
        cols.add(sample);
        cols.add(patient);
        cols.add(batch);
        cols.add(age);
        return DataTable.fromText("simulated study", List.of("sample", "patient", "batch", "age"), cols);
    }

    static final String FORMULA = "y ~ age + (1 | patient) + (1 | batch)";

    /** The truth: variances of patient and batch, the age slope, the residual variance. */
    static final double V_PATIENT = 1.0, V_BATCH = 0.5, BETA_AGE = 0.03, V_RESIDUAL = 1.0;

    /** One feature drawn from the truth on the design's observations. */
    static double[] feature(Design d, SplittableRandom rnd) {
        ReplicateDraws.Normal z = new ReplicateDraws.Normal(rnd);
        int pLevels = 0, bLevels = 0;
        for (var t : d.terms()) {
            if (t.group().equals("patient")) pLevels = t.levels();
            else bLevels = t.levels();
        }
        double[] up = new double[pLevels], ub = new double[bLevels];
        for (int l = 0; l < pLevels; l++) up[l] = Math.sqrt(V_PATIENT) * z.next();
        for (int l = 0; l < bLevels; l++) ub[l] = Math.sqrt(V_BATCH) * z.next();
        var patient = d.terms().stream().filter(t -> t.group().equals("patient")).findFirst().orElseThrow();
        var batch = d.terms().stream().filter(t -> t.group().equals("batch")).findFirst().orElseThrow();
        int ageCol = List.of(d.xNames()).indexOf("age");
        double[] y = new double[d.n()];
        for (int i = 0; i < d.n(); i++) {
            y[i] = 5 + BETA_AGE * d.x(i, ageCol) + up[patient.code(i)] + ub[batch.code(i)] + Math.sqrt(V_RESIDUAL) * z.next();
        }
        return y;
    }

    /** The true fractions on the design (age's component: the population variance of age·β over the samples). */
    static Map<String, Double> truth(Design d) {
        int ageCol = List.of(d.xNames()).indexOf("age");
        double[] f = new double[d.n()];
        for (int i = 0; i < d.n(); i++) f[i] = BETA_AGE * d.x(i, ageCol);
        double vAge = VarianceFractions.populationVariance(f);
        double total = V_PATIENT + V_BATCH + vAge + V_RESIDUAL;
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("patient", V_PATIENT / total);
        t.put("batch", V_BATCH / total);
        t.put("age", vAge / total);
        t.put("Residuals", V_RESIDUAL / total);
        return t;
    }

    static Design design(DataTable samples) {
        return DesignBuilder.build(ModelSpec.parse(FORMULA), samples, "y", new double[samples.rows()]);
    }

    /** A rerun (a fresh fitter, as a retried task has) gives the same draws; another feature or seed does not. */
    @Test
    void deterministicPerRunSeedAndFeature() {
        Design d = design(study(20, 4, 7));
        double[] y = feature(d, new SplittableRandom(11));
        BlockFitter a = new BlockFitter(d, ML), b = new BlockFitter(d, ML);
        FitResult fit = a.fit("g1", y);
        long seed = FractionBootstrap.seed(42, "g1");
        FractionBootstrap.Result r1 = FractionBootstrap.run(a, fit, 30, seed);
        FractionBootstrap.Result r2 = FractionBootstrap.run(b, b.fit("g1", y), 30, FractionBootstrap.seed(42, "g1"));
        assertEquals(30, r1.usable());
        for (int r = 0; r < 30; r++) assertArrayEquals(r1.draws()[r], r2.draws()[r], 0.0);
        for (FractionBootstrap.Method m : FractionBootstrap.Method.values()) {
            assertEquals(r1.intervals(0.95, m), r2.intervals(0.95, m));
        }
        // the logit-basic interval's bootstrap (from the REML fit) reproduces as well, on fresh fitters
        FractionBootstrap.Result l1 = FractionBootstrap.run(FractionBootstrap.Method.LOGIT_BASIC, a, new BlockFitter(d, ML.withReml(true)), fit, y, 30, seed);
        FractionBootstrap.Result l2 = FractionBootstrap.run(FractionBootstrap.Method.LOGIT_BASIC, b, new BlockFitter(d, ML.withReml(true)), b.fit("g1", y), y, 30, seed);
        assertEquals(l1.intervals(0.95, FractionBootstrap.Method.LOGIT_BASIC), l2.intervals(0.95, FractionBootstrap.Method.LOGIT_BASIC));
        assertFalse(java.util.Arrays.equals(l1.fractions(), r1.fractions()), "centred on the REML fractions, not the ML ones");
        assertNotEquals(seed, FractionBootstrap.seed(42, "g2"));
        assertNotEquals(seed, FractionBootstrap.seed(43, "g1"));
        FractionBootstrap.Result other = FractionBootstrap.run(a, fit, 30, FractionBootstrap.seed(42, "g2"));
        assertFalse(java.util.Arrays.equals(r1.draws()[0], other.draws()[0]));
        // the seed is a fixed function of its inputs (FNV-1a then SplitMix64's finaliser), the same on every JVM
        assertEquals(FractionBootstrap.seed(42, "g1"), FractionBootstrap.seed(42L, new String("g1".toCharArray())));
    }

    /**
     * The lean refit of a replicate ({@link BlockFitter#refit}: e = y* − Xβ̂ refitted for θ̂, β̂ and
     * σ̂², fractions by {@link ReplicateFractions}) gives what the full fit of y* gives
     * ({@link BlockFitter#fit} from θ̂, {@link VarianceFractions#compute}): the same status and
     * every fraction within 1e-6 (both stop at a scaled gradient of 1e-7; they differ only in how
     * y* is shifted before the fit, so in the rounding of the criterion). By REML and ML, on a
     * design with a Schur objective (scalar terms: β̂, σ̂² read off its factor) and on one without
     * (a random slope first: the full model's factor).
     */
    @Test
    void leanRefitAgreesWithTheFullFit() {
        DataTable s = study(30, 4, 7);
        for (String formula : List.of(FORMULA, "y ~ age + (1 + age | patient) + (1 | batch)")) {
            Design d = DesignBuilder.build(ModelSpec.parse(formula), s, "y", new double[s.rows()]);
            for (FitOptions o : List.of(ML, ML.withReml(true))) {
                BlockFitter fitter = new BlockFitter(d, o);
                ReplicateFractions lean = new ReplicateFractions(d);
                int singular = 0;
                for (int f = 0; f < 4; f++) {
                    double[] y = feature(d, new SplittableRandom(100 + f));
                    FitResult fit = fitter.fit("f", y);
                    double[] xb = ReplicateDraws.fixedPart(d, fit.beta());
                    double[][] factors = ReplicateDraws.relativeFactors(d, fit.theta());
                    ReplicateDraws.Normal z = new ReplicateDraws.Normal(new SplittableRandom(f));
                    for (int r = 0; r < 25; r++) {
                        double[] e = ReplicateDraws.simulate(d, new double[d.n()], factors, Math.sqrt(fit.sigma2()), z);
                        double[] ys = e.clone();
                        for (int i = 0; i < ys.length; i++) ys[i] += xb[i];
                        FitResult full = fitter.fit("full", ys, fit.theta());
                        var refit = fitter.refit(e, fit.theta(), fit.beta());
                        String where = formula + " " + o.criterion() + " feature " + f + " replicate " + r;
                        assertEquals(full.status(), refit.status(), where);
                        if (full.status() == org.varpart.lmm.FitStatus.SINGULAR) singular++;
                        double[] got = new double[lean.size()];
                        lean.of(refit.theta(), refit.beta(), refit.sigma2(), got);
                        List<VarianceFractions.Component> want = VarianceFractions.compute(d, full);
                        for (int j = 0; j < got.length; j++) assertEquals(want.get(j).fraction(), got[j], 1e-6, where + " " + want.get(j).name());
                    }
                }
                System.out.println(formula + " " + o.criterion() + ": 100 replicates agree, " + singular + " singular");
            }
        }
    }

    /** Each interval holds the fit's own fraction's neighbourhood and is ordered; R's type-7 quantiles. */
    @Test
    void percentileIntervalsAsR() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0.025, 0.975)) gives 1.1 and 9.4
        double[] x = {1, 2, 3, 4, 10};
        assertEquals(1.1, FractionBootstrap.quantile(x, 0.025), 1e-12);
        assertEquals(9.4, FractionBootstrap.quantile(x, 0.975), 1e-12);
        assertEquals(3.0, FractionBootstrap.quantile(x, 0.5), 0);
        assertEquals(10.0, FractionBootstrap.quantile(new double[] {10}, 0.975), 0);
    }

    /**
     * Both readings of one set of replicates: 5 replicates of a component estimated at 0.2, at
     * level 0.5 the type-7 quantiles are q_lo = 0.1 and q_hi = 0.3; the logit-basic interval is
     * logit⁻¹(2 logit 0.2 − logit q) for q = 0.3 and 0.1. Edge rules: a lower quantile of 0
     * reflects to 1; an estimate of 0 gets [0, 1] (the limit as the estimate goes to 0, its lower
     * quantile being 0 then); failed replicates are left out.
     */
    @Test
    void intervalReadings() {
        double[][] draws = {{0.1, 0.0}, {0.2, 0.0}, {Double.NaN, Double.NaN}, {0.3, 0.1}, {0.05, 0.0}, {0.4, 0.2}};
        FractionBootstrap.Result r = new FractionBootstrap.Result(List.of("a", "b"), new double[] {0.2, 0.0}, 6, 5, draws, 0);
        var p = r.intervals(0.5, FractionBootstrap.Method.PERCENTILE);
        assertEquals(0.1, p.get(0).lower(), 1e-15);
        assertEquals(0.3, p.get(0).upper(), 1e-15);
        var b = r.intervals(0.5, FractionBootstrap.Method.LOGIT_BASIC);
        double e = Math.log(0.2 / 0.8);
        assertEquals(1 / (1 + Math.exp(-(2 * e - Math.log(0.3 / 0.7)))), b.get(0).lower(), 1e-15);
        assertEquals(1 / (1 + Math.exp(-(2 * e - Math.log(0.1 / 0.9)))), b.get(0).upper(), 1e-15);
        assertEquals(new FractionBootstrap.Interval("b", 0.0, 0.0, 1.0), b.get(1), "an estimate of 0: [0, 1]");
        assertEquals(0.0, p.get(1).lower(), 0, "the percentile interval of an estimate of 0 stays the quantiles'");
        assertEquals(1.0, FractionBootstrap.reflect(0.2, 0.0), 0);
        assertEquals(0.0, FractionBootstrap.reflect(0.2, 1.0), 0);
        assertTrue(Double.isNaN(FractionBootstrap.reflect(0.0, 0.1)));
        FractionBootstrap.Result one = new FractionBootstrap.Result(List.of("a"), new double[] {0.2}, 1, 1, new double[][] {{0.3}}, 0);
        assertTrue(Double.isNaN(one.intervals(0.95, FractionBootstrap.Method.PERCENTILE).get(0).lower()), "one replicate: no interval");
    }

    /**
     * The default reading of a fixed term is the percentile interval of the same replicates; the
     * random components and the residuals keep the logit-basic reflection. 20 replicates
     * x = (1, …, 20)/100 of an estimate of 0.055, level 0.90.
     */
    @Test
    void fixedTermsReadByPercentile() {
        double[] x = new double[20];
        double[][] draws = new double[20][];
        for (int i = 0; i < 20; i++) x[i] = (i + 1) / 100.0;
        for (int i = 0; i < 20; i++) draws[i] = new double[] {x[i], x[19 - i], 1 - 2 * x[i]};
        List<String> names = List.of("patient", "age", "Residuals");
        double[] est = {0.055, 0.055, 0.6};
        var iv = new FractionBootstrap.Result(names, est, 20, 20, draws, 0, new boolean[] {false, true, false})
                .intervals(0.90, FractionBootstrap.Method.LOGIT_BASIC);
        assertEquals(FractionBootstrap.quantile(x, 0.05), iv.get(1).lower(), 1e-15, "a fixed term: percentile");
        assertEquals(FractionBootstrap.quantile(x, 0.95), iv.get(1).upper(), 1e-15);
        assertEquals(FractionBootstrap.reflect(0.055, FractionBootstrap.quantile(x, 0.95)), iv.get(0).lower(), 1e-15, "random: logit basic");
        assertEquals(FractionBootstrap.reflect(0.055, FractionBootstrap.quantile(x, 0.05)), iv.get(0).upper(), 1e-15);
        // which components are fixed terms comes from the design: age here, in VarianceFractions' order
        Design d = design(study(20, 4, 7));
        BlockFitter fitter = new BlockFitter(d, ML);
        FitResult fit = fitter.fit("g", feature(d, new SplittableRandom(3)));
        FractionBootstrap.Result r = FractionBootstrap.run(fitter, fit, 5, 1);
        assertEquals(List.of("patient", "batch", "age", "Residuals"), r.components());
        assertArrayEquals(new boolean[] {false, false, true, false}, r.fixedTerms());
    }

    /**
     * The simulation draws from the estimates: over many replicates of one fit, the mean
     * squared level effect and residual match σ̂²·TTᵀ and σ̂² (checked on the fixed-part-free
     * response y* − Xβ̂ by the moments of a balanced one-way layout).
     */
    @Test
    void simulatesFromTheEstimates() {
        DataTable s = study(40, 4, 3);
        ModelSpec spec = ModelSpec.parse("y ~ 1 + (1 | patient)");
        Design d = DesignBuilder.build(spec, s, "y", new double[s.rows()]);
        double sigma = 0.8, theta = 1.5; // patient variance (σθ)² = 1.44, residual 0.64
        double[] mean = new double[d.n()];
        double[][] factors = ReplicateDraws.relativeFactors(d, new double[] {theta});
        ReplicateDraws.Normal normal = new ReplicateDraws.Normal(new SplittableRandom(5));
        int reps = 4000;
        double within = 0, between = 0;
        for (int r = 0; r < reps; r++) {
            double[] y = ReplicateDraws.simulate(d, mean, factors, sigma, normal);
            for (int p = 0; p < 40; p++) {
                double m = 0;
                for (int j = 0; j < 4; j++) m += y[4 * p + j] / 4;
                for (int j = 0; j < 4; j++) within += (y[4 * p + j] - m) * (y[4 * p + j] - m) / (3.0 * 40 * reps);
                between += m * m / (40.0 * reps);
            }
        }
        // E[within] = σ² = 0.64; E[mean²] = σ²θ² + σ²/4 = 1.44 + 0.16; Monte-Carlo sd about 0.002 and 0.006
        assertEquals(0.64, within, 0.01);
        assertEquals(1.60, between, 0.03);
    }

    /**
     * The same bootstrap as lme4's: {@code bootMer(fit, fractions, nsim = 2000, use.u = FALSE,
     * type = "parametric")} on two features of the example study (one complete, one with its own
     * missingness pattern), from {@code src/test/resources/bootstrap/make_bootstrap_fixtures.R}.
     * The random streams differ, so the replicates' distributions are compared within their
     * Monte-Carlo error, 2000 replicates on each side: means within 4 standard errors
     * √(sd²/2000 + sd²/2000); standard deviations within 4 standard errors of a standard
     * deviation, sd·√((κ − 1)/(4n)) on each side with κ the replicates' kurtosis; R's 2.5% and
     * 97.5% quantiles inside varpart's order statistics of rank np ± 4√(2np(1−p)). The fits'
     * own fractions agree to 1e-4 (lme4's default optimiser stops within that of the optimum).
     */
    @Test
    void sameDistributionAsBootMer() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/bootstrap");
        DataTable samples = TableReader.read(java.nio.file.Path.of("examples/study/samples.tsv"));
        DataTable values = TableReader.read(dir.resolve("features.tsv"));
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("bootmer.tsv"));
        ModelSpec spec = ModelSpec.parse("y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)");
        StringBuilder report = new StringBuilder("varpart vs bootMer, 2000 replicates each (mean, sd):");
        for (String feature : values.names().subList(1, values.names().size())) {
            Design d = DesignBuilder.build(spec, samples, feature, values.column(feature).numbers());
            BlockFitter fitter = new BlockFitter(d, ML);
            FitResult fit = fitter.fit(feature, d.y());
            FractionBootstrap.Result r = FractionBootstrap.run(fitter, fit, 2000, FractionBootstrap.seed(1, feature));
            int checked = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                if (!f[0].equals(feature)) continue;
                int j = r.components().indexOf(f[1]);
                double[] x = new double[r.usable()];
                int m = 0;
                for (double[] row : r.draws()) if (!Double.isNaN(row[j])) x[m++] = row[j];
                java.util.Arrays.sort(x);
                int n = x.length, nr = Integer.parseInt(f[7]);
                double mean = java.util.Arrays.stream(x).average().orElseThrow();
                double var = 0, m4 = 0;
                for (double v : x) {
                    var += (v - mean) * (v - mean) / n;
                    m4 += Math.pow(v - mean, 4) / n;
                }
                double sd = Math.sqrt(var), kurtosis = m4 / (var * var);
                double rMean = Double.parseDouble(f[3]), rSd = Double.parseDouble(f[4]);
                String what = feature + " " + f[1];
                report.append(String.format(Locale.ROOT, "%n  %s: varpart %.4f %.4f, bootMer %.4f %.4f", what, mean, sd, rMean, rSd));
                assertEquals(Double.parseDouble(f[2]), r.fractions()[j], 1e-4, what + " fraction");
                assertEquals(rMean, mean, 4 * Math.sqrt(sd * sd / n + rSd * rSd / nr), what + " mean");
                assertEquals(rSd, sd, 4 * sd * Math.sqrt((kurtosis - 1) / (4.0 * n) + (kurtosis - 1) / (4.0 * nr)), what + " sd");
                for (int q = 0; q < 2; q++) {
                    double p = q == 0 ? 0.025 : 0.975, rq = Double.parseDouble(f[5 + q]);
                    double half = 4 * Math.sqrt(2 * n * p * (1 - p));
                    double lo = x[Math.max(0, (int) Math.floor(n * p - half))], hi = x[Math.min(n - 1, (int) Math.ceil(n * p + half))];
                    assertTrue(lo <= rq && rq <= hi, what + " quantile " + p + ": bootMer " + rq + " outside [" + lo + ", " + hi + "]");
                }
                checked++;
            }
            assertEquals(r.components().size(), checked, feature + ": every component compared");
        }
        System.out.println(report);
    }

    /**
     * Calibration on a study with known fractions: 60 patients × 4 samples, 8 batches crossed,
     * age per sample; patient 1.0, batch 0.5, age slope 0.03, residual 1.0 (fractions 0.362,
     * 0.181, 0.095, 0.362). For each of 1,000 features drawn from the truth, 95% intervals from
     * 100 replicates, each method from the bootstrap the job draws for it (the feature fitted by
     * ML, as the job; the logit-basic interval's replicates from its REML fit, the percentile
     * interval's from its ML fit, the latter on the first 300 features only, to save time). The
     * issue's target, asserted for every component of the logit-basic interval: coverage within
     * [0.92, 0.97] over at least 1,000 features (the Monte-Carlo standard error of a coverage of
     * 0.95 is then 0.0069).
     *
     * <p>The percentile interval is not calibrated, and its coverage is printed, not asserted: a
     * variance from 8 levels is estimated low with a spread that shrinks with it, the percentile
     * interval inherits both and covers batch's true fraction in about 0.82 of the features.
     * {@code -Dvarpart.bootstrap.features}, {@code .replicates} and {@code .batches} change the
     * study (the band is asserted from 1,000 features on).
     */
    @Test
    void coverageOnASimulatedStudyWithKnownTruth() {
        int features = Integer.getInteger("varpart.bootstrap.features", 1000);
        int replicates = Integer.getInteger("varpart.bootstrap.replicates", 100);
        int batches = Integer.getInteger("varpart.bootstrap.batches", 8);
        int percentileFeatures = Math.min(features, 300);
        Design d = design(study(60, batches, 2026));
        Map<String, Double> truth = truth(d);
        BlockFitter fitter = new BlockFitter(d, ML), reml = new BlockFitter(d, ML.withReml(true));
        SplittableRandom rnd = new SplittableRandom(99);
        Map<FractionBootstrap.Method, Map<String, Integer>> covered = new LinkedHashMap<>();
        for (FractionBootstrap.Method m : FractionBootstrap.Method.values()) {
            covered.put(m, new LinkedHashMap<>());
            truth.keySet().forEach(k -> covered.get(m).put(k, 0));
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int fitted = 0;
        Map<String, Integer> unbounded = new LinkedHashMap<>();
        long fitNanos = 0, bootNanos = 0;
        for (int f = 0; f < features; f++) {
            double[] y = feature(d, rnd);
            long t0 = cpu.getCurrentThreadCpuTime();
            FitResult fit = fitter.fit("f" + f, y);
            long t1 = cpu.getCurrentThreadCpuTime();
            if (!fit.status().hasEstimates()) continue;
            long seed = FractionBootstrap.seed(1, "f" + f);
            FractionBootstrap.Result r = FractionBootstrap.run(FractionBootstrap.Method.LOGIT_BASIC, fitter, reml, fit, y, replicates, seed);
            long t2 = cpu.getCurrentThreadCpuTime();
            fitNanos += t1 - t0;
            bootNanos += t2 - t1;
            fitted++;
            for (FractionBootstrap.Method m : FractionBootstrap.Method.values()) {
                if (m == FractionBootstrap.Method.PERCENTILE) {
                    if (f >= percentileFeatures) continue;
                    r = FractionBootstrap.run(m, fitter, reml, fit, y, replicates, seed);
                }
                for (FractionBootstrap.Interval iv : r.intervals(0.95, m)) {
                    assertTrue(iv.lower() <= iv.upper(), iv.toString());
                    if (m == FractionBootstrap.Method.LOGIT_BASIC && iv.upper() == 1) unbounded.merge(iv.component(), 1, Integer::sum);
                    double t = truth.get(iv.component());
                    if (iv.lower() <= t && t <= iv.upper()) covered.get(m).merge(iv.component(), 1, Integer::sum);
                }
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "bootstrap coverage of 95%% intervals, %d batches, %d features x %d replicates (percentile: the first %d):",
                batches, fitted, replicates, percentileFeatures));
        for (var m : covered.entrySet()) {
            sb.append("\n  ").append(m.getKey()).append(':');
            int counted = m.getKey() == FractionBootstrap.Method.PERCENTILE ? percentileFeatures : fitted;
            for (var e : truth.entrySet()) {
                sb.append(String.format(Locale.ROOT, " %s (true %.3f) %.3f;", e.getKey(), e.getValue(), m.getValue().get(e.getKey()) / (double) counted));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n  logit-basic intervals with upper bound 1 (a quantile at 0), by component: %s", unbounded));
        sb.append(String.format(Locale.ROOT, "%n  CPU time: %.3f ms per fit, %.3f ms per replicate (REML fit, refits and fractions)",
                fitNanos / 1e6 / fitted, bootNanos / 1e6 / fitted / replicates));
        System.out.println(sb);
        assertEquals(features, fitted);
        if (fitted < 1000) return; // a shorter run (by the properties above) only prints
        for (var e : covered.get(FractionBootstrap.Method.LOGIT_BASIC).entrySet()) {
            double c = e.getValue() / (double) fitted;
            assertTrue(c >= 0.92 && c <= 0.97, "LOGIT_BASIC " + e.getKey() + " coverage " + c + " outside [0.92, 0.97]: " + sb);
        }
    }
}
