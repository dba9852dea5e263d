package org.varpart.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.AbstractAnnotation;
import org.jfree.chart.annotations.CategoryAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;

/**
 * Error bars on the stacked percent bars ({@link Charts#percentBars}) from the fractions'
 * confidence intervals ({@code ci_lower}, {@code ci_upper}), drawn as a stacked bar chart's error
 * bars are: segment c of a bar spans [S₍c−1₎, S_c] with S_c the sum of the fractions up to c,
 * and its error bar spans [S₍c−1₎ + lower_c, S₍c−1₎ + upper_c], i.e. where the segment's end would
 * lie at either bound with the segments before it unchanged. Each component's bar is drawn at
 * its own height within the bar (in the components' order, top to bottom), in a darker shade of
 * its colour, so that the error bars of neighbouring segments do not hide each other.
 */
final class PercentBarIntervals extends AbstractAnnotation implements CategoryAnnotation {
    private static final long serialVersionUID = 1L;
    /** The share of a bar's height that the error bars spread over. */
    static final double SPREAD = 0.6;

    /** One error bar: the bar (feature) index, the component's index in the order, and its ends in percent. */
    record Whisker(int bar, int component, double from, double to) {}

    private final List<Whisker> whiskers;
    private final Color[] colours;
    private final int components;

    private PercentBarIntervals(List<Whisker> whiskers, Color[] colours) {
        this.whiskers = whiskers;
        this.colours = colours;
        this.components = colours.length;
    }

    /**
     * The error bars of the bars' segments that have an interval (a row of {@code intervals}
     * with both bounds, for the bar's feature and the component).
     */
    static List<Whisker> whiskers(List<ReportData.FeatureBar> bars, List<IntervalChart.Row> intervals, List<String> order) {
        Map<String, IntervalChart.Row> byKey = new HashMap<>();
        for (IntervalChart.Row r : intervals) byKey.put(r.feature() + "\t" + r.component(), r);
        List<Whisker> out = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            ReportData.FeatureBar b = bars.get(i);
            double before = 0;
            for (int c = 0; c < order.size(); c++) {
                IntervalChart.Row r = byKey.get(b.feature() + "\t" + order.get(c));
                if (r != null && r.lower() != null && r.upper() != null && !r.lower().isNaN() && !r.upper().isNaN()) {
                    out.add(new Whisker(i, c, before + 100 * r.lower(), Math.min(100, before + 100 * r.upper())));
                }
                before += 100 * b.fractions().getOrDefault(order.get(c), 0.0);
            }
        }
        return out;
    }

    /** Adds the error bars to a chart made by {@link Charts#percentBars} from the same bars and order; returns it. */
    static JFreeChart addTo(JFreeChart percentBars, List<ReportData.FeatureBar> bars, List<IntervalChart.Row> intervals,
                            List<String> order, Palette palette) {
        List<Whisker> w = whiskers(bars, intervals, order);
        if (w.isEmpty()) return percentBars;
        Color[] colours = new Color[order.size()];
        for (int c = 0; c < colours.length; c++) colours[c] = palette.of(order.get(c)).darker().darker();
        percentBars.getCategoryPlot().addAnnotation(new PercentBarIntervals(w, colours));
        return percentBars;
    }

    /** Offset of component c of k from the bar's centre, as a share of the category's height. */
    static double offset(int c, int k) {
        return k == 1 ? 0 : SPREAD * (c / (double) (k - 1) - 0.5);
    }

    @Override
    public void draw(Graphics2D g2, CategoryPlot plot, Rectangle2D dataArea, CategoryAxis domainAxis, ValueAxis rangeAxis) {
        int count = plot.getDataset().getColumnCount();
        g2.setStroke(new BasicStroke(1.5f));
        for (Whisker w : whiskers) {
            double start = domainAxis.getCategoryStart(w.bar(), count, dataArea, plot.getDomainAxisEdge());
            double end = domainAxis.getCategoryEnd(w.bar(), count, dataArea, plot.getDomainAxisEdge());
            double at = (start + end) / 2 + (end - start) * offset(w.component(), components);
            double cap = Math.max(1.5, (end - start) * 0.08);
            double a = rangeAxis.valueToJava2D(w.from(), dataArea, plot.getRangeAxisEdge());
            double b = rangeAxis.valueToJava2D(w.to(), dataArea, plot.getRangeAxisEdge());
            g2.setPaint(colours[w.component()]);
            // the bars are horizontal: values across, categories down
            g2.draw(new Line2D.Double(a, at, b, at));
            g2.draw(new Line2D.Double(a, at - cap, a, at + cap));
            g2.draw(new Line2D.Double(b, at - cap, b, at + cap));
        }
    }
}
