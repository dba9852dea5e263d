package org.varpart.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.varpart.counts.VoomTrend;

/**
 * The report's data for a counts assay: voom's mean–variance plot and a volcano plot per tested
 * coefficient and contrast, reduced to cells of a grid so that what reaches the page does not
 * grow with the number of features.
 *
 * <p>Mean–variance: the points (sx, √σ̂) of the {@code mean_variance} table, and the trend as
 * {@code voom(plot = TRUE)} draws it, {@code lowess(sx, √σ̂, f = voom_span)} over the features
 * that entered the job's trend (a √σ̂, and some read: an all-zero feature has sx = log₂ 0.5 = −1
 * exactly, every other sx is larger by at least log₂(3)/n). The trend needs every point on the
 * driver, two numbers per feature, as the job's own trend step does.
 *
 * <p>Volcano (counts and weighted assays, those whose fits have dream's residual df): each test's estimate against −log₁₀ p (the moderated p when the run moderated, the
 * plain p otherwise), features with q below the run's FDR marked; the intercept is left out. The
 * points are counted per cell of a {@link #VOLCANO_X} × {@link #VOLCANO_Y} grid over the test's
 * range, separately for marked and unmarked features, by Spark.
 */
public final class CountsPlots {
    /** Cells of the grids across and up. */
    static final int VOLCANO_X = 320, VOLCANO_Y = 200, MV_X = 320, MV_Y = 200;
    /** At most this many points of the trend line are drawn (it is smooth; a straight segment joins them). */
    static final int LINE_POINTS = 600;

    private CountsPlots() {}

    /**
     * voom's plot of an assay.
     *
     * @param x cell centres of sx, {@code y} of √σ̂, {@code count} the features in each occupied cell
     * @param lineX the trend's abscissae, sorted ({@link #LINE_POINTS} at most), {@code lineY} the trend there
     * @param points features with a point; {@code used} those that entered the trend
     */
    public record MeanVariance(double[] x, double[] y, long[] count, double[] lineX, double[] lineY, long points, long used) {}

    /**
     * The volcano plot of one coefficient or contrast.
     *
     * @param x cell centres of the estimate, {@code y} of −log₁₀ p; {@code significant} whether
     *     the cell counts features with q below the FDR, {@code count} how many
     * @param tests features with a p-value; {@code nSignificant} those with q below the FDR
     * @param moderated whether p and q are the moderated ones
     */
    public record Volcano(String term, boolean contrast, double[] x, double[] y, boolean[] significant, long[] count, long tests,
                          long nSignificant, boolean moderated) {}

    /** A counts assay's plots: the mean–variance plot (null when the output has no points for it) and the volcanoes. */
    public record Data(MeanVariance meanVariance, List<Volcano> volcanoes) {}

    /** The plots of {@code assay}; null when it is not a counts assay (no voom points and no coefficient-or-contrast rows). */
    public static Data read(SparkSession spark, Path dir, String assay, double span, double fdr) {
        MeanVariance mv = meanVariance(spark, dir, assay, span);
        List<Volcano> v = volcanoes(spark, dir, assay, fdr);
        return mv == null && v.isEmpty() ? null : new Data(mv, v);
    }

    /** voom's points and trend of {@code assay}; null when the output has none. */
    public static MeanVariance meanVariance(SparkSession spark, Path dir, String assay, double span) {
        if (!exists(spark, new Path(dir, "mean_variance"))) return null;
        List<Row> rows = spark.read().parquet(new Path(dir, "mean_variance").toString()).filter(col("assay").equalTo(assay))
                .orderBy("feature").select("sx", "sqrt_sd").collectAsList();
        int m = rows.size();
        if (m == 0) return null;
        double[] sx = new double[m], sy = new double[m];
        boolean[] use = new boolean[m];
        long points = 0, used = 0;
        for (int i = 0; i < m; i++) {
            Row r = rows.get(i);
            sx[i] = r.isNullAt(0) ? Double.NaN : r.getDouble(0);
            sy[i] = r.isNullAt(1) ? Double.NaN : r.getDouble(1);
            boolean point = Double.isFinite(sx[i]) && Double.isFinite(sy[i]);
            use[i] = point && sx[i] > ALL_ZERO_SX + 1e-6;
            if (point) points++;
            if (use[i]) used++;
        }
        double[] lineX = new double[0], lineY = new double[0];
        if (used >= 2) {
            VoomTrend t = VoomTrend.fit(sx, sy, use, span);
            double[][] thin = thin(t.lineX(), t.lineY(), LINE_POINTS);
            lineX = thin[0];
            lineY = thin[1];
        }
        Grid g = Grid.of(sx, sy, MV_X, MV_Y);
        Map<Long, long[]> cells = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(sx[i]) || !Double.isFinite(sy[i])) continue;
            cells.computeIfAbsent(g.cell(sx[i], sy[i]), k -> new long[1])[0]++;
        }
        double[] x = new double[cells.size()], y = new double[cells.size()];
        long[] c = new long[cells.size()];
        int k = 0;
        for (Map.Entry<Long, long[]> e : cells.entrySet()) {
            x[k] = g.centreX((int) (e.getKey() / MV_Y));
            y[k] = g.centreY((int) (e.getKey() % MV_Y));
            c[k++] = e.getValue()[0];
        }
        return new MeanVariance(x, y, c, lineX, lineY, points, used);
    }

    /** sx of a feature whose counts are all zero: mean log₂(0.5 / (N + 1) · 10⁶) + mean log₂(N + 1) − log₂ 10⁶. */
    static final double ALL_ZERO_SX = -1;

    /** The volcano of every coefficient (but the intercept) and contrast of {@code assay}: coefficients, then contrasts, each by name. */
    public static List<Volcano> volcanoes(SparkSession spark, Path dir, String assay, double fdr) {
        Path table = new Path(dir, "fixed_effects"), fits = new Path(dir, "fits");
        if (!exists(spark, table) || !exists(spark, fits)) return List.of();
        // counts and weighted assays are those with a residual df (dream's); log-scale assays' rows have none
        Dataset<Row> f = spark.read().parquet(fits.toString());
        if (!List.of(f.columns()).contains("residual_df")
                || f.filter(col("assay").equalTo(assay).and(col("residual_df").isNotNull())).isEmpty()) return List.of();
        Dataset<Row> fe = spark.read().parquet(table.toString());
        if (!List.of(fe.columns()).contains("kind")) return List.of();
        fe = fe.filter(col("assay").equalTo(assay).and(col("kind").isNotNull()).and(col("term").notEqual("(Intercept)")));
        boolean moderated = !fe.filter(col("moderated_p").isNotNull()).isEmpty();
        String p = moderated ? "moderated_p" : "p_value", q = moderated ? "moderated_q" : "q_value";
        Dataset<Row> d = fe.filter(col(p).isNotNull().and(col("estimate").isNotNull()))
                .select(col("term"), col("kind"), col("estimate").as("x"),
                        functions.log10(functions.greatest(col(p), functions.lit(Double.MIN_VALUE))).multiply(-1).as("y"),
                        functions.coalesce(col(q).lt(fdr), functions.lit(false)).as("sig"));
        List<Row> ranges = d.groupBy("term", "kind").agg(functions.min("x"), functions.max("x"), functions.min("y"), functions.max("y"),
                functions.count(functions.lit(1)), functions.sum(functions.when(col("sig"), 1).otherwise(0))).orderBy("term").collectAsList();
        if (ranges.isEmpty()) return List.of();
        Map<String, Grid> grids = new LinkedHashMap<>();
        Column bx = functions.lit(0), by = functions.lit(0);
        for (Row r : ranges) {
            Grid g = new Grid(r.getDouble(2), r.getDouble(3), 0, Math.max(r.getDouble(5), 1), VOLCANO_X, VOLCANO_Y);
            grids.put(r.getString(0), g);
            Column is = col("term").equalTo(r.getString(0));
            bx = functions.when(is, g.binX(col("x"))).otherwise(bx);
            by = functions.when(is, g.binY(col("y"))).otherwise(by);
        }
        Map<String, List<Row>> cells = new LinkedHashMap<>();
        for (Row r : d.groupBy(col("term"), bx.as("bx"), by.as("by"), col("sig")).count().orderBy("term", "bx", "by", "sig").collectAsList()) {
            cells.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        List<Volcano> out = new ArrayList<>();
        for (Row r : ranges) {
            String term = r.getString(0);
            Grid g = grids.get(term);
            List<Row> cs = cells.getOrDefault(term, List.of());
            double[] x = new double[cs.size()], y = new double[cs.size()];
            boolean[] s = new boolean[cs.size()];
            long[] c = new long[cs.size()];
            for (int i = 0; i < cs.size(); i++) {
                x[i] = g.centreX(cs.get(i).getInt(1));
                y[i] = g.centreY(cs.get(i).getInt(2));
                s[i] = cs.get(i).getBoolean(3);
                c[i] = cs.get(i).getLong(4);
            }
            out.add(new Volcano(term, "contrast".equals(r.getString(1)), x, y, s, c, r.getLong(6), r.getLong(7), moderated));
        }
        out.sort(java.util.Comparator.comparing((Volcano v) -> v.contrast()).thenComparing(Volcano::term));
        return out;
    }

    /** A grid of {@code nx × ny} equal cells over [x0, x1] × [y0, y1] (a zero-width range is widened). */
    record Grid(double x0, double x1, double y0, double y1, int nx, int ny) {
        static Grid of(double[] x, double[] y, int nx, int ny) {
            double a = Double.POSITIVE_INFINITY, b = Double.NEGATIVE_INFINITY, c = Double.POSITIVE_INFINITY, d = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
                a = Math.min(a, x[i]);
                b = Math.max(b, x[i]);
                c = Math.min(c, y[i]);
                d = Math.max(d, y[i]);
            }
            return a > b ? new Grid(0, 1, 0, 1, nx, ny) : new Grid(a, b, c, d, nx, ny);
        }

        double width() {
            return x1 > x0 ? (x1 - x0) / nx : Math.max(Math.abs(x0), 1) * 1e-9;
        }

        double height() {
            return y1 > y0 ? (y1 - y0) / ny : Math.max(Math.abs(y0), 1) * 1e-9;
        }

        long cell(double x, double y) {
            return (long) bin(x, x0, width(), nx) * ny + bin(y, y0, height(), ny);
        }

        static int bin(double v, double from, double w, int n) {
            return (int) Math.max(0, Math.min(n - 1, Math.floor((v - from) / w)));
        }

        Column binX(Column x) {
            return functions.least(functions.lit(nx - 1), functions.greatest(functions.lit(0),
                    functions.floor(x.minus(x0).divide(width())).cast("int")));
        }

        Column binY(Column y) {
            return functions.least(functions.lit(ny - 1), functions.greatest(functions.lit(0),
                    functions.floor(y.minus(y0).divide(height())).cast("int")));
        }

        double centreX(int i) {
            return x0 + (i + 0.5) * width();
        }

        double centreY(int j) {
            return y0 + (j + 0.5) * height();
        }
    }

    /** At most {@code max} of the line's points, evenly spaced in index, the first and last kept. */
    static double[][] thin(double[] x, double[] y, int max) {
        if (x.length <= max) return new double[][] {x, y};
        double[] tx = new double[max], ty = new double[max];
        for (int i = 0; i < max; i++) {
            int k = (int) Math.round((double) i * (x.length - 1) / (max - 1));
            tx[i] = x[k];
            ty[i] = y[k];
        }
        return new double[][] {tx, ty};
    }

    private static boolean exists(SparkSession spark, Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            return false;
        }
    }
}
