package org.varpart.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The counts assays' part of an assay's section in {@code report.html}: voom's mean–variance plot
 * with its lowess trend ({@code voom(plot = TRUE)}: sx against √σ̂, the trend in red) and a
 * volcano plot per tested coefficient and contrast (estimate against −log₁₀ p, features with q
 * below the FDR in colour), from {@link CountsPlots}.
 */
final class CountsCharts {
    private static final Color POINT = new Color(0x333333), TREND = new Color(0xD62728), PLAIN = new Color(0x9A9A9A),
            SIGNIFICANT = new Color(0xC2185B);

    private CountsCharts() {}

    /** Appends the plots of a counts assay (nothing for another assay). */
    static void section(HtmlReport r, ReportData.Assay a, RunInfo run) {
        CountsPlots.Data d = a.counts();
        if (d == null) return;
        CountsPlots.MeanVariance mv = d.meanVariance();
        if (mv != null) {
            r.sb.append("<h3>voom's mean–variance trend</h3>\n<p class=\"explain\">Each feature's √(residual standard deviation) of its "
                    + "first, unweighted fit of the log-CPM against its average log₂ count (sx), and the lowess trend (red, span ")
                    .append(Html.esc(run.config().getOrDefault("voom_span", "0.5"))).append(") that gives each observation its precision "
                    + "weight 1/trend⁴, as limma's <code>voom(plot = TRUE)</code>. ").append(Html.count(mv.points()))
                    .append(" features, ").append(Html.count(mv.used())).append(" in the trend (features whose counts are all zero are left out).</p>\n");
            r.figure("meanvar-" + a.name(), "voom mean-variance trend, assay " + a.name(), () -> meanVariance(mv), 760, 480);
        }
        if (d.volcanoes().isEmpty()) return;
        boolean moderated = d.volcanoes().get(0).moderated();
        r.sb.append("<h3>Volcano plots</h3>\n<p class=\"explain\">Each coefficient of the model (the intercept aside) and each contrast: "
                + "the feature's estimate (log₂ scale) against −log₁₀ of its ").append(moderated ? "moderated p-value (dream + eBayes)" : "p-value")
                .append("; features with q below the FDR ").append(Html.percent(run.fdr())).append(" (Benjamini–Hochberg within assay × term) in colour.</p>\n");
        for (CountsPlots.Volcano v : d.volcanoes()) {
            r.figure("volcano-" + a.name() + "-" + v.term(), "Volcano plot of " + (v.contrast() ? "contrast " : "coefficient ") + v.term()
                    + ", assay " + a.name(), () -> volcano(v, run.fdr()), 760, 440);
        }
    }

    /** sx against √σ̂, one dot per occupied cell, the trend as a red line. */
    static JFreeChart meanVariance(CountsPlots.MeanVariance mv) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries points = new XYSeries("features (" + mv.points() + ")", false, true);
        for (int i = 0; i < mv.x().length; i++) points.add(mv.x()[i], mv.y()[i]);
        data.addSeries(points);
        XYSeries line = new XYSeries("lowess trend", false, true);
        for (int i = 0; i < mv.lineX().length; i++) line.add(mv.lineX()[i], mv.lineY()[i]);
        data.addSeries(line);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesShape(0, new Ellipse2D.Double(-1.6, -1.6, 3.2, 3.2));
        r.setSeriesPaint(0, POINT);
        r.setSeriesLinesVisible(1, true);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesPaint(1, TREND);
        r.setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis x = new NumberAxis("log2( count size + 0.5 )"), y = new NumberAxis("Sqrt( standard deviation )");
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(true);
        return Charts.chart(new XYPlot(data, x, y, r), true);
    }

    /** Estimate against −log₁₀ p, features below the FDR in colour, a dashed line at estimate 0. */
    static JFreeChart volcano(CountsPlots.Volcano v, double fdr) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries plain = new XYSeries(String.format(Locale.ROOT, "q ≥ %s (%d)", Html.percent(fdr), v.tests() - v.nSignificant()), false, true);
        XYSeries sig = new XYSeries(String.format(Locale.ROOT, "q < %s (%d)", Html.percent(fdr), v.nSignificant()), false, true);
        double top = 1;
        for (int i = 0; i < v.x().length; i++) {
            (v.significant()[i] ? sig : plain).add(v.x()[i], v.y()[i]);
            top = Math.max(top, v.y()[i]);
        }
        data.addSeries(plain);
        data.addSeries(sig);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
        r.setSeriesShape(1, new Ellipse2D.Double(-2, -2, 4, 4));
        r.setSeriesPaint(0, PLAIN);
        r.setSeriesPaint(1, SIGNIFICANT);
        NumberAxis x = new NumberAxis((v.contrast() ? "Contrast " : "Coefficient ") + v.term() + " (estimate, log2 scale)");
        NumberAxis y = new NumberAxis("−log10(" + (v.moderated() ? "moderated p" : "p") + ")");
        x.setAutoRangeIncludesZero(true);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.addAnnotation(new XYLineAnnotation(0, 0, 0, top * 1.02,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f), new Color(0x777777)));
        return Charts.chart(plot, true);
    }
}
