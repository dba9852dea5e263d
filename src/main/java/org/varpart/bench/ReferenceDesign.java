package org.varpart.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.varpart.design.DataTable;

/**
 * The benchmark's reference study: patients with five samples each, four labs, sixteen batches
 * nested in labs (four per lab), age and sex per patient, and features simulated with known
 * variance components for patient, lab, batch and residual, plus age and sex effects.
 */
public final class ReferenceDesign {
    public static final String FORMULA = "~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)";

    private final DataTable samples;
    private final int[] patient, lab, batch;
    private final double[] age, male;
    private final long seed;

    /** @param patients number of patients (80 gives the 400-sample reference design) */
    public ReferenceDesign(int patients, long seed) {
        this.seed = seed;
        Random rnd = new Random(seed);
        int n = patients * 5;
        patient = new int[n];
        lab = new int[n];
        batch = new int[n];
        age = new double[n];
        male = new double[n];
        double[] pAge = new double[patients];
        boolean[] pMale = new boolean[patients];
        for (int p = 0; p < patients; p++) {
            pAge[p] = Math.round((30 + 40 * rnd.nextDouble()) * 10) / 10.0;
            pMale[p] = rnd.nextBoolean();
        }
        String[][] cols = new String[6][n];
        for (int i = 0; i < n; i++) {
            patient[i] = i / 5;
            batch[i] = rnd.nextInt(16);
            lab[i] = batch[i] / 4;
            age[i] = pAge[patient[i]];
            male[i] = pMale[patient[i]] ? 1 : 0;
            cols[0][i] = String.format("S%05d", i + 1);
            cols[1][i] = String.format("P%04d", patient[i] + 1);
            cols[2][i] = "L" + (lab[i] + 1);
            cols[3][i] = "L" + (lab[i] + 1) + "B" + (batch[i] % 4 + 1);
            cols[4][i] = Double.toString(age[i]);
            cols[5][i] = pMale[patient[i]] ? "M" : "F";
        }
        List<String[]> list = new ArrayList<>(List.of(cols));
        samples = DataTable.fromText("reference design", List.of("sample", "patient", "lab", "batch", "age", "sex"), list);
    }

    public DataTable samples() {
        return samples;
    }

    public int n() {
        return patient.length;
    }

    /**
     * Feature values: each feature draws its own standard deviations for patient, lab, batch and
     * residual, so the fractions vary across features as in real assays.
     */
    public double[][] features(int count) {
        Random rnd = new Random(seed * 31 + count);
        int n = n();
        int patients = patient[n - 1] + 1;
        double[][] y = new double[count][n];
        for (int f = 0; f < count; f++) {
            double sP = rnd.nextDouble() * 1.5, sL = rnd.nextDouble() * 0.8, sB = rnd.nextDouble() * 0.8;
            double bAge = rnd.nextGaussian() * 0.02, bSex = rnd.nextGaussian() * 0.3;
            double[] eP = new double[patients], eL = new double[4], eB = new double[16];
            for (int p = 0; p < patients; p++) eP[p] = sP * rnd.nextGaussian();
            for (int l = 0; l < 4; l++) eL[l] = sL * rnd.nextGaussian();
            for (int b = 0; b < 16; b++) eB[b] = sB * rnd.nextGaussian();
            for (int i = 0; i < n; i++) {
                y[f][i] = 5 + bAge * age[i] + bSex * male[i] + eP[patient[i]] + eL[lab[i]] + eB[batch[i]] + rnd.nextGaussian();
            }
        }
        return y;
    }
}
