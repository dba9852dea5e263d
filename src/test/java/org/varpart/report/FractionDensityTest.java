package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FractionDensityTest {

    @Test
    void bandwidthIsRsBwNrd0() {
        // R 4.2, print(c(bw.nrd0(1:10), sd(1:10)), digits = 15): 1.71928640469228 3.02765035409749;
        // IQR(1:10) = 4.5, so min(sd, IQR/1.34) is the sd
        assertEquals(1.71928640469228, FractionDensity.silvermanBandwidth(3.02765035409749, 4.5, 10), 1e-13);
        // R: print(c(bw.nrd0(c(0, 0, 0, 0, 1)), sd(c(0, 0, 0, 0, 1))), digits = 15): 0.291718187404697
        // 0.447213595499958; the IQR is 0, so the sd is used
        assertEquals(0.291718187404697, FractionDensity.silvermanBandwidth(0.447213595499958, 0, 5), 1e-13);
        assertEquals(0, FractionDensity.silvermanBandwidth(0, 0, 50), "no spread, no bandwidth");
    }

    @Test
    void binnedEstimateMatchesTheExactKernelDensityAndIntegratesToOne() {
        Random rnd = new Random(11);
        int n = 4000, bins = 2048;
        double[] x = new double[n];
        long[] counts = new long[bins];
        for (int i = 0; i < n; i++) {
            x[i] = Math.min(1, Math.max(0, 0.4 + 0.08 * rnd.nextGaussian()));
            counts[FractionDensity.bin(x[i], bins)]++;
        }
        double mean = Arrays.stream(x).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double iqr = sorted[(int) (0.75 * (n - 1))] - sorted[(int) (0.25 * (n - 1))];
        double h = FractionDensity.silvermanBandwidth(sd, iqr, n);
        double[][] d = FractionDensity.estimate(counts, h, 0, 1, 201);
        double integral = 0, peak = 0, worst = 0;
        for (int i = 0; i < 201; i++) {
            double exact = 0;
            for (double v : x) exact += Math.exp(-0.5 * Math.pow((d[0][i] - v) / h, 2));
            exact /= n * h * Math.sqrt(2 * Math.PI);
            peak = Math.max(peak, exact);
            worst = Math.max(worst, Math.abs(exact - d[1][i]));
            integral += d[1][i] * (i == 0 || i == 200 ? 0.5 : 1) / 200;
        }
        // binning moves each value by at most half a bin (1/4096), far below the bandwidth
        assertTrue(worst < 2e-3 * peak, "largest difference " + worst + " against a peak of " + peak);
        assertEquals(1, integral, 1e-3, "the mass of a distribution well inside [0, 1]");
    }

    @Test
    void theViolinIsTrimmedToTheDataAndSkippedWithoutSpread() {
        long[] counts = new long[100];
        counts[10] = 5;
        counts[30] = 5;
        double[][] d = FractionDensity.estimate(counts, 0.05, 0.105, 0.305, 50);
        assertEquals(0.105, d[0][0], 1e-12);
        assertEquals(0.305, d[0][49], 1e-12);
        assertTrue(Arrays.stream(d[1]).allMatch(f -> f > 0));
        assertEquals(0, FractionDensity.estimate(counts, 0.05, 0.2, 0.2, 50)[0].length, "a single value has no violin");
        assertEquals(0, FractionDensity.estimate(new long[100], 0.05, 0, 1, 50)[0].length, "no data, no violin");
        assertEquals(99, FractionDensity.bin(1.0, 100), "1 falls in the last bin");
        assertEquals(0, FractionDensity.bin(0.0, 100));
    }
}
