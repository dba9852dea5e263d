package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * R's lowess (150 points with tied x and a few outliers, spans 0.5 and 0.3) and approxfun with
 * rule 2 (inside, at knots, beyond both ends) against {@code fixtures/lowess.tsv}, 1e-12 absolute:
 * the same arithmetic as R's C code, so only rounding differs.
 */
class LowessTest {
    @Test
    void matchesR() throws IOException {
        List<String> lines = Files.readAllLines(CountsFixtures.ROOT.resolve("data/lowess_xy.csv"));
        int n = lines.size() - 1;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            x[i] = Double.parseDouble(f[0]);
            y[i] = Double.parseDouble(f[1]);
        }
        Map<String, Map<String, Double>> ref = CountsFixtures.read("lowess.tsv");
        for (String span : new String[] {"0.5", "0.3"}) {
            Lowess.Smooth s = Lowess.smooth(x, y, Double.parseDouble(span));
            Map<String, Double> expected = ref.get("lowess_" + span);
            assertEquals(n, expected.size());
            for (int i = 0; i < n; i++) assertEquals(expected.get(Integer.toString(i + 1)), s.y()[i], 1e-12, "lowess " + span + " point " + (i + 1));
            Interpolation f = new Interpolation(s.x(), s.y());
            for (Map.Entry<String, Double> e : ref.get("approx_" + span).entrySet()) {
                assertEquals(e.getValue(), f.value(Double.parseDouble(e.getKey())), 1e-12, "approxfun at " + e.getKey());
            }
        }
    }
}
