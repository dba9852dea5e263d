package org.varpart.report;

import java.util.List;

/**
 * Two subsections of an assay's part of {@code report.html}: the top features' fractions with
 * their confidence intervals (when the run made them, {@code ci = true}) and the heat map of how
 * well the model can tell the formula's variables apart (variancePartition's
 * {@code plotCorrMatrix} of {@code canCorPairs}).
 */
final class ReportSections {
    private ReportSections() {}

    /** The intervals of the features the percent bars show: a dot per fraction with its interval, and the numbers. */
    static void intervals(HtmlReport r, ReportData.Assay a, RunInfo run) {
        if (a.intervals().isEmpty()) return;
        double level = Double.parseDouble(run.config().getOrDefault("ci_level", "0.95"));
        String method = run.config().getOrDefault("ci_method", "logit_basic");
        List<String> order = a.components().stream().map(ReportData.Component::name).toList();
        r.sb.append("<h3>How sure is each fraction?</h3>\n<p class=\"explain\">The features of the bars above, each fraction (dot) with its ")
                .append(Html.percent(level)).append(" confidence interval (bar) from a parametric bootstrap of the feature's fit (")
                .append(run.config().getOrDefault("ci_replicates", "?")).append(" replicates, ")
                .append(method.equals("percentile") ? "percentile interval" : "basic interval on the logit scale, from the REML fit")
                .append("): under the fitted model, about ").append(Html.percent(level))
                .append(" of such intervals contain the true fraction. A component with few levels (a handful of labs) cannot be "
                        + "bounded from above: most of its intervals end at 100% (read them as \"at least\"); a component estimated at 0 "
                        + "gets 0–100%.</p>\n");
        r.figure("intervals-" + a.name(), "Fractions with confidence intervals of the top features, assay " + a.name(),
                () -> IntervalChart.chart(a.intervals(), order, r.palette), 960, 110 + 21 * IntervalChart.features(a.intervals()).size());
        r.sb.append("<details><summary>The numbers</summary>\n").append(IntervalChart.table(a.intervals(), level)).append("</details>\n");
    }

    /** The heat map of the collinearity table, values in the cells, pairs above 0.999 outlined and explained. */
    static void collinearity(HtmlReport r, ReportData.Assay a) {
        if (a.collinearity().isEmpty()) return;
        r.sb.append("<h3>Can the model tell the variables apart?</h3>\n<p class=\"explain\">For each pair of the formula's variables, "
                + "the canonical correlation of their model-matrix columns (√ of the mean squared canonical correlation, as "
                + "variancePartition's <code>canCorPairs</code>), on the samples this assay uses, before any fit. 1 means one variable "
                + "is a function of the other (a batch nested in a lab, an age recorded per patient); above 0.999 the split of variance "
                + "between the two is arbitrary.</p>\n");
        r.sb.append(CollinearityHeatMap.html(a.collinearity()));
    }
}
