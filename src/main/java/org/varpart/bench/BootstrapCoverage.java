package org.varpart.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.varpart.design.DataTable;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.simulate.StudySimulator;
import org.varpart.stats.FractionBootstrap;

/**
 * Measures the coverage of the fractions' 95% bootstrap intervals on a study written by
 * {@link StudySimulator}, whose {@code truth.tsv} gives each feature's true fractions: for each
 * component, over the features whose true fraction is at least 0.05, the share of intervals that
 * contain it, for both methods (each from its own bootstrap, as the job draws it: the percentile
 * interval from the ML fit, the logit-basic one from the REML fit). The study has no missing
 * values, so one design serves every feature; fits by ML, as the job.
 */
public final class BootstrapCoverage {

    /**
     * Coverage of one component: features counted, the share covered by each method, and the
     * share of the logit-basic intervals with an upper bound of 1 (the bootstrap could not bound
     * the component from above).
     */
    public record Coverage(String component, int features, double percentile, double logitBasic, double unbounded) {}

    private BootstrapCoverage() {}

    /**
     * @param patients patients of five samples each
     * @param labs labs, each with {@code batchesPerLab} batches nested in it
     */
    public static List<Coverage> run(int patients, int labs, int batchesPerLab, int features, int replicates, long seed)
            throws IOException {
        return run(patients, 5, labs, batchesPerLab, features, replicates, seed, true);
    }

    /**
     * @param samplesPerPatient samples per patient
     * @param percentile whether to bootstrap for the percentile interval too (its coverage is NaN otherwise)
     */
    public static List<Coverage> run(int patients, int samplesPerPatient, int labs, int batchesPerLab, int features, int replicates,
                                     long seed, boolean percentile) throws IOException {
        Path dir = Files.createTempDirectory("varpart-coverage");
        try {
            StudySimulator.write(new StudySimulator.Spec(patients, samplesPerPatient, labs, batchesPerLab, features, new String[] {"rna"},
                    0.0, seed), dir);
            return measure(dir, replicates, percentile);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** One feature's counts per component: features, covered (percentile), covered (logit basic), unbounded (null: true fraction below 0.05). */
    private record Hits(String[] components, int[][] hits) {}

    private static List<Coverage> measure(Path dir, int replicates, boolean percentile) throws IOException {
        DataTable samples = TableReader.read(dir.resolve("samples.tsv"));
        Map<String, Map<String, Double>> truth = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("truth.tsv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            truth.computeIfAbsent(f[1], k -> new HashMap<>()).put(f[2], Double.parseDouble(f[3]));
        }
        ModelSpec spec = ModelSpec.parse("y " + StudySimulator.FORMULA);
        FitOptions options = FitOptions.mlDefaults().withoutConditionalVariances();
        List<String> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(dir.resolve("rna.tsv.gz"))), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) rows.add(line);
        }
        // each feature's replicates are seeded by its ID, so features are measured independently:
        // on all cores, each thread with fitters of its own (a fitter keeps workspaces)
        ThreadLocal<BlockFitter[]> fitters = new ThreadLocal<>();
        List<Hits> perFeature = rows.parallelStream().map(line -> {
            String[] f = line.split("\t");
            double[] y = new double[f.length - 1];
            for (int i = 1; i < f.length; i++) y[i - 1] = Double.parseDouble(f[i]);
            BlockFitter[] own = fitters.get();
            if (own == null) {
                BlockFitter ml = new BlockFitter(DesignBuilder.build(spec, samples, "y", y), options);
                own = new BlockFitter[] {ml, new BlockFitter(ml.design(), options.withReml(true))};
                fitters.set(own);
            }
            BlockFitter fitter = own[0], reml = own[1];
            FitResult fit = fitter.fit(f[0], y);
            if (!fit.status().hasEstimates()) return new Hits(new String[0], new int[0][]);
            long seed = FractionBootstrap.seed(1, f[0]);
            List<FractionBootstrap.Interval> q = FractionBootstrap.run(FractionBootstrap.Method.LOGIT_BASIC, fitter, reml, fit, y,
                    replicates, seed).intervals(0.95, FractionBootstrap.Method.LOGIT_BASIC);
            List<FractionBootstrap.Interval> p = !percentile ? q : FractionBootstrap.run(FractionBootstrap.Method.PERCENTILE, fitter,
                    reml, fit, y, replicates, seed).intervals(0.95, FractionBootstrap.Method.PERCENTILE);
            String[] names = new String[p.size()];
            int[][] out = new int[p.size()][];
            for (int j = 0; j < p.size(); j++) {
                names[j] = p.get(j).component();
                double t = truth.get(f[0]).get(names[j]);
                if (t < 0.05) continue;
                out[j] = new int[] {1, p.get(j).lower() <= t && t <= p.get(j).upper() ? 1 : 0,
                    q.get(j).lower() <= t && t <= q.get(j).upper() ? 1 : 0, q.get(j).upper() >= 1 ? 1 : 0};
            }
            return new Hits(names, out);
        }).toList();
        Map<String, int[]> counts = new TreeMap<>(); // component: features, covered (percentile), covered (logit basic), unbounded
        for (Hits h : perFeature) {
            for (int j = 0; j < h.hits().length; j++) {
                if (h.hits()[j] == null) continue;
                int[] c = counts.computeIfAbsent(h.components()[j], k -> new int[4]);
                for (int k = 0; k < 4; k++) c[k] += h.hits()[j][k];
            }
        }
        return counts.entrySet().stream().map(e -> new Coverage(e.getKey(), e.getValue()[0],
                percentile ? e.getValue()[1] / (double) e.getValue()[0] : Double.NaN, e.getValue()[2] / (double) e.getValue()[0],
                e.getValue()[3] / (double) e.getValue()[0])).toList();
    }

    /** {@code java -cp ... org.varpart.bench.BootstrapCoverage patients labs batchesPerLab features replicates}. */
    public static void main(String[] args) throws IOException {
        int[] a = {40, 4, 2, 300, 100};
        for (int i = 0; i < Math.min(args.length, a.length); i++) a[i] = Integer.parseInt(args[i]);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%d patients x 5 samples, %d labs x %d batches, %d features x %d replicates; 95%% intervals,"
                + " components with true fraction >= 0.05:%n", a[0], a[1], a[2], a[3], a[4]);
        for (Coverage c : run(a[0], a[1], a[2], a[3], a[4], 7)) {
            out.printf(Locale.ROOT, "  %-10s %4d features: percentile %.3f, logit basic %.3f (upper bound 1: %.2f)%n", c.component(),
                    c.features(), c.percentile(), c.logitBasic(), c.unbounded());
        }
    }
}
