package org.varpart.gwas;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.varpart.report.Charts;

/**
 * {@code report.html} of a {@code gwas} run, one section per phenotype: a Manhattan plot (Wald
 * p-values; chromosomes in alternating colours, the 5e-8 line, the five top hits labelled), a QQ plot
 * of the naive and the mixed-model p-values with each λ_GC in the legend, the heritability and
 * the top SNPs. Plots are PNGs inside the page, which stands alone. SNPs with p above 0.01 are
 * thinned to about 20,000 points per plot; the rest are all drawn. The page is drawn on the driver
 * from the p-values already gathered there and one pass over the tests' rows ({@link #shown}).
 */
final class GwasReport {
    private static final Color[] CHR = {new Color(0x1F4E79), new Color(0x7FA7D1)};
    private static final int THIN = 20_000;

    private GwasReport() {}

    /**
     * The SNPs the plots and the top table draw on, from the tests' rows ({@link GwasOutput#ASSOCIATIONS}) in one pass:
     * per phenotype, the tested SNPs with p_wald at or below max(0.01, the 15th smallest), and about {@link #THIN} of the others
     * (chosen by a hash of the SNP's ID, so a run is repeatable).
     */
    static List<Row> shown(Dataset<Row> tests, Map<String, double[][]> pValues) {
        Map<String, double[]> cut = new java.util.HashMap<>();
        pValues.forEach((ph, p) -> cut.put(ph, new double[] {Math.max(0.01, p[0].length == 0 ? 0 : p[0][Math.min(14, p[0].length - 1)]),
            THIN / Math.max(1.0, p[0].length)}));
        return tests.filter((org.apache.spark.api.java.function.FilterFunction<Row>) r -> {
            if (r.isNullAt(10) || !r.getString(14).equals("ok")) return false;
            double[] c = cut.get(r.getString(0));
            return r.getDouble(10) <= c[0] || (r.getString(2).hashCode() & 0x7fffffff) % 1_000_000 < c[1] * 1e6;
        }).collectAsList();
    }

    /** The page, from the rows of {@link #shown} and the sorted p-values of {@link GwasOutput#pValues} (the QQ plot's). */
    static void write(SparkSession spark, Path dir, List<Row> shown, Map<String, double[][]> pValues, List<Row> heritability, List<Row> summary,
                      double fdr) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>varpart gwas</title><style>"
                + "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#333}table{border-collapse:collapse}"
                + "td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{background:#f4f4f4}img{max-width:100%}</style></head><body>");
        h.append("<h1>Genome-wide association</h1><p>Mixed model with the genetic relationship matrix, as GEMMA's -lmm 4; naive: ordinary least squares"
                + " (PLINK 2's --glm). λ_GC near 1 means the p-values are calibrated.</p>");
        for (Row her : heritability) {
            String ph = her.getString(0);
            List<Row> mine = shown.stream().filter(r -> r.getString(0).equals(ph)).toList();
            double[][] p = pValues.getOrDefault(ph, new double[GwasOutput.TESTS.size()][0]);
            h.append("<h2>").append(esc(ph)).append("</h2>");
            h.append(String.format(Locale.ROOT, "<p>n = %d; heritability (PVE) %.3f ± %.3f; σ²_g = %.4g, σ²_e = %.4g.</p>", her.getInt(1), her.getDouble(4),
                    her.isNullAt(5) ? Double.NaN : her.getDouble(5), her.getDouble(2), her.getDouble(3)));
            Map<String, Double> lambda = new LinkedHashMap<>();
            h.append("<table><tr><th>test</th><th>SNPs</th><th>λ_GC</th><th>p &lt; 5e-8</th><th>q &lt; ").append(fdr).append("</th></tr>");
            for (Row s : summary) {
                if (!s.getString(0).equals(ph)) continue;
                lambda.put(s.getString(1), s.isNullAt(3) ? null : s.getDouble(3));
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%s</td></tr>", s.getString(1), s.getLong(2),
                        s.isNullAt(3) ? "–" : String.format(Locale.ROOT, "%.3f", s.getDouble(3)), s.getLong(4), s.isNullAt(5) ? "" : s.get(5)));
            }
            h.append("</table>");
            List<Row> points = mine.stream().map(r -> RowFactory.create(r.getString(1), r.getLong(3), r.getString(2), r.getDouble(10))).toList();
            h.append(img(manhattan(points), 1000, 380));
            h.append(img(qq(p[3], p[0], lambda), 560, 520));
            h.append("<h3>Top SNPs</h3><table><tr><th>snp</th><th>chr</th><th>pos</th><th>allele1</th><th>af</th><th>beta</th><th>se</th>"
                    + "<th>p_wald</th><th>p_lrt</th><th>p_score</th><th>p_naive</th><th>q_wald</th></tr>");
            double[] q = GwasOutput.bhQValues(p[0]);
            for (Row r : mine.stream().sorted(java.util.Comparator.comparingDouble(r -> r.getDouble(10))).limit(15).toList()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%.3f</td><td>%.4f</td><td>%.4f</td>"
                                + "<td>%.3g</td><td>%.3g</td><td>%.3g</td><td>%.3g</td><td>%.3g</td></tr>", esc(r.getString(2)), esc(r.getString(1)), r.getLong(3),
                        esc(r.getString(4)), r.getDouble(6), r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(12),
                        r.isNullAt(13) ? Double.NaN : r.getDouble(13), GwasOutput.qOf(p[0], q, r.getDouble(10))));
            }
            h.append("</table>");
        }
        h.append("</body></html>\n");
        try (OutputStream o = dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(new Path(dir, "report.html"), true)) {
            o.write(h.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Chromosomes in their natural order (numbers first), positions laid end to end. */
    static JFreeChart manhattan(List<Row> points) {
        List<String> chrs = points.stream().map(r -> r.getString(0)).distinct().sorted(GwasReport::chrOrder).toList();
        Map<String, Long> offset = new LinkedHashMap<>();
        long at = 0;
        for (String c : chrs) {
            offset.put(c, at);
            at += points.stream().filter(r -> r.getString(0).equals(c)).mapToLong(r -> r.getLong(1)).max().orElse(0) + 1;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer rend = new XYLineAndShapeRenderer(false, true);
        double top = 8;
        for (int k = 0; k < chrs.size(); k++) {
            XYSeries s = new XYSeries("chr " + chrs.get(k), false, true);
            for (Row r : points) {
                if (!r.getString(0).equals(chrs.get(k))) continue;
                double y = -Math.log10(Math.max(r.getDouble(3), 1e-300));
                s.add(offset.get(chrs.get(k)) + r.getLong(1), y);
                top = Math.max(top, y);
            }
            data.addSeries(s);
            rend.setSeriesPaint(k, CHR[k % 2]);
            rend.setSeriesShape(k, new Ellipse2D.Double(-2, -2, 4, 4));
        }
        NumberAxis x = new NumberAxis("Chromosome position"), y = new NumberAxis("−log10(p), Wald");
        x.setTickLabelsVisible(false);
        XYPlot plot = new XYPlot(data, x, y, rend);
        plot.addAnnotation(new XYLineAnnotation(0, -Math.log10(GwasOutput.GENOME_WIDE), Math.max(1, at), -Math.log10(GwasOutput.GENOME_WIDE),
                new BasicStroke(1f), new Color(0xC0392B)));
        final double lift = top * 0.03;
        points.stream().sorted((a, b) -> Double.compare(a.getDouble(3), b.getDouble(3))).limit(5)
                .forEach(r -> plot.addAnnotation(new XYTextAnnotation(r.getString(2), offset.get(r.getString(0)) + r.getLong(1),
                        -Math.log10(Math.max(r.getDouble(3), 1e-300)) + lift)));
        JFreeChart c = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        c.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        return c;
    }

    static int chrOrder(String a, String b) {
        boolean na = a.matches("\\d+"), nb = b.matches("\\d+");
        if (na && nb) return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        if (na != nb) return na ? -1 : 1;
        return a.compareTo(b);
    }

    /** Observed against expected −log10 p for the naive and the Wald p-values (each sorted ascending). */
    static JFreeChart qq(double[] naive, double[] wald, Map<String, Double> lambda) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer rend = new XYLineAndShapeRenderer(false, true);
        double top = 1;
        String[] tests = {"naive", "wald"};
        Color[] colour = {new Color(0xD35400), new Color(0x1F4E79)};
        for (int t = 0; t < 2; t++) {
            double[] p = t == 0 ? naive : wald;
            Double l = lambda.get(tests[t]);
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "%s · λ_GC = %s", t == 0 ? "naive (OLS)" : "mixed model (Wald)",
                    l == null ? "–" : String.format(Locale.ROOT, "%.3f", l)), false, true);
            int m = p.length, step = Math.max(1, m / THIN);
            for (int i = 0; i < m; i++) {
                if (p[i] > 0.01 && i % step != 0) continue;
                double e = -Math.log10((i + 0.5) / m), o = -Math.log10(Math.max(p[i], 1e-300));
                s.add(e, o);
                top = Math.max(top, e);
            }
            data.addSeries(s);
            rend.setSeriesPaint(t, colour[t]);
            rend.setSeriesShape(t, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        XYPlot plot = new XYPlot(data, new NumberAxis("Expected −log10(p)"), new NumberAxis("Observed −log10(p)"), rend);
        plot.addAnnotation(new XYLineAnnotation(0, 0, top, top, new BasicStroke(1f), Color.GRAY));
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart c = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private static String img(JFreeChart c, int w, int h) throws IOException {
        return "<p><img alt=\"plot\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Charts.png(c, w, h)) + "\"></p>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
