package org.varpart.report;

import java.util.List;
import java.util.Map;

/**
 * What the report shows, as small aggregates of the output tables: their size does not grow with
 * the number of features (bins, quantiles, a few example features), so a run over millions of
 * features makes a report of the same size.
 */
public final class ReportData {
    private ReportData() {}

    /** The residual component, drawn last and in grey, as variancePartition does. */
    public static final String RESIDUALS = "Residuals";

    /**
     * The distribution of one component's fraction over the features fitted ok or singular: the
     * {@code summary} table's row, with the sd, range and bin counts the violin needs.
     *
     * @param counts the number of features whose fraction falls in each of counts.length equal
     *     bins of [0, 1]
     * @param nSignificant features whose test of the component has q below the run's FDR (null
     *     when the run made no tests)
     * @param lambda the genomic inflation of the component's p-values (null when none)
     */
    public record Component(String name, long n, double mean, double median, double q05, double q25, double q75, double q95,
                            double sd, double min, double max, long[] counts, Long nSignificant, Double lambda) {}

    /** A feature among those with the largest fraction of {@code chosenFor}, with all its fractions. */
    public record FeatureBar(String chosenFor, String feature, Map<String, Double> fractions) {}

    /**
     * The p-values of one test (a fixed term's F test or a component's likelihood-ratio test),
     * as counts of −log₁₀ p in the bins of {@link QqPoints}.
     */
    public record TestSeries(String name, boolean randomComponent, long[] bins, long[] counts, Long nSignificant, Double lambda) {
        /** The number of p-values. */
        public long m() {
            long m = 0;
            for (long c : counts) m += c;
            return m;
        }
    }

    /** A feature with an unusual fit status, and the fit's message. */
    public record Example(String feature, String message) {}

    /** The number of features with a status, and a few examples. */
    public record StatusRow(String status, long count, List<Example> examples) {}

    /**
     * One assay: components ordered as plotted (by median fraction, largest first, residuals
     * last), the top features per component, the tests, the fit statuses, the collinearity of the
     * formula's variables (empty when the output has no such table), the top features'
     * fractions with their intervals (empty when the run made none) and, for a counts assay, voom's
     * mean–variance points and the volcano plots ({@link CountsPlots}; null for other assays).
     */
    public record Assay(String name, List<Component> components, List<FeatureBar> top, List<TestSeries> tests,
                        List<StatusRow> statuses, List<CollinearityHeatMap.Cell> collinearity, List<IntervalChart.Row> intervals,
                        CountsPlots.Data counts) {
        /** An assay that is not a counts assay. */
        public Assay(String name, List<Component> components, List<FeatureBar> top, List<TestSeries> tests, List<StatusRow> statuses,
                     List<CollinearityHeatMap.Cell> collinearity, List<IntervalChart.Row> intervals) {
            this(name, components, top, tests, statuses, collinearity, intervals, null);
        }

        /** Without a collinearity table or intervals (an output written before they existed). */
        public Assay(String name, List<Component> components, List<FeatureBar> top, List<TestSeries> tests, List<StatusRow> statuses) {
            this(name, components, top, tests, statuses, List.of(), List.of());
        }

        public long features() {
            return statuses.stream().mapToLong(StatusRow::count).sum();
        }
    }
}
