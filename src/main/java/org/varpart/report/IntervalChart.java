package org.varpart.report;

import static org.varpart.report.Html.esc;
import static org.varpart.report.Html.pct;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The confidence intervals of the fractions of a few features, from rows of the
 * {@code fractions} table with its {@code ci_lower} and {@code ci_upper}: one band per feature
 * (in the order first met), in it one dot per component at its fraction with a bar over its
 * interval, in the components' colours and order, so that it reads beside the percent bars; and
 * the same numbers as an HTML table. A row without an interval (intervals not computed, or too
 * few usable replicates) is a dot without a bar.
 */
public final class IntervalChart {
    /** The share of a feature's band that its components' dots spread over. */
    static final double BAND = 0.7;

    private IntervalChart() {}

    /**
     * One row of the {@code fractions} table.
     *
     * @param lower the interval's lower bound, or null
     * @param upper its upper bound, or null
     */
    public record Row(String feature, String component, double fraction, Double lower, Double upper) {}

    /** The features in order of first appearance. */
    static List<String> features(List<Row> rows) {
        Set<String> f = new LinkedHashSet<>();
        rows.forEach(r -> f.add(r.feature()));
        return new ArrayList<>(f);
    }

    /**
     * The plotted points, one series per component in {@code componentOrder}: x is the feature's
     * index plus the component's offset in the band, y the fraction in percent, the interval
     * its bounds in percent (both the fraction when there is none).
     */
    static YIntervalSeriesCollection dataset(List<Row> rows, List<String> componentOrder) {
        List<String> feats = features(rows);
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (String c : componentOrder) series.put(c, new YIntervalSeries(c, false, true));
        int k = componentOrder.size();
        for (Row r : rows) {
            int c = componentOrder.indexOf(r.component());
            if (c < 0) throw new IllegalArgumentException("component '" + r.component() + "' is not in the order " + componentOrder);
            double x = feats.indexOf(r.feature()) + offset(c, k);
            boolean hasInterval = r.lower() != null && r.upper() != null && !r.lower().isNaN() && !r.upper().isNaN();
            double lo = hasInterval ? r.lower() : r.fraction(), hi = hasInterval ? r.upper() : r.fraction();
            series.get(r.component()).add(x, 100 * r.fraction(), 100 * lo, 100 * hi);
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        return data;
    }

    /** Offset of component c of k within a feature's band, centred on the feature. */
    static double offset(int c, int k) {
        return k == 1 ? 0 : BAND * (c / (double) (k - 1) - 0.5);
    }

    /** The chart: features down the side, variance explained (%) across. */
    public static JFreeChart chart(List<Row> rows, List<String> componentOrder, Palette palette) {
        List<String> feats = features(rows);
        SymbolAxis features = new SymbolAxis(null, feats.toArray(new String[0]));
        features.setRange(-0.6, feats.size() - 0.4);
        features.setInverted(true);
        features.setGridBandsVisible(false);
        NumberAxis percent = new NumberAxis("Variance explained (%), with the confidence interval");
        percent.setRange(0, 100);
        percent.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(10));
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setDrawYError(true);
        r.setErrorStroke(new BasicStroke(2f));
        r.setCapLength(5);
        r.setErrorPaint(null); // each bar in its series' colour
        for (int i = 0; i < componentOrder.size(); i++) {
            r.setSeriesPaint(i, palette.of(componentOrder.get(i)));
            r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
            r.setSeriesLinesVisible(i, false);
            r.setSeriesShapesVisible(i, true);
        }
        XYPlot plot = new XYPlot(dataset(rows, componentOrder), features, percent, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setInsets(new org.jfree.chart.ui.RectangleInsets(8, 4, 4, 16));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xE3E3E3));
        for (org.jfree.chart.axis.Axis a : List.of(features, percent)) {
            a.setLabelFont(Charts.LABEL_FONT);
            a.setTickLabelFont(Charts.TICK_FONT);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(Charts.LABEL_FONT);
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** The numbers: per feature and component, the fraction and its interval as percentages. */
    public static String table(List<Row> rows, double level) {
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>feature</th><th>component</th><th class=\"n\">fraction</th><th>")
                .append(esc(Html.percent(level))).append(" interval</th></tr>\n");
        for (Row r : rows) {
            sb.append("<tr><td>").append(esc(r.feature())).append("</td><td>").append(esc(r.component()))
                    .append("</td><td class=\"n\">").append(pct(r.fraction())).append("</td><td>");
            if (r.lower() == null || r.upper() == null || r.lower().isNaN() || r.upper().isNaN()) sb.append("–");
            else sb.append(pct(r.lower())).append(" – ").append(pct(r.upper()));
            sb.append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }
}
