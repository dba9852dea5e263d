package org.varpart.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;

/**
 * Times varpart's per-feature fitting on one core on the reference design, and lme4's
 * {@code lmer()} and {@code refit()} on the very same data when {@code Rscript} with lme4 is
 * installed, and compares the objectives (ML deviance).
 */
public final class FittingBenchmark {

    /** The figures of one run. */
    public record Figures(int samples, int features, double varpartMs, int evaluations, int statusOk,
                          double lme4LmerMs, double lme4RefitMs, int lme4Features, double worstRelativeExcess,
                          double meanRelativeDifference) {

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "  %d samples, %d features: varpart %.3f ms/feature (%.0f features/s on one core, %d evaluations/feature of the criterion and its gradient, %d fits ok or singular)%n",
                    samples, features, varpartMs, 1000 / varpartMs, evaluations, statusOk));
            if (!Double.isNaN(lme4RefitMs)) {
                sb.append(String.format(Locale.ROOT, "  lme4: lmer() %.2f ms/feature, refit() %.2f ms/feature (%d features); varpart is %.0fx refit() and %.0fx lmer()%n",
                        lme4LmerMs, lme4RefitMs, lme4Features, lme4RefitMs / varpartMs, lme4LmerMs / varpartMs));
                sb.append(String.format(Locale.ROOT, "  objective (ML deviance): varpart above lme4 by at most %.2e relative (negative: always lower); mean |difference| %.2e%n",
                        worstRelativeExcess, meanRelativeDifference));
            }
            return sb.toString();
        }
    }

    private FittingBenchmark() {}

    /**
     * @param patients patients in the reference design (five samples each)
     * @param features features to time varpart on
     * @param rFeatures features to give lme4 (0 for none)
     */
    public static Figures run(int patients, int features, int rFeatures, long seed, PrintStream log) throws IOException, InterruptedException {
        ReferenceDesign rd = new ReferenceDesign(patients, seed);
        double[][] y = rd.features(features);
        ModelSpec spec = ModelSpec.parse("y " + ReferenceDesign.FORMULA);
        Design d = DesignBuilder.build(spec, rd.samples(), "y", y[0]);
        FitOptions options = FitOptions.mlDefaults().withoutConditionalVariances();
        BlockFitter fitter = new BlockFitter(d, options);
        // warm-up: let the JIT compile the hot paths before timing
        for (int f = 0; f < Math.min(features, 300); f++) fitter.fit("warmup", y[f]);
        double[] objective = new double[features];
        long evals = 0;
        int ok = 0;
        long t0 = System.nanoTime();
        for (int f = 0; f < features; f++) {
            FitResult r = fitter.fit("f" + f, y[f]);
            objective[f] = r.objective();
            evals += r.evaluations();
            if (r.status().hasEstimates()) ok++;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / features;
        double lmer = Double.NaN, refit = Double.NaN, worst = Double.NaN, mean = Double.NaN;
        int rf = Math.min(rFeatures, features);
        if (rf > 0) {
            double[][] lme4 = lme4(rd, y, rf, log);
            if (lme4 != null) {
                lmer = lme4[0][0];
                refit = lme4[0][1];
                worst = Double.NEGATIVE_INFINITY;
                mean = 0;
                for (int f = 0; f < rf; f++) {
                    double diff = (objective[f] - lme4[1][f]) / Math.abs(lme4[1][f]);
                    worst = Math.max(worst, diff);
                    mean += Math.abs(diff) / rf;
                }
            }
        }
        return new Figures(rd.n(), features, ms, (int) Math.round(evals / (double) features), ok, lmer, refit, rf, worst, mean);
    }

    /** Runs lme4 on the first {@code count} features; null when R or lme4 is not available. */
    private static double[][] lme4(ReferenceDesign rd, double[][] y, int count, PrintStream log) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("varpart-bench");
        try {
            writeInputs(rd, y, count, dir);
            Path script = dir.resolve("lme4_bench.R");
            try (InputStream in = FittingBenchmark.class.getResourceAsStream("lme4_bench.R")) {
                Files.copy(in, script);
            }
            int nLmer = Math.min(count, 100);
            ProcessBuilder pb = new ProcessBuilder("Rscript", script.toString(), dir.toString(), Integer.toString(nLmer))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("r.log").toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                log.println("  (Rscript not found: lme4 is not timed)");
                return null;
            }
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                log.println("  (lme4 run failed: " + Files.readString(dir.resolve("r.log")).strip() + ")");
                return null;
            }
            List<String> lines = Files.readAllLines(dir.resolve("lme4.tsv"));
            double lmerMs = Double.parseDouble(lines.get(0).split("\t")[1]);
            double refitMs = Double.parseDouble(lines.get(1).split("\t")[1]);
            double[] dev = new double[count];
            for (int f = 0; f < count; f++) dev[f] = Double.parseDouble(lines.get(4 + f).split("\t")[1]);
            return new double[][] {{lmerMs, refitMs}, dev};
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }

    private static void writeInputs(ReferenceDesign rd, double[][] y, int count, Path dir) throws IOException {
        var t = rd.samples();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("samples.csv"), StandardCharsets.UTF_8)) {
            w.write(String.join(",", t.names()));
            w.newLine();
            for (int i = 0; i < t.rows(); i++) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < t.names().size(); j++) {
                    if (j > 0) sb.append(',');
                    sb.append(t.column(t.names().get(j)).text()[i]);
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("features.csv"), StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder();
            for (int f = 0; f < count; f++) h.append(f == 0 ? "" : ",").append("f").append(f + 1);
            w.write(h.toString());
            w.newLine();
            for (int i = 0; i < rd.n(); i++) {
                StringBuilder sb = new StringBuilder();
                for (int f = 0; f < count; f++) sb.append(f == 0 ? "" : ",").append(y[f][i]);
                w.write(sb.toString());
                w.newLine();
            }
        }
    }
}
