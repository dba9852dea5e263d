package org.varpart.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a simulated multi-omics study with known variance fractions: a sample sheet (patients
 * with several samples each, labs, batches nested in labs, age and sex per patient), assay
 * matrices as TSV (the first gzip-compressed) each covering its own subset of the samples, with
 * some missing values, and {@code truth.tsv} with each feature's true fractions for
 * {@code ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)}.
 */
public final class StudySimulator {

    /**
     * The study's size and shape. {@code nullShare} is the probability that each of a feature's
     * age, sex, lab and batch effects is absent (its true fraction exactly 0), independently; the
     * patient effect and the residual are always present. Features with absent effects are the
     * known nulls against which tests are calibrated.
     */
    public record Spec(int patients, int samplesPerPatient, int labs, int batchesPerLab, int features,
                       String[] assays, double missing, long seed, double nullShare) {
        public Spec {
            if (patients < 2 || samplesPerPatient < 1 || labs < 2 || batchesPerLab < 1 || features < 1 || assays.length < 1) {
                throw new IllegalArgumentException("a study needs at least 2 patients, 2 labs, 1 batch per lab, 1 feature and 1 assay");
            }
            if (!(missing >= 0 && missing < 0.5)) throw new IllegalArgumentException("missing must be in [0, 0.5), got " + missing);
            if (!(nullShare >= 0 && nullShare <= 1)) throw new IllegalArgumentException("nullShare must be in [0, 1], got " + nullShare);
        }

        /** A study where every effect is present. */
        public Spec(int patients, int samplesPerPatient, int labs, int batchesPerLab, int features,
                    String[] assays, double missing, long seed) {
            this(patients, samplesPerPatient, labs, batchesPerLab, features, assays, missing, seed, 0.0);
        }

        public int samples() {
            return patients * samplesPerPatient;
        }
    }

    public static final String FORMULA = "~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)";

    private StudySimulator() {}

    /** Writes samples.tsv, one matrix per assay and truth.tsv into dir; returns the assay file names. */
    public static String[] write(Spec s, Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(s.seed());
        int n = s.samples(), nb = s.labs() * s.batchesPerLab();
        int[] patient = new int[n], batch = new int[n];
        double[] age = new double[n], male = new double[n];
        double[] pAge = new double[s.patients()];
        boolean[] pMale = new boolean[s.patients()];
        for (int p = 0; p < s.patients(); p++) {
            pAge[p] = Math.round((25 + 50 * rnd.nextDouble()) * 10) / 10.0;
            pMale[p] = rnd.nextBoolean();
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("samples.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample\tpatient\tlab\tbatch\tage\tsex\n");
            for (int i = 0; i < n; i++) {
                patient[i] = i / s.samplesPerPatient();
                batch[i] = rnd.nextInt(nb);
                age[i] = pAge[patient[i]];
                male[i] = pMale[patient[i]] ? 1 : 0;
                int lab = batch[i] / s.batchesPerLab();
                w.write(String.format(Locale.ROOT, "S%04d\tP%03d\tlab%d\tlab%d_b%d\t%.1f\t%s%n", i + 1, patient[i] + 1, lab + 1,
                        lab + 1, batch[i] % s.batchesPerLab() + 1, age[i], pMale[patient[i]] ? "M" : "F"));
            }
        }
        String[] files = new String[s.assays().length];
        try (BufferedWriter truth = Files.newBufferedWriter(dir.resolve("truth.tsv"), StandardCharsets.UTF_8)) {
            truth.write("assay\tfeature\tcomponent\ttrue_fraction\n");
            for (int a = 0; a < s.assays().length; a++) {
                String name = s.assays()[a];
                files[a] = name + (a == 0 ? ".tsv.gz" : ".tsv");
                // each assay after the first leaves out a tenth of the samples
                boolean[] in = new boolean[n];
                for (int i = 0; i < n; i++) in[i] = a == 0 || rnd.nextDouble() > 0.1;
                writeAssay(s, dir.resolve(files[a]), name, a == 0, in, patient, batch, age, male, rnd, truth);
            }
        }
        return files;
    }

    private static void writeAssay(Spec s, Path file, String name, boolean gzip, boolean[] in, int[] patient, int[] batch,
                                   double[] age, double[] male, Random rnd, BufferedWriter truth) throws IOException {
        int n = in.length, nb = s.labs() * s.batchesPerLab();
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8))) {
            StringBuilder h = new StringBuilder("feature");
            for (int i = 0; i < n; i++) if (in[i]) h.append('\t').append(String.format(Locale.ROOT, "S%04d", i + 1));
            w.write(h.append('\n').toString());
            for (int f = 0; f < s.features(); f++) {
                String id = String.format(Locale.ROOT, "%s_%05d", name, f + 1);
                // variances of patient, lab, batch and residual drawn per feature; small effects of age and sex
                double vP = 2 * Math.pow(rnd.nextDouble(), 2), vL = 0.5 * Math.pow(rnd.nextDouble(), 3);
                double vB = 0.6 * Math.pow(rnd.nextDouble(), 2), vE = 0.3 + rnd.nextDouble();
                double bAge = rnd.nextGaussian() * 0.015, bSex = rnd.nextGaussian() * 0.4;
                if (s.nullShare() > 0) {
                    // drawn only for such studies, so that other studies keep their values for a seed
                    if (rnd.nextDouble() < s.nullShare()) bAge = 0;
                    if (rnd.nextDouble() < s.nullShare()) bSex = 0;
                    if (rnd.nextDouble() < s.nullShare()) vL = 0;
                    if (rnd.nextDouble() < s.nullShare()) vB = 0;
                }
                double[] eP = new double[s.patients()], eL = new double[s.labs()], eB = new double[nb];
                for (int p = 0; p < eP.length; p++) eP[p] = Math.sqrt(vP) * rnd.nextGaussian();
                for (int l = 0; l < eL.length; l++) eL[l] = Math.sqrt(vL) * rnd.nextGaussian();
                for (int b = 0; b < nb; b++) eB[b] = Math.sqrt(vB) * rnd.nextGaussian();
                StringBuilder line = new StringBuilder(id);
                // one formatter per line: String.format would look up the locale's symbols for every value
                java.util.Formatter values = new java.util.Formatter(line, Locale.ROOT);
                double[] fixedAge = new double[n], fixedSex = new double[n];
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (!in[i]) continue;
                    fixedAge[m] = bAge * age[i];
                    fixedSex[m] = bSex * male[i];
                    m++;
                    double y = 8 + fixedAge[m - 1] + fixedSex[m - 1] + eP[patient[i]] + eL[batch[i] / s.batchesPerLab()] + eB[batch[i]]
                            + Math.sqrt(vE) * rnd.nextGaussian();
                    line.append('\t');
                    if (rnd.nextDouble() < s.missing()) line.append("NA");
                    else values.format("%.5f", y);
                }
                w.write(line.append('\n').toString());
                double va = var(fixedAge, m), vs = var(fixedSex, m);
                double total = vP + vL + vB + vE + va + vs;
                String[] comp = {"patient", "lab", "batch", "age", "sex", "Residuals"};
                double[] v = {vP, vL, vB, va, vs, vE};
                for (int c = 0; c < comp.length; c++) {
                    truth.write(String.format(Locale.ROOT, "%s\t%s\t%s\t%.6g%n", name, id, comp[c], v[c] / total));
                }
            }
        }
    }

    private static double var(double[] x, int m) {
        double mean = 0;
        for (int i = 0; i < m; i++) mean += x[i];
        mean /= m;
        double s = 0;
        for (int i = 0; i < m; i++) s += (x[i] - mean) * (x[i] - mean);
        return s / m;
    }
}
