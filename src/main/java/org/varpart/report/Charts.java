package org.varpart.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYPolygonAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's plots, built with JFreeChart from plain data (no Spark) and rendered as PNG at
 * twice their CSS size, so they stay sharp on high-density screens.
 */
public final class Charts {
    /** Bins of [0, 1] for the fractions' densities. */
    public static final int DENSITY_BINS = 2048;
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color INK = new Color(0x333333);
    private static final double VIOLIN_HALF_WIDTH = 0.42;
    private static final double BOX_HALF_WIDTH = 0.06;

    private Charts() {}

    /**
     * Violins of the fraction of each component (in percent), in the order given, each scaled to
     * the same largest width (ggplot's {@code scale = "width"}, as variancePartition draws them),
     * with a box from the 25th to the 75th percentile, whiskers to the 5th and 95th, and a line at
     * the median.
     */
    public static JFreeChart violins(List<ReportData.Component> components, Palette palette) {
        String[] names = components.stream().map(ReportData.Component::name).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis(null, names);
        x.setRange(-0.6, names.length - 0.4);
        x.setGridBandsVisible(false);
        x.setVerticalTickLabels(names.length > 8);
        NumberAxis y = percentAxis();
        // the medians are the plot's data (drawn by the annotations below), so that it is never empty
        XYSeries medians = new XYSeries("median");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, false);
        XYPlot plot = new XYPlot(new XYSeriesCollection(medians), x, y, r);
        BasicStroke thin = new BasicStroke(1f), whisker = new BasicStroke(1.4f);
        for (int i = 0; i < components.size(); i++) {
            ReportData.Component c = components.get(i);
            Color fill = palette.of(c.name());
            double bw = FractionDensity.silvermanBandwidth(c.sd(), c.q75() - c.q25(), c.n());
            double[][] d = FractionDensity.estimate(c.counts(), bw, c.min(), c.max(), 128);
            if (d[0].length > 0) {
                plot.addAnnotation(new XYPolygonAnnotation(violin(i, d[0], d[1]), thin, fill.darker(), translucent(fill, 0.85)));
            } else if (c.n() > 0) {
                // no spread to estimate a density of: every feature has the same fraction
                plot.addAnnotation(new XYLineAnnotation(i - VIOLIN_HALF_WIDTH, 100 * c.min(), i + VIOLIN_HALF_WIDTH,
                        100 * c.min(), new BasicStroke(2.5f), fill.darker()));
            }
            if (c.n() == 0) continue;
            plot.addAnnotation(new XYLineAnnotation(i, 100 * c.q05(), i, 100 * c.q25(), whisker, INK));
            plot.addAnnotation(new XYLineAnnotation(i, 100 * c.q75(), i, 100 * c.q95(), whisker, INK));
            plot.addAnnotation(new XYBoxAnnotation(i - BOX_HALF_WIDTH, 100 * c.q25(), i + BOX_HALF_WIDTH, 100 * c.q75(),
                    thin, INK, new Color(255, 255, 255, 215)));
            plot.addAnnotation(new XYLineAnnotation(i - BOX_HALF_WIDTH, 100 * c.median(), i + BOX_HALF_WIDTH, 100 * c.median(),
                    new BasicStroke(2.5f), INK));
            medians.add(i, 100 * c.median());
        }
        return chart(plot, false);
    }

    /** The outline of a violin at x = position: the density mirrored about it, scaled to the common width. */
    static double[] violin(int position, double[] fraction, double[] density) {
        double max = 0;
        for (double f : density) max = Math.max(max, f);
        int n = fraction.length;
        double[] poly = new double[4 * n];
        for (int i = 0; i < n; i++) {
            double half = max > 0 ? VIOLIN_HALF_WIDTH * density[i] / max : 0;
            poly[2 * i] = position + half;
            poly[2 * i + 1] = 100 * fraction[i];
            poly[4 * n - 2 * i - 2] = position - half;
            poly[4 * n - 2 * i - 1] = 100 * fraction[i];
        }
        return poly;
    }

    /**
     * Stacked bars, one per feature, of its fractions (in percent), as variancePartition's
     * {@code plotPercentBars}: the features come in groups, one group per component in the order
     * given, holding the features with the largest fraction of that component; the segments keep
     * the components' order and colours.
     */
    public static JFreeChart percentBars(List<ReportData.FeatureBar> bars, List<String> componentOrder, Palette palette) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ReportData.FeatureBar b : bars) {
            String label = barLabel(b);
            for (String c : componentOrder) data.addValue(100 * b.fractions().getOrDefault(c, 0.0), c, label);
        }
        CategoryAxis features = new CategoryAxis(null);
        features.setCategoryMargin(0.25);
        features.setLowerMargin(0.01);
        features.setUpperMargin(0.01);
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        for (int i = 0; i < componentOrder.size(); i++) r.setSeriesPaint(i, palette.of(componentOrder.get(i)));
        CategoryPlot plot = new CategoryPlot(data, features, percentAxis(), r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        return chart(plot, true);
    }

    /** A bar's label: the feature and the component it was chosen for. */
    static String barLabel(ReportData.FeatureBar b) {
        return b.feature() + "  (top " + b.chosenFor() + ")";
    }

    /**
     * A QQ plot of each test's p-values against the uniform, on the −log₁₀ scale, with the
     * identity line; the legend gives each test's λ and its number of features significant at
     * the FDR. Random components are drawn as circles, fixed terms as squares.
     */
    public static JFreeChart qq(List<ReportData.TestSeries> tests, Palette palette, double fdr) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        double top = 1;
        for (ReportData.TestSeries t : tests) {
            double[][] pts = QqPoints.fromBins(t.bins(), t.counts());
            XYSeries s = new XYSeries(legend(t, fdr), false, true);
            for (int i = 0; i < pts[0].length; i++) {
                s.add(pts[0][i], pts[1][i]);
                top = Math.max(top, pts[0][i]);
            }
            int k = data.getSeriesCount();
            data.addSeries(s);
            r.setSeriesPaint(k, translucent(palette.of(t.name()), 0.8));
            Shape shape = t.randomComponent() ? new Ellipse2D.Double(-3, -3, 6, 6) : new Rectangle2D.Double(-2.6, -2.6, 5.2, 5.2);
            r.setSeriesShape(k, shape);
        }
        NumberAxis x = new NumberAxis("Expected −log10(p)");
        NumberAxis y = new NumberAxis("Observed −log10(p)");
        for (NumberAxis a : List.of(x, y)) {
            a.setAutoRangeIncludesZero(true);
            styleAxis(a);
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.addAnnotation(new XYLineAnnotation(0, 0, top * 1.02, top * 1.02,
                new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f), new Color(0x777777)));
        return chart(plot, true);
    }

    /** A test's legend entry: name, kind, λ and the number significant. */
    static String legend(ReportData.TestSeries t, double fdr) {
        StringBuilder sb = new StringBuilder(t.name()).append(t.randomComponent() ? " (LRT)" : " (F test)");
        if (t.lambda() != null) sb.append(String.format(Locale.ROOT, " · λ = %.2f", t.lambda()));
        if (t.nSignificant() != null) {
            sb.append(String.format(Locale.ROOT, " · %d of %d at FDR %s", t.nSignificant(), t.m(), Html.percent(fdr)));
        }
        return sb.toString();
    }

    /** The chart rendered as PNG, {@code width × height} CSS pixels drawn at twice the resolution. */
    public static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(2 * width, 2 * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(2, 2);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return ChartUtils.encodeAsPNG(img);
    }

    private static NumberAxis percentAxis() {
        NumberAxis y = new NumberAxis("Variance explained (%)");
        y.setRange(0, 100);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(10));
        styleAxis(y);
        return y;
    }

    private static void styleAxis(org.jfree.chart.axis.Axis a) {
        a.setLabelFont(LABEL_FONT);
        a.setTickLabelFont(TICK_FONT);
        a.setLabelPaint(INK);
        a.setTickLabelPaint(INK);
        a.setAxisLinePaint(new Color(0x999999));
    }

    static JFreeChart chart(org.jfree.chart.plot.Plot plot, boolean legend) {
        if (plot instanceof XYPlot p) {
            p.setDomainGridlinesVisible(false);
            p.setRangeGridlinePaint(GRID);
            styleAxis(p.getDomainAxis());
            styleAxis(p.getRangeAxis());
        } else if (plot instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(GRID);
            styleAxis(p.getDomainAxis());
            styleAxis(p.getRangeAxis());
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setInsets(new RectangleInsets(8, 4, 4, 16));
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setItemFont(LABEL_FONT);
            l.setFrame(BlockBorder.NONE);
            l.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static Color translucent(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }
}
