package org.varpart.report;

import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * The report's aggregates of the usable fractions and of the fits, each made in one plain pass
 * over the rows (a task fills one, the driver merges them in partition order, so that a report
 * made twice from the same tables is the same): per assay × component the number of fractions,
 * their standard deviation, minimum, maximum, density bins and the {@link ReportTables#TOP_PER_COMPONENT}
 * features with the largest fraction; per assay × status the count and the first few features by
 * ID. What is kept does not grow with the number of features.
 */
final class ReportScans {
    private ReportScans() {}

    static final char SEP = '\u0000';

    /** A feature and one of its values, ordered by the value (largest first), then by feature ID. */
    record Ranked(double value, String feature, String message) implements Serializable {}

    /** Largest value first, then by feature ID (a class, so that the sets holding it can be shipped). */
    static final class LargestFirst implements Comparator<Ranked>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Ranked a, Ranked b) {
            int c = Double.compare(b.value(), a.value());
            return c != 0 ? c : a.feature().compareTo(b.feature());
        }
    }

    /** By feature ID. */
    static final class ByFeature implements Comparator<Ranked>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Ranked a, Ranked b) {
            return a.feature().compareTo(b.feature());
        }
    }

    /** One assay × component's fractions: Welford's running mean and sum of squares, range, bins, top features. */
    static final class Spread implements Serializable {
        private static final long serialVersionUID = 1L;
        long n;
        double mean, m2, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        final long[] bins = new long[Charts.DENSITY_BINS];
        final TreeSet<Ranked> top = new TreeSet<>(new LargestFirst());

        void add(double x, String feature, boolean ranked) {
            n++;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
            bins[FractionDensity.bin(x, Charts.DENSITY_BINS)]++;
            if (ranked) keep(top, new Ranked(x, feature, null), ReportTables.TOP_PER_COMPONENT);
        }

        void merge(Spread o) {
            if (o.n == 0) return;
            long total = n + o.n;
            double d = o.mean - mean;
            mean += d * o.n / total;
            m2 += o.m2 + d * d * n * o.n / total;
            n = total;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            for (int i = 0; i < bins.length; i++) bins[i] += o.bins[i];
            for (Ranked r : o.top) keep(top, r, ReportTables.TOP_PER_COMPONENT);
        }

        /** The sample standard deviation; 0 with fewer than two fractions. */
        double sd() {
            return n < 2 ? 0 : Math.sqrt(m2 / (n - 1));
        }
    }

    /** One assay × status: the count and the first features by ID. */
    static final class Status implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        final TreeSet<Ranked> examples = new TreeSet<>(new ByFeature());
    }

    private static void keep(TreeSet<Ranked> set, Ranked r, int most) {
        set.add(r);
        if (set.size() > most) set.pollLast();
    }

    /** Per "assay SEP component": the fractions' aggregates, from rows (assay, feature, component, fraction). */
    static Map<String, Spread> fractions(JavaRDD<Row> usable) {
        Map<String, Spread> out = new HashMap<>();
        for (Map<String, Spread> part : usable.mapPartitions((Iterator<Row> it) -> {
            HashMap<String, Spread> m = new HashMap<>();
            while (it.hasNext()) {
                Row r = it.next();
                String component = r.getString(2);
                m.computeIfAbsent(r.getString(0) + SEP + component, k -> new Spread())
                        .add(r.getDouble(3), r.getString(1), !component.equals(ReportData.RESIDUALS));
            }
            return List.of(m).iterator();
        }).collect()) {
            part.forEach((k, s) -> out.computeIfAbsent(k, x -> new Spread()).merge(s));
        }
        return out;
    }

    /** What the pass over the fits gathers: per "assay SEP status" the count and examples; the assays with a residual df (counts assays). */
    static final class Fits implements Serializable {
        private static final long serialVersionUID = 1L;
        final HashMap<String, Status> statuses = new HashMap<>();
        final java.util.HashSet<String> weighted = new java.util.HashSet<>();
    }

    /**
     * The fits' statuses with the first {@code examples} features of each but ok, from rows
     * (assay, feature, status, message[, residual_df]).
     */
    static Fits fits(JavaRDD<Row> fits, int examples) {
        Fits out = new Fits();
        for (Fits part : fits.mapPartitions((Iterator<Row> it) -> {
            Fits m = new Fits();
            while (it.hasNext()) {
                Row r = it.next();
                Status s = m.statuses.computeIfAbsent(r.getString(0) + SEP + r.getString(2), k -> new Status());
                s.count++;
                if (!r.getString(2).equals("ok")) keep(s.examples, new Ranked(0, r.getString(1), r.isNullAt(3) ? "" : r.getString(3)), examples);
                if (r.size() > 4 && !r.isNullAt(4)) m.weighted.add(r.getString(0));
            }
            return List.of(m).iterator();
        }).collect()) {
            part.statuses.forEach((k, s) -> {
                Status t = out.statuses.computeIfAbsent(k, x -> new Status());
                t.count += s.count;
                for (Ranked r : s.examples) keep(t.examples, r, examples);
            });
            out.weighted.addAll(part.weighted);
        }
        return out;
    }

    /** The distinct values of a one-column table's rows. */
    static java.util.Set<String> distinct(JavaRDD<Row> rows) {
        java.util.Set<String> out = new TreeSet<>();
        for (java.util.HashSet<String> part : rows.mapPartitions((Iterator<Row> it) -> {
            java.util.HashSet<String> m = new java.util.HashSet<>();
            it.forEachRemaining(r -> m.add(r.getString(0)));
            return List.of(m).iterator();
        }).collect()) {
            out.addAll(part);
        }
        return out;
    }

    /** The key's two parts. */
    static String[] split(String key) {
        int i = key.indexOf(SEP);
        return new String[] {key.substring(0, i), key.substring(i + 1)};
    }

}
