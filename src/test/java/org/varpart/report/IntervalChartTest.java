package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

/** The interval display from plain fraction rows: positions, bounds, pixels and the table. */
class IntervalChartTest {
    static final List<String> ORDER = List.of("patient", "batch", "Residuals");
    static final List<IntervalChart.Row> ROWS = List.of(
            new IntervalChart.Row("g1", "patient", 0.30, 0.15, 0.45),
            new IntervalChart.Row("g1", "batch", 0.10, 0.02, 0.21),
            new IntervalChart.Row("g1", "Residuals", 0.60, 0.48, 0.71),
            new IntervalChart.Row("g2", "patient", 0.05, null, null),
            new IntervalChart.Row("g2", "Residuals", 0.95, Double.NaN, Double.NaN));

    @Test
    void onePointPerRowInItsFeaturesBand() {
        YIntervalSeriesCollection d = IntervalChart.dataset(ROWS, ORDER);
        assertEquals(3, d.getSeriesCount());
        assertEquals("patient", d.getSeriesKey(0));
        // patient of g1: band 0, first of three components → x = 0 − 0.35; y 30 % from 15 % to 45 %
        assertEquals(-0.35, d.getXValue(0, 0), 1e-12);
        assertEquals(30.0, d.getYValue(0, 0), 1e-12);
        assertEquals(15.0, d.getStartYValue(0, 0), 1e-12);
        assertEquals(45.0, d.getEndYValue(0, 0), 1e-12);
        // batch of g1 in the middle of band 0; residuals of g2 at the end of band 1
        assertEquals(0.0, d.getXValue(1, 0), 1e-12);
        assertEquals(1.35, d.getXValue(2, 1), 1e-12);
        // no interval: a dot without a bar
        assertEquals(5.0, d.getStartYValue(0, 1), 1e-12);
        assertEquals(5.0, d.getEndYValue(0, 1), 1e-12);
        assertEquals(95.0, d.getEndYValue(2, 1), 1e-12);
        assertEquals(1, d.getItemCount(1), "g2 has no batch row");
        assertThrows(IllegalArgumentException.class, () -> IntervalChart.dataset(ROWS, List.of("patient", "Residuals")));
    }

    @Test
    void barsAreDrawnInTheComponentsColours() throws IOException {
        Palette palette = new Palette();
        BufferedImage img = ChartsTest.render(IntervalChart.chart(ROWS, ORDER, palette), 700, 260);
        assertTrue(ChartsTest.pixelsNear(img, palette.of("patient"), 1.0) > 50, "patient's dots and bars");
        assertTrue(ChartsTest.pixelsNear(img, palette.of("batch"), 1.0) > 50, "batch's dots and bars");
    }

    @Test
    void tableWritesEachFractionWithItsInterval() {
        String html = IntervalChart.table(ROWS, 0.95);
        assertTrue(html.contains("<th>95% interval</th>"), html);
        assertTrue(html.contains("<td>g1</td><td>patient</td><td class=\"n\">30.0%</td><td>15.0% – 45.0%</td>"), html);
        assertTrue(html.contains("<td>g2</td><td>Residuals</td><td class=\"n\">95.0%</td><td>–</td>"), html);
    }
}
