package org.varpart.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.counts.CountChecks;

/** The simulated count matrix: every sample of the sheet, every value a count, library sizes that vary, means that follow the baseline. */
class CountsSimulatorTest {
    @TempDir
    Path dir;

    @Test
    void writesCountsOfEverySampleWithVaryingLibrarySizes() throws IOException {
        StudySimulator.write(new StudySimulator.Spec(10, 4, 2, 2, 3, new String[] {"x"}, 0.0, 3), dir);
        String file = CountsSimulator.write(dir, "rnaseq", 200, 4);
        double[] totals = new double[40];
        int rows = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(dir.resolve(file))),
                StandardCharsets.UTF_8))) {
            String[] head = r.readLine().split("\t");
            assertEquals(41, head.length, "the feature column and the sheet's 40 samples");
            assertEquals("S0001", head[1]);
            String line;
            while ((line = r.readLine()) != null) {
                String[] c = line.split("\t");
                for (int j = 1; j < c.length; j++) {
                    double v = Double.parseDouble(c[j]);
                    assertTrue(CountChecks.isCount(v), c[0] + ": " + c[j]);
                    totals[j - 1] += v;
                }
                rows++;
            }
        }
        assertEquals(200, rows);
        double min = Double.MAX_VALUE, max = 0;
        for (double t : totals) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        assertTrue(max / min > 1.5, "library sizes vary by sample: " + min + " to " + max);
    }
}
