package org.varpart.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.varpart.stats.BenjaminiHochberg;
import org.varpart.stats.GenomicInflation;

/**
 * The few numbers of each result that the tables' q-values and the {@code summary} need,
 * gathered from the per-feature results in one pass (a task fills one, the driver merges them):
 * the p-values of each assay × term of {@code fixed_effects} and {@code term_tests} and of each
 * assay × component of {@code component_tests}, the fractions of each assay × component of the
 * usable features (status ok or singular), and the count of each status. That is a few doubles
 * per test row and per fraction, nothing else per feature.
 *
 * <p>From them the driver makes each group's Benjamini–Hochberg q-values as a function of p
 * ({@link #qTables}) and the summary's rows ({@link #summary}), with the same arithmetic as the
 * Spark SQL aggregates they replace: {@code percentile} (linear interpolation between the
 * order statistics at (n−1)·p, R's {@code quantile} type 7) and the mean summed in ascending
 * order.
 */
final class ResultValues implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The kinds of group: p-values of fixed effects, of term tests, of component tests; fractions. */
    static final String FIXED = "f", TERMS = "t", COMPONENTS = "c", FRACTIONS = "x";
    private static final char SEP = '\u0000';

    private final Map<String, Values> groups = new HashMap<>();
    private final Map<String, Long> statuses = new TreeMap<>();

    /** A growing array of doubles. */
    private static final class Values implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] v = new double[8];
        int n;

        void add(double x) {
            if (n == v.length) v = Arrays.copyOf(v, 2 * n);
            v[n++] = x;
        }

        void addAll(Values o) {
            if (n + o.n > v.length) v = Arrays.copyOf(v, Math.max(2 * v.length, n + o.n));
            System.arraycopy(o.v, 0, v, n, o.n);
            n += o.n;
        }

        /** The values in ascending order (NaN last, as Spark SQL orders doubles). */
        double[] sorted() {
            double[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s;
        }
    }

    static String key(String kind, String assay, String name) {
        return kind + SEP + assay + SEP + name;
    }

    /** Adds one per-feature result ({@link org.varpart.io.OutputSchemas#FEATURE}). */
    void add(Row f) {
        String assay = f.getString(0);
        String status = f.getString(3);
        statuses.merge(status, 1L, Long::sum);
        if (status.equals("ok") || status.equals("singular")) {
            for (Row c : TableRows.elements(f, TableRows.FRACTIONS)) {
                if (!c.isNullAt(2)) values(key(FRACTIONS, assay, c.getString(0))).add(c.getDouble(2));
            }
        }
        pValues(f, TableRows.FIXED_EFFECTS, FIXED, 5);
        pValues(f, TableRows.TERM_TESTS, TERMS, 4);
        pValues(f, TableRows.COMPONENT_TESTS, COMPONENTS, 3);
    }

    /** Each element's p-value (field {@code p}) in its group; a group is made even when its p-values are all missing. */
    private void pValues(Row f, int field, String kind, int p) {
        for (Row e : TableRows.elements(f, field)) {
            Values g = values(key(kind, f.getString(0), e.getString(0)));
            if (!e.isNullAt(p)) g.add(e.getDouble(p));
        }
    }

    private Values values(String key) {
        return groups.computeIfAbsent(key, k -> new Values());
    }

    /** This and {@code o} together (this one, changed). */
    ResultValues merge(ResultValues o) {
        o.groups.forEach((k, v) -> values(k).addAll(v));
        o.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        return this;
    }

    /** How many results of each status, in the statuses' order. */
    Map<String, Long> statusCounts() {
        return new java.util.LinkedHashMap<>(statuses);
    }

    /**
     * For each p-value group ({@link #key}): {ascending p-values, their q-values}. A row's
     * q-value is that of its p-value's place ({@link #qOf}); tied p-values have one q-value.
     */
    Map<String, double[][]> qTables() {
        Map<String, double[][]> out = new HashMap<>();
        groups.forEach((k, v) -> {
            if (k.startsWith(FRACTIONS + SEP)) return;
            double[] p = v.sorted();
            out.put(k, new double[][] {p, BenjaminiHochberg.ofSorted(p)});
        });
        return out;
    }

    /** The q-value of {@code p} in its group's table from {@link #qTables}. */
    static double qOf(double[][] table, double p) {
        int at = Arrays.binarySearch(table[0], p);
        if (at < 0) throw new IllegalStateException("p-value " + p + " is not among its group's");
        return table[1][at];
    }

    /**
     * The {@code summary} rows ({@link TableRows#SUMMARY}), ordered by assay and component: per
     * assay × component with fractions, their number, mean and quantiles; the features
     * significant at {@code fdr} and λ over that name's term and component tests (null where it
     * has none); the counts assay's prior ({@code prior}: assay → {d0, s0²}).
     */
    List<Row> summary(Map<String, double[][]> q, double fdr, Map<String, Double[]> prior) {
        TreeSet<String> keys = new TreeSet<>();
        for (String k : groups.keySet()) if (k.startsWith(FRACTIONS + SEP)) keys.add(k);
        List<Row> out = new ArrayList<>();
        for (String k : keys) {
            String[] parts = k.split(String.valueOf(SEP), -1);
            String assay = parts[1], name = parts[2];
            double[] x = groups.get(k).sorted();
            double sum = 0;
            for (double v : x) sum += v;
            Long significant = null;
            Double lambda = null;
            double[][] terms = q.get(key(TERMS, assay, name)), comps = q.get(key(COMPONENTS, assay, name));
            if (terms != null || comps != null) {
                long s = 0;
                List<double[]> ps = new ArrayList<>();
                for (double[][] t : Arrays.asList(terms, comps)) {
                    if (t == null) continue;
                    for (double v : t[1]) if (v < fdr) s++;
                    ps.add(t[0]);
                }
                significant = s;
                double[] all = ps.size() == 1 ? ps.get(0) : concatSorted(ps.get(0), ps.get(1));
                lambda = all.length == 0 ? null : GenomicInflation.fromMedianP(percentile(all, 0.5));
            }
            Double[] pr = prior.getOrDefault(assay, new Double[2]);
            out.add(RowFactory.create(assay, name, (long) x.length, sum / x.length, percentile(x, 0.5), percentile(x, 0.05),
                    percentile(x, 0.25), percentile(x, 0.75), percentile(x, 0.95), significant, lambda, pr[0], pr[1]));
        }
        return out;
    }

    private static double[] concatSorted(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        Arrays.sort(c);
        return c;
    }

    /**
     * The {@code p}-quantile of ascending values as Spark SQL's {@code percentile} computes it:
     * at position h = (n−1)·p, the value at ⌊h⌋ when h is whole or the values at ⌊h⌋ and ⌈h⌉
     * are equal, else (⌈h⌉−h)·x₍⌊h⌋₎ + (h−⌊h⌋)·x₍⌈h⌉₎.
     */
    static double percentile(double[] sorted, double p) {
        double position = (sorted.length - 1) * p;
        long lower = (long) Math.floor(position), higher = (long) Math.ceil(position);
        double lo = sorted[(int) lower];
        if (lower == higher) return lo;
        double hi = sorted[(int) higher];
        if (Double.valueOf(lo).equals(hi)) return lo;
        return (higher - position) * lo + (position - lower) * hi;
    }
}
