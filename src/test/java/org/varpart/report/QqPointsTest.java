package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QqPointsTest {

    @Test
    void binnedPointsFollowTheExactOrderStatistics() {
        Random rnd = new Random(3);
        int m = 20000;
        double[] p = new double[m];
        for (int i = 0; i < m; i++) p[i] = i < 200 ? Math.pow(10, -2 - 10 * rnd.nextDouble()) : rnd.nextDouble();
        Map<Long, Long> bins = new TreeMap<>();
        for (double v : p) bins.merge(QqPoints.bin(v), 1L, Long::sum);
        long[] b = bins.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] c = bins.values().stream().mapToLong(Long::longValue).toArray();
        double[][] pts = QqPoints.fromBins(b, c);
        assertTrue(pts[0].length <= 2 * b.length);
        assertTrue(pts[0].length < m / 10, "far fewer points than p-values: " + pts[0].length);

        double[] sorted = p.clone();
        Arrays.sort(sorted);
        // every exact point (expected of rank r, −log10 p₍ᵣ₎) lies on a plotted point or between two
        // plotted points of the same bin, within half a bin width of the observed value drawn
        for (int r = 1; r <= m; r++) {
            double expected = -Math.log10((r - 0.5) / m), observed = -Math.log10(sorted[r - 1]);
            boolean covered = false;
            for (int i = 0; i < pts[0].length && !covered; i++) {
                if (Math.abs(pts[1][i] - observed) > QqPoints.WIDTH / 2 + 1e-12) continue;
                if (Math.abs(pts[0][i] - expected) < 1e-12) covered = true;
                else if (i + 1 < pts[0].length && pts[1][i + 1] == pts[1][i]) {
                    covered = expected <= pts[0][i] + 1e-12 && expected >= pts[0][i + 1] - 1e-12;
                }
            }
            assertTrue(covered, "rank " + r + ": p = " + sorted[r - 1]);
        }
        assertEquals(-Math.log10(0.5 / m), pts[0][0], 1e-12, "the smallest p-value is plotted first, at rank 1");
    }

    @Test
    void zeroAndInvalidPValues() {
        assertEquals((long) Math.floor(QqPoints.ZERO_P / QqPoints.WIDTH), QqPoints.bin(0));
        assertEquals(0, QqPoints.bin(1));
        assertEquals(200, QqPoints.bin(1e-2 * 0.999));
        assertEquals(-1, QqPoints.bin(Double.NaN));
        assertEquals(-1, QqPoints.bin(1.5));
        double[][] one = QqPoints.fromBins(new long[] {5}, new long[] {1});
        assertEquals(1, one[0].length);
        assertEquals(-Math.log10(0.5), one[0][0], 1e-12);
        assertEquals(0.055, one[1][0], 1e-12);
    }
}
