package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The plots from plain arrays: shapes, colours, and pixels that are really drawn. */
class ChartsTest {

    /** A component whose fractions are normal(mean, sd) clipped to [0, 1], n of them. */
    static ReportData.Component component(String name, double mean, double sd, int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        long[] counts = new long[Charts.DENSITY_BINS];
        for (int i = 0; i < n; i++) {
            x[i] = Math.min(1, Math.max(0, mean + sd * rnd.nextGaussian()));
            counts[FractionDensity.bin(x[i], Charts.DENSITY_BINS)]++;
        }
        java.util.Arrays.sort(x);
        double m = java.util.Arrays.stream(x).average().orElseThrow();
        double s = Math.sqrt(java.util.Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (n - 1));
        return new ReportData.Component(name, n, m, x[n / 2], x[n / 20], x[n / 4], x[3 * n / 4], x[19 * n / 20], s, x[0], x[n - 1],
                counts, 10L, 1.1);
    }

    static BufferedImage render(org.jfree.chart.JFreeChart chart, int w, int h) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.png(chart, w, h)));
        assertEquals(2 * w, img.getWidth(), "drawn at twice the CSS size");
        assertEquals(2 * h, img.getHeight());
        return img;
    }

    /** Pixels within a small distance of a colour (as drawn over white at the given opacity). */
    static int pixelsNear(BufferedImage img, Color c, double alpha) {
        int r = (int) Math.round(alpha * c.getRed() + (1 - alpha) * 255), g = (int) Math.round(alpha * c.getGreen() + (1 - alpha) * 255),
                b = (int) Math.round(alpha * c.getBlue() + (1 - alpha) * 255);
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - r) + Math.abs(((p >> 8) & 255) - g) + Math.abs((p & 255) - b) < 12) n++;
            }
        }
        return n;
    }

    @Test
    void violinOutlineIsSymmetricAndAsWideAsTheOthersAtItsMode() {
        double[] f = {0.1, 0.2, 0.3, 0.4};
        double[] d = {1, 4, 2, 0.5};
        double[] poly = Charts.violin(3, f, d);
        assertEquals(16, poly.length);
        for (int i = 0; i < 4; i++) {
            double right = poly[2 * i], left = poly[16 - 2 * i - 2];
            assertEquals(3 - right, left - 3, 1e-12, "mirrored about its position");
            assertEquals(100 * f[i], poly[2 * i + 1], 1e-12, "in percent");
            assertEquals(100 * f[i], poly[16 - 2 * i - 1], 1e-12);
        }
        assertEquals(3.42, poly[2], 1e-12, "the mode reaches the common half-width");
        assertEquals(3 + 0.42 / 8, poly[6], 1e-12, "the width is proportional to the density");
    }

    @Test
    void violinsAreDrawnInTheComponentsColours() throws IOException {
        Palette palette = new Palette();
        List<ReportData.Component> comps = List.of(component("patient", 0.4, 0.15, 500, 1), component("batch", 0.1, 0.05, 500, 2),
                component(ReportData.RESIDUALS, 0.5, 0.1, 500, 3));
        BufferedImage img = render(Charts.violins(comps, palette), 700, 360);
        for (ReportData.Component c : comps) {
            int n = pixelsNear(img, palette.of(c.name()), 0.85);
            assertTrue(n > 2000, c.name() + ": " + n + " pixels of its colour");
        }
        assertEquals(Palette.RESIDUALS, palette.of(ReportData.RESIDUALS), "residuals are grey");
        assertNotEquals(palette.of("patient"), palette.of("batch"));
        assertEquals(palette.of("patient"), palette.of("patient"), "a component keeps its colour");
    }

    @Test
    void percentBarsStackEveryFeatureToTheFullWidth() throws IOException {
        Palette palette = new Palette();
        List<String> order = List.of("patient", "batch", ReportData.RESIDUALS);
        List<ReportData.FeatureBar> bars = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("patient", 0.6 - 0.1 * i);
            f.put("batch", 0.1 + 0.1 * i);
            f.put(ReportData.RESIDUALS, 0.3);
            bars.add(new ReportData.FeatureBar(i < 2 ? "patient" : "batch", "gene" + i, f));
        }
        org.jfree.chart.JFreeChart chart = Charts.percentBars(bars, order, palette);
        org.jfree.data.category.CategoryDataset data = chart.getCategoryPlot().getDataset();
        assertEquals(4, data.getColumnCount());
        assertEquals("gene0  (top patient)", data.getColumnKey(0));
        for (int col = 0; col < 4; col++) {
            double sum = 0;
            for (int row = 0; row < 3; row++) sum += data.getValue(row, col).doubleValue();
            assertEquals(100, sum, 1e-9, "a feature's fractions fill its bar");
        }
        BufferedImage img = render(chart, 700, 220);
        for (String c : order) assertTrue(pixelsNear(img, palette.of(c), 1) > 1000, c);
    }

    @Test
    void qqLegendGivesLambdaAndTheCountSignificant() throws IOException {
        ReportData.TestSeries t = new ReportData.TestSeries("patient", true, new long[] {0, 150, 700}, new long[] {90, 8, 2}, 10L, 1.234);
        assertEquals("patient (LRT) · λ = 1.23 · 10 of 100 at FDR 5%", Charts.legend(t, 0.05));
        ReportData.TestSeries age = new ReportData.TestSeries("age", false, new long[] {3}, new long[] {100}, null, null);
        assertEquals("age (F test)", Charts.legend(age, 0.05));
        Palette palette = new Palette();
        org.jfree.chart.JFreeChart chart = Charts.qq(List.of(t, age), palette, 0.05);
        assertEquals(2, chart.getXYPlot().getDataset().getSeriesCount());
        assertEquals(7.005, chart.getXYPlot().getDataset().getYValue(0, 0), 1e-12, "the smallest p first");
        BufferedImage img = render(chart, 500, 400);
        assertTrue(pixelsNear(img, palette.of("patient"), 0.8) > 50);
    }
}
