package org.varpart.simulate;

import java.util.Locale;
import java.util.Random;
import org.varpart.simulate.ClassicDesign.Table;

/**
 * How the rows of each {@link ClassicDesign} are drawn: who is measured when, which measurements
 * are missing (drop-out, missed visits, error trials, absences, partners who did not answer), and
 * each value as the model's fixed part, the unit's random effects and a residual, from the
 * design's {@link Truth}. The order of the random draws is part of the definition: the same seed
 * gives the same file.
 */
final class ClassicData {
    private ClassicData() {}

    /** The rows of {@link ClassicDesign#TUMOUR}, drawn from {@code t}. */
    static Table tumour(Random rnd, Truth t) {
        Table out = new Table("mouse", "treatment", "day", "volume");
        String[] arm = shuffledArms(rnd, 40, "control", "drug");
        for (int m = 0; m < arm.length; m++) {
            boolean drug = arm[m].equals("drug");
            double[] b = t.draw(rnd, "mouse");
            // about one mouse in seven leaves for a reason unrelated to its tumour
            int leaves = rnd.nextDouble() < 0.15 ? 3 * (2 + rnd.nextInt(8)) : Integer.MAX_VALUE;
            for (int day = 0; day <= 30 && day <= leaves; day += 3) {
                double logVolume = t.armByTime(drug ? 1 : 0, day, b, rnd);
                double volume = StrictMath.exp(logVolume);
                out.add(String.format(Locale.ROOT, "M%02d", m + 1), arm[m], Integer.toString(day), fixed(volume, 1));
                if (volume > 2000) break; // humane endpoint: the mouse is taken off the study
            }
        }
        return out;
    }

    /** The rows of {@link ClassicDesign#QOL}, drawn from {@code t}. */
    static Table qol(Random rnd, Truth t) {
        Table out = new Table("patient", "arm", "month", "qol");
        String[] arm = shuffledArms(rnd, 200, "placebo", "treatment");
        for (int p = 0; p < arm.length; p++) {
            double[] b = t.draw(rnd, "patient");
            double treated = arm[p].equals("treatment") ? 1 : 0;
            for (int month = 0; month <= 12; month += 3) {
                if (month > 0 && rnd.nextDouble() < 0.07) break; // drops out of the trial
                double score = t.armByTime(treated, month, b, rnd);
                if (month > 0 && rnd.nextDouble() < 0.04) continue; // misses this visit
                out.add(String.format(Locale.ROOT, "P%03d", p + 1), arm[p], Integer.toString(month), fixed(score, 1));
            }
        }
        return out;
    }

    /** The rows of {@link ClassicDesign#PRACTICE}, drawn from {@code t}. */
    static Table practice(Random rnd, Truth t) {
        Table out = new Table("participant", "trial", "condition", "rt");
        for (int s = 0; s < 36; s++) {
            double[] b = t.draw(rnd, "participant");
            for (int trial = 1; trial <= 60; trial++) {
                boolean incongruent = rnd.nextBoolean();
                double logTrial = StrictMath.log(trial);
                double rt = t.fixedPart(logTrial, incongruent ? 1 : 0) + b[0] + b[1] * logTrial + t.noise(rnd);
                boolean error = rnd.nextDouble() < 0.05; // error trials carry no reaction time
                out.add(String.format(Locale.ROOT, "S%02d", s + 1), Integer.toString(trial),
                        incongruent ? "incongruent" : "congruent", error ? "NA" : fixed(rt, 1));
            }
        }
        return out;
    }

    /** The rows of {@link ClassicDesign#SCHOOLS}, drawn from {@code t}. */
    static Table schools(Random rnd, Truth t) {
        Table out = new Table("district", "classroom", "student", "year", "score");
        for (int d = 0; d < 6; d++) {
            double district = t.draw(rnd, "district")[0];
            for (int c = 0; c < 5; c++) {
                double classroom = t.draw(rnd, "classroom")[0];
                String dName = "D" + (d + 1), cName = dName + "-C" + (c + 1);
                for (int s = 0; s < 12; s++) {
                    double[] b = t.draw(rnd, "student");
                    String sName = String.format(Locale.ROOT, "%s-S%02d", cName, s + 1);
                    for (int year = 0; year <= 3; year++) {
                        double score = t.fixedPart(year) + district + classroom + b[0] + b[1] * year + t.noise(rnd);
                        if (rnd.nextDouble() < 0.07) continue; // absent on the test day
                        out.add(dName, cName, sName, Integer.toString(year), fixed(score, 1));
                    }
                }
            }
        }
        return out;
    }

    /** The rows of {@link ClassicDesign#COUPLES}, drawn from {@code t}. */
    static Table couples(Random rnd, Truth t) {
        Table out = new Table("couple", "person", "role", "stress", "satisfaction");
        String[] role = {"female", "male"};
        for (int c = 0; c < 120; c++) {
            String couple = String.format(Locale.ROOT, "C%03d", c + 1);
            double u = t.draw(rnd, "couple")[0];
            double shared = 0.5 * rnd.nextGaussian(); // partners' stress is correlated
            double[] stress = new double[2];
            for (int k = 0; k < 2; k++) stress[k] = Double.parseDouble(fixed(3 + shared + 0.9 * rnd.nextGaussian(), 1));
            int missing = rnd.nextDouble() < 0.1 ? rnd.nextInt(2) : -1; // this partner did not answer
            for (int k = 0; k < 2; k++) {
                double y = t.fixedPart(k, stress[k], stress[1 - k]) + u + t.noise(rnd);
                if (k == missing) continue;
                out.add(couple, couple + (k == 0 ? "-F" : "-M"), role[k], fixed(stress[k], 1), fixed(y, 2));
            }
        }
        return out;
    }

    /** Half the arms one way, half the other, in random order (a randomised allocation). */
    static String[] shuffledArms(Random rnd, int n, String a, String b) {
        String[] arm = new String[n];
        for (int i = 0; i < n; i++) arm[i] = i < n / 2 ? a : b;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String s = arm[i];
            arm[i] = arm[j];
            arm[j] = s;
        }
        return arm;
    }

    /** A number with a fixed number of decimals, as the file holds it. */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
