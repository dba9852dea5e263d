package org.varpart.counts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;

/**
 * The RNA-seq study and the reference values written by
 * {@code src/test/resources/counts/make_counts_fixtures.R} (edgeR, limma, lme4/lmerTest and the
 * script's transcription of variancePartition); the tests read them and need no R.
 */
final class CountsFixtures {
    static final Path ROOT = Path.of("src/test/resources/counts");
    static final String FORMULA = "y ~ treatment + age + (1 | patient) + (1 | batch)";

    final String[] features;
    final String[] samples;
    final double[][] counts;
    final DataTable sheet;

    private CountsFixtures() {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("data/counts.csv"));
            String[] head = lines.get(0).split(",");
            samples = new String[head.length - 1];
            for (int j = 1; j < head.length; j++) samples[j - 1] = unquote(head[j]);
            features = new String[lines.size() - 1];
            counts = new double[lines.size() - 1][];
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",");
                features[i - 1] = unquote(cells[0]);
                counts[i - 1] = new double[cells.length - 1];
                for (int j = 1; j < cells.length; j++) counts[i - 1][j - 1] = Double.parseDouble(cells[j]);
            }
            sheet = TableReader.read(ROOT.resolve("data/samples.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CountsFixtures load() {
        return new CountsFixtures();
    }

    /** The mixed-model design with the given response. */
    Design design(double[] y) {
        return DesignBuilder.build(ModelSpec.parse(FORMULA), sheet, "y", y);
    }

    /** A fixture file as key → (name → value). */
    static Map<String, Map<String, Double>> read(String file) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(ROOT.resolve("fixtures").resolve(file))) {
                String[] f = line.split("\t");
                double v = f[2].equals("Inf") ? Double.POSITIVE_INFINITY : f[2].equals("NA") ? Double.NaN : Double.parseDouble(f[2]);
                out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The rows of the features edgeR keeps. */
    double[][] kept(Map<String, Double> keep) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < features.length; i++) if (keep.get(features[i]) == 1.0) rows.add(counts[i]);
        return rows.toArray(new double[0][]);
    }

    String[] keptNames(Map<String, Double> keep) {
        List<String> names = new ArrayList<>();
        for (String f : features) if (keep.get(f) == 1.0) names.add(f);
        return names.toArray(new String[0]);
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    static void assertRelative(double expected, double actual, double tol, String what) {
        double err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
        if (!(err <= tol)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual + " (relative error " + err + " > " + tol + ")");
        }
    }
}
