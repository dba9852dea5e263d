package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The percent bars' error bars: their ends from the intervals and the stacking, and their pixels. */
class PercentBarIntervalsTest {
    static final List<ReportData.FeatureBar> BARS = List.of(
            new ReportData.FeatureBar("patient", "g1", Map.of("patient", 0.30, "batch", 0.10, "Residuals", 0.60)),
            new ReportData.FeatureBar("batch", "g2", Map.of("patient", 0.05, "Residuals", 0.95)));

    @Test
    void eachSegmentsErrorBarStartsWhereTheSegmentStarts() {
        List<PercentBarIntervals.Whisker> w = PercentBarIntervals.whiskers(BARS, IntervalChartTest.ROWS, IntervalChartTest.ORDER);
        // g1: patient [0 + 15, 0 + 45]; batch after patient's 30: [30 + 2, 30 + 21]; Residuals after 40: [40 + 48, 40 + 71 capped at 100]
        assertEquals(3, w.size(), w.toString());
        assertEquals(new PercentBarIntervals.Whisker(0, 0, 15.0, 45.0), round(w.get(0)));
        assertEquals(new PercentBarIntervals.Whisker(0, 1, 32.0, 51.0), round(w.get(1)));
        assertEquals(new PercentBarIntervals.Whisker(0, 2, 88.0, 100.0), round(w.get(2)));
        // g2's rows have no interval (null, NaN): no error bars
        assertTrue(w.stream().noneMatch(x -> x.bar() == 1));
        assertEquals(-0.3, PercentBarIntervals.offset(0, 3), 1e-12);
        assertEquals(0.3, PercentBarIntervals.offset(2, 3), 1e-12);
    }

    private static PercentBarIntervals.Whisker round(PercentBarIntervals.Whisker w) {
        return new PercentBarIntervals.Whisker(w.bar(), w.component(), Math.round(w.from() * 1e9) / 1e9, Math.round(w.to() * 1e9) / 1e9);
    }

    @Test
    void errorBarsAreDrawnOnThePercentBarsOnlyWithIntervals() throws IOException {
        Palette palette = new Palette();
        List<String> order = IntervalChartTest.ORDER;
        java.awt.Color patient = palette.of("patient").darker().darker();
        BufferedImage plain = ChartsTest.render(Charts.percentBars(BARS, order, palette), 700, 200);
        BufferedImage withBars = ChartsTest.render(PercentBarIntervals.addTo(Charts.percentBars(BARS, order, palette), BARS,
                IntervalChartTest.ROWS, order, palette), 700, 200);
        int before = ChartsTest.pixelsNear(plain, patient, 1.0), after = ChartsTest.pixelsNear(withBars, patient, 1.0);
        assertTrue(after > before + 100, "patient's error bar in its darker shade: " + before + " -> " + after + " pixels");
        BufferedImage none = ChartsTest.render(PercentBarIntervals.addTo(Charts.percentBars(BARS, order, palette), BARS,
                List.of(), order, palette), 700, 200);
        assertEquals(before, ChartsTest.pixelsNear(none, patient, 1.0), "no intervals, no error bars");
    }
}
