package org.varpart.report;

import static org.varpart.report.Html.count;
import static org.varpart.report.Html.esc;
import static org.varpart.report.Html.num;
import static org.varpart.report.Html.pct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * The report page: one self-contained HTML file (inline CSS, plots as base64 PNG, no script, no
 * external resource), so that it opens offline and can be mailed or archived with the tables.
 */
public final class HtmlReport {
    /** What each fit status means and what to do about it. */
    static final Map<String, String> ADVICE = Map.of(
            "ok", "Converged, every variance inside its bounds. Nothing to do.",
            "singular", "Converged with a variance at zero: that component explains nothing in this feature. The fractions are "
                    + "valid (the component's is 0) and count in the plots and the summary. Common when a grouping factor has few "
                    + "levels or a small effect; if most features are singular for one component, consider leaving it out of the formula.",
            "not_converged", "The optimiser stopped without passing lme4's convergence check. Estimates are in the tables, but these "
                    + "features are left out of the plots and the summary. Check the feature's scale (log-transform counts, "
                    + "standardise covariates) or simplify the model.",
            "skipped_constant", "The feature has the same value in every sample used: there is no variance to partition. Filter "
                    + "out constant or unexpressed features before the run.",
            "skipped_too_few", "Too few observations (after dropping missing values) for the model's parameters. Filter out "
                    + "features with many missing values, or use a formula with fewer terms.",
            "skipped_low_counts", "A counts assay's feature that edgeR's filterByExpr rule leaves out: too few reads in too few "
                    + "samples for voom's trend and a mixed model. Set filter.<name> = none to fit every feature.",
            "failed", "A numerical or input problem stopped the fit; the message says which (for example a value that is not a "
                    + "number). Check the feature's values in the assay file.");
    /** The statuses in the order the table lists them. */
    static final List<String> STATUSES = List.of("ok", "singular", "not_converged", "skipped_constant", "skipped_too_few",
            "skipped_low_counts", "failed");

    final Palette palette = new Palette();
    private final List<String> problems = new ArrayList<>();
    final StringBuilder sb = new StringBuilder();

    private HtmlReport() {}

    /** The page and the plots that could not be drawn (empty when all were). */
    public record Page(String html, List<String> problems) {}

    /**
     * Builds the page.
     *
     * @param title what the report is of (the output directory's name)
     * @param run the run record
     * @param assays the assays' aggregates
     */
    public static Page build(String title, RunInfo run, List<ReportData.Assay> assays) {
        HtmlReport r = new HtmlReport();
        // colours in the order of the first assay's plot, so that the largest components get the first colours
        assays.forEach(a -> a.components().forEach(c -> r.palette.of(c.name())));
        r.page(title, run, assays);
        return new Page(r.sb.toString(), List.copyOf(r.problems));
    }

    private void page(String title, RunInfo run, List<ReportData.Assay> assays) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>varpart report: ").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<header><h1>varpart report <span class=\"muted\">").append(esc(title)).append("</span></h1>\n<p class=\"muted\">")
                .append(esc(run.config().getOrDefault("formula", ""))).append(" · ").append(assays.size())
                .append(assays.size() == 1 ? " assay" : " assays").append(" · generated ").append(esc(seconds(Instant.now().toString())))
                .append(" from the tables in this directory</p>\n<nav>");
        sb.append("<a href=\"#run\">The run</a>");
        for (ReportData.Assay a : assays) sb.append("<a href=\"#").append(anchor(a.name())).append("\">Assay ").append(esc(a.name())).append("</a>");
        sb.append("</nav></header>\n<main>\n");
        runSection(run, assays);
        for (ReportData.Assay a : assays) assaySection(a, run);
        sb.append("</main>\n<footer>Made by varpart ").append(esc(run.varpartVersion()))
                .append(". Fractions follow variancePartition; fits are lme4's linear mixed model. See README.md for every column.</footer>\n");
        sb.append("</body>\n</html>\n");
    }

    private void runSection(RunInfo run, List<ReportData.Assay> assays) {
        Map<String, String> c = run.config();
        sb.append("<section id=\"run\"><h2>The run</h2>\n<table class=\"kv\">\n");
        kv("Formula", "<code>" + esc(c.getOrDefault("formula", "")) + "</code>");
        kv("Method", esc(c.getOrDefault("method", "")) + ("ML".equals(c.get("method")) ? " (maximum likelihood, variancePartition's default)" : ""));
        kv("Significance", run.tests() ? "tests per feature; counted at FDR " + Html.percent(run.fdr()) + " (Benjamini–Hochberg within assay × term)"
                : "not computed (tests = false)");
        kv("Sample sheet", "<code>" + esc(c.getOrDefault("samples", "")) + "</code> (ID column <code>" + esc(c.getOrDefault("sample_id_column", "")) + "</code>)");
        kv("Output", "<code>" + esc(c.getOrDefault("output", "")) + "</code>");
        kv("Started", esc(seconds(run.started())) + "; finished " + esc(seconds(run.finished())));
        kv("Wall time", Double.isNaN(run.wallSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f s", run.wallSeconds())
                + (run.wallSeconds() > 0 ? String.format(Locale.ROOT, " (%,.0f features per second)",
                        run.assays().stream().mapToLong(RunInfo.AssayInput::features).sum() / run.wallSeconds()) : ""));
        kv("Versions", "varpart " + esc(run.varpartVersion()) + ", Spark " + esc(run.sparkVersion()) + ", Java " + esc(run.javaVersion()));
        sb.append("</table>\n<h3>Inputs</h3>\n<table>\n<tr><th>assay</th><th>file</th><th class=\"n\">samples used</th>"
                + "<th class=\"n\">features</th><th>fit statuses</th></tr>\n");
        for (RunInfo.AssayInput in : run.assays()) {
            sb.append("<tr><td>").append(esc(in.name())).append("</td><td><code>").append(esc(in.path())).append("</code></td><td class=\"n\">")
                    .append(count(in.samples())).append("</td><td class=\"n\">").append(count(in.features())).append("</td><td>");
            ReportData.Assay a = assays.stream().filter(x -> x.name().equals(in.name())).findFirst().orElse(null);
            List<String> parts = new ArrayList<>();
            for (String s : STATUSES) {
                long n = a == null ? 0 : statusCount(a, s);
                if (n > 0) parts.add(s + " " + count(n));
            }
            sb.append(esc(String.join(" · ", parts))).append("</td></tr>\n");
        }
        sb.append("</table>\n</section>\n");
    }

    private void kv(String key, String valueHtml) {
        sb.append("<tr><th>").append(key).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    private void assaySection(ReportData.Assay a, RunInfo run) {
        sb.append("<section id=\"").append(anchor(a.name())).append("\"><h2>Assay ").append(esc(a.name())).append("</h2>\n");
        long usable = statusCount(a, "ok") + statusCount(a, "singular");
        sb.append("<p>").append(count(a.features())).append(" features; ").append(count(usable))
                .append(" fitted ok or singular, which the plots and the summary use.</p>\n");

        sb.append("<h3>Variance fractions per component</h3>\n<p class=\"explain\">Each violin is the distribution over features of the "
                + "share of variance a component explains (Gaussian kernel density, Silverman's bandwidth, drawn over the observed range); "
                + "the box spans the 25th to 75th percentile, the whiskers the 5th to 95th, the line across it is the median. Components are ordered "
                + "by median, residuals last, as variancePartition's <code>plotVarPart</code>.</p>\n");
        if (a.components().isEmpty()) {
            sb.append("<p class=\"warn\">No feature of this assay was fitted ok or singular: nothing to plot.</p>\n");
        } else {
            figure("violins-" + a.name(), "Violin plot of variance fractions per component, assay " + a.name(),
                    () -> Charts.violins(a.components(), palette), 960, 440);
            summaryTable(a, run);
        }

        sb.append("<h3>Features with the largest fraction of each component</h3>\n<p class=\"explain\">For each component (residuals "
                + "aside), the features where it explains the largest share, with all their fractions stacked to 100%, as "
                + "variancePartition's <code>plotPercentBars</code>.</p>\n");
        if (a.top().isEmpty()) {
            sb.append("<p class=\"muted\">No component besides the residuals.</p>\n");
        } else {
            List<String> order = a.components().stream().map(ReportData.Component::name).toList();
            figure("bars-" + a.name(), "Stacked percent bars of the top features per component, assay " + a.name(),
                    () -> PercentBarIntervals.addTo(Charts.percentBars(a.top(), order, palette), a.top(), a.intervals(), order, palette),
                    960, 110 + 21 * a.top().size());
        }

        ReportSections.intervals(this, a, run);
        ReportSections.collinearity(this, a);

        sb.append("<h3>Significance</h3>\n");
        if (a.tests().isEmpty()) {
            sb.append("<p class=\"muted\">").append(run.tests() ? "No p-values in this assay." : "The run made no tests (tests = false).").append("</p>\n");
        } else {
            sb.append("<p class=\"explain\">QQ plot of each test's p-values against the uniform distribution: points on the dashed "
                    + "line are what no effect at all would give; points above it are features where the term matters. Fixed terms "
                    + "(squares) are Satterthwaite F tests, random components (circles) likelihood-ratio tests. λ is the genomic "
                    + "inflation (median χ²₁ quantile over its expected 0.455); the count is of features with q below the FDR "
                    + Html.percent(run.fdr()) + ".</p>\n");
            figure("qq-" + a.name(), "QQ plot of p-values, assay " + a.name(), () -> Charts.qq(a.tests(), palette, run.fdr()), 760, 560);
        }
        CountsCharts.section(this, a, run);

        sb.append("<h3>Fit statuses</h3>\n<table class=\"status\">\n<tr><th>status</th><th class=\"n\">features</th><th>examples</th><th>what it means, what to do</th></tr>\n");
        for (String s : STATUSES) {
            long n = statusCount(a, s);
            sb.append("<tr").append(n == 0 ? " class=\"zero\"" : "").append("><td><code>").append(s).append("</code></td><td class=\"n\">")
                    .append(count(n)).append("</td><td>");
            for (ReportData.Example e : examples(a, s)) {
                sb.append("<div><code>").append(esc(e.feature())).append("</code>").append(e.message().isEmpty() ? "" : ": " + esc(e.message())).append("</div>");
            }
            sb.append("</td><td>").append(esc(ADVICE.get(s))).append("</td></tr>\n");
        }
        sb.append("</table>\n</section>\n");
    }

    private void summaryTable(ReportData.Assay a, RunInfo run) {
        sb.append("<table>\n<tr><th>component</th><th class=\"n\">features</th><th class=\"n\">mean</th><th class=\"n\">median</th>"
                + "<th class=\"n\">25%–75%</th><th class=\"n\">5%–95%</th>");
        if (run.tests()) sb.append("<th class=\"n\">significant at FDR ").append(Html.percent(run.fdr())).append("</th><th class=\"n\">λ</th>");
        sb.append("</tr>\n");
        for (ReportData.Component c : a.components()) {
            sb.append("<tr><td><span class=\"sw\" style=\"background:").append(palette.css(c.name())).append("\"></span>").append(esc(c.name()))
                    .append("</td><td class=\"n\">").append(count(c.n())).append("</td><td class=\"n\">").append(pct(c.mean()))
                    .append("</td><td class=\"n\">").append(pct(c.median())).append("</td><td class=\"n\">").append(pct(c.q25())).append(" – ")
                    .append(pct(c.q75())).append("</td><td class=\"n\">").append(pct(c.q05())).append(" – ").append(pct(c.q95())).append("</td>");
            if (run.tests()) {
                sb.append("<td class=\"n\">").append(c.nSignificant() == null ? "–" : count(c.nSignificant())).append("</td><td class=\"n\">")
                        .append(num(c.lambda())).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** A plot as an embedded PNG; a plot that cannot be drawn (no fonts, no AWT) becomes a note saying why. */
    void figure(String id, String alt, java.util.function.Supplier<JFreeChart> chart, int width, int height) {
        try {
            byte[] png = Charts.png(chart.get(), width, height);
            sb.append("<figure><img id=\"").append(anchor(id)).append("\" class=\"plot\" width=\"").append(width).append("\" height=\"")
                    .append(height).append("\" alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\"></figure>\n");
        } catch (Exception | LinkageError | java.awt.AWTError e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            problems.add(alt + ": " + why);
            sb.append("<p class=\"warn\">This plot could not be drawn (").append(esc(why))
                    .append("). The JVM needs fonts (fontconfig) to draw text; regenerate it with <code>varpart report</code>.</p>\n");
        }
    }

    /** An ISO instant to the second, as UTC: 2026-01-02T10:11:12.345Z → 2026-01-02 10:11:12 UTC. */
    static String seconds(String instant) {
        try {
            return Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", " UTC");
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    private static long statusCount(ReportData.Assay a, String status) {
        return a.statuses().stream().filter(s -> s.status().equals(status)).mapToLong(ReportData.StatusRow::count).sum();
    }

    private static List<ReportData.Example> examples(ReportData.Assay a, String status) {
        return a.statuses().stream().filter(s -> s.status().equals(status)).findFirst().map(ReportData.StatusRow::examples).orElse(List.of());
    }

    /** An HTML id made of the name's letters, digits, '-' and '_'. */
    static String anchor(String name) {
        return "a-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222;
                   margin: 0; background: #f6f7f9; }
            header { background: #1f2d3d; color: #fff; padding: 18px 32px 10px; }
            header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 600; }
            header .muted { color: #b9c4d0; }
            nav a { color: #fff; margin-right: 18px; text-decoration: none; border-bottom: 1px solid #7f8fa3; }
            main { max-width: 1040px; margin: 0 auto; padding: 8px 32px 32px; }
            section { background: #fff; border: 1px solid #e1e4e8; border-radius: 6px; padding: 8px 24px 18px; margin: 18px 0; }
            h2 { font-size: 21px; margin: 12px 0 6px; border-bottom: 1px solid #e1e4e8; padding-bottom: 4px; }
            h3 { font-size: 17px; margin: 22px 0 2px; }
            .explain { color: #555; margin: 2px 0 8px; max-width: 900px; }
            .muted { color: #777; }
            .warn { color: #8a4b00; background: #fff4e0; border-left: 3px solid #e69500; padding: 6px 10px; }
            figure { margin: 6px 0 10px; }
            img.plot { max-width: 100%; height: auto; }
            table { border-collapse: collapse; margin: 6px 0 10px; font-size: 14px; }
            th, td { border-bottom: 1px solid #e6e8eb; padding: 4px 10px; text-align: left; vertical-align: top; }
            th { background: #f3f5f7; font-weight: 600; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            table.kv th { width: 130px; background: none; }
            table.status td:nth-child(3) { font-size: 13px; max-width: 330px; overflow-wrap: anywhere; }
            table.status td:nth-child(4) { font-size: 13px; color: #444; max-width: 380px; }
            tr.zero td { color: #999; }
            code { font: 13px "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f3f5f7; padding: 0 3px; border-radius: 3px; }
            .sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 7px; vertical-align: -1px; }
            footer { color: #888; font-size: 13px; text-align: center; padding: 0 0 24px; }
            """;
}
