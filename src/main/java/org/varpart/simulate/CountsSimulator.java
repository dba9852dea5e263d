package org.varpart.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an RNA-seq count matrix (gzip TSV, features × every sample of the sheet) for a study
 * that {@link StudySimulator} wrote: negative-binomial counts whose log2 mean is a feature's
 * baseline expression plus the study's patient, lab and batch effects and age and sex effects
 * (drawn per feature, as for the log-scale assays), times a library size that varies by sample
 * (log-normal around 20 million reads, a factor of about 1.6 either way). The negative binomial
 * is drawn as a gamma–Poisson mixture with dispersion φ = 0.05 + 2/√(1 + μ) (more noise for
 * lowly expressed genes, as in real data); Poisson draws above a mean of 500 use the normal approximation,
 * rounded and floored at 0 (a simulation, not a reference).
 */
public final class CountsSimulator {
    private CountsSimulator() {}

    /** Writes {@code name}.tsv.gz into {@code dir}, from its samples.tsv; returns the file name. */
    public static String write(Path dir, String name, int features, long seed) throws IOException {
        List<String> sheet = Files.readAllLines(dir.resolve("samples.tsv"), StandardCharsets.UTF_8);
        int n = sheet.size() - 1;
        String[] ids = new String[n], patient = new String[n], lab = new String[n], batch = new String[n];
        double[] age = new double[n], male = new double[n];
        for (int i = 0; i < n; i++) {
            String[] c = sheet.get(i + 1).split("\t");
            ids[i] = c[0];
            patient[i] = c[1];
            lab[i] = c[2];
            batch[i] = c[3];
            age[i] = Double.parseDouble(c[4]);
            male[i] = c[5].equals("M") ? 1 : 0;
        }
        Random rnd = new Random(seed);
        double[] lib = new double[n];
        for (int i = 0; i < n; i++) lib[i] = 2e7 * Math.exp(0.5 * rnd.nextGaussian());
        String file = name + ".tsv.gz";
        try (OutputStream raw = Files.newOutputStream(dir.resolve(file));
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(raw), StandardCharsets.UTF_8))) {
            w.write("feature\t" + String.join("\t", ids) + "\n");
            for (int f = 0; f < features; f++) {
                // baseline log2 CPM: most genes lowly expressed, a tail of highly expressed ones
                double base = 1 + 2.5 * rnd.nextGaussian();
                double sP = Math.sqrt(0.6 * Math.pow(rnd.nextDouble(), 2)), sL = Math.sqrt(0.2 * Math.pow(rnd.nextDouble(), 3));
                double sB = Math.sqrt(0.3 * Math.pow(rnd.nextDouble(), 2));
                double bAge = rnd.nextGaussian() * 0.01, bSex = rnd.nextGaussian() * 0.3;
                java.util.Map<String, Double> eP = new java.util.HashMap<>(), eL = new java.util.HashMap<>(), eB = new java.util.HashMap<>();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s_%05d", name, f + 1));
                for (int i = 0; i < n; i++) {
                    double e = eP.computeIfAbsent(patient[i], k -> sP * rnd.nextGaussian())
                            + eL.computeIfAbsent(lab[i], k -> sL * rnd.nextGaussian())
                            + eB.computeIfAbsent(batch[i], k -> sB * rnd.nextGaussian());
                    double mu = lib[i] / 1e6 * Math.pow(2, base + bAge * (age[i] - 50) + bSex * male[i] + e);
                    double phi = 0.05 + 2 / Math.sqrt(1 + mu);
                    line.append('\t').append(poisson(mu * gamma(1 / phi, rnd) * phi, rnd));
                }
                w.write(line.append('\n').toString());
            }
        }
        return file;
    }

    /** A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)). */
    static double gamma(double shape, Random rnd) {
        if (shape < 1) return gamma(shape + 1, rnd) * Math.pow(rnd.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rnd.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = rnd.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /** A Poisson draw: by inversion for small means, the rounded normal approximation above 500. */
    static long poisson(double lambda, Random rnd) {
        if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rnd.nextGaussian()));
        double l = Math.exp(-lambda), p = 1;
        long k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
