package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page from plain data: what it says about the run, escaping, and runs without tests or fits. */
class HtmlReportTest {
    static final String RUN_JSON = """
            {"varpart_version": "1.2.3", "spark_version": "3.5.7", "java_version": "17",
             "started": "2026-01-02T10:11:12.345Z", "finished": "2026-01-02T10:12:13.9Z", "wall_seconds": 61.5,
             "config": {"formula": "~ age + (1 | patient)", "method": "REML", "tests": "false", "fdr": "0.1",
                        "samples": "s3a://bucket/samples.tsv", "sample_id_column": "id", "output": "s3a://bucket/results/study<1>"},
             "assays": [{"name": "rna", "path": "s3a://bucket/rna.tsv", "samples": 90, "features": 123},
                        {"name": "empty", "path": "e.tsv", "samples": 10, "features": 2}],
             "status_counts": {"ok": 121, "failed": 4}}
            """;

    @Test
    void runJsonIsReadWithItsConfigInputsAndTimings() throws IOException {
        RunInfo run = RunInfo.parse(RUN_JSON);
        assertEquals(0.1, run.fdr());
        assertFalse(run.tests());
        assertEquals(61.5, run.wallSeconds());
        assertEquals(List.of(new RunInfo.AssayInput("rna", "s3a://bucket/rna.tsv", 90, 123), new RunInfo.AssayInput("empty", "e.tsv", 10, 2)),
                run.assays());
        assertEquals(Map.of("ok", 121L, "failed", 4L), run.statusCounts());
        RunInfo old = RunInfo.parse("{}");
        assertEquals(0.05, old.fdr(), "the default FDR when run.json has none");
        assertTrue(old.tests() && Double.isNaN(old.wallSeconds()));
    }

    @Test
    void aRunWithoutTestsAndAnAssayWithoutFitsStillReadsWell() throws IOException {
        RunInfo run = RunInfo.parse(RUN_JSON);
        ReportData.Component patient = ChartsTest.component("patient", 0.3, 0.1, 200, 1);
        ReportData.Component residuals = ChartsTest.component(ReportData.RESIDUALS, 0.7, 0.1, 200, 2);
        ReportData.Assay rna = new ReportData.Assay("rna", List.of(patient, residuals),
                List.of(new ReportData.FeatureBar("patient", "<gene&1>", Map.of("patient", 0.9, ReportData.RESIDUALS, 0.1))), List.of(),
                List.of(new ReportData.StatusRow("ok", 121, List.of()),
                        new ReportData.StatusRow("failed", 2, List.of(new ReportData.Example("g<b>", "value 'x<y' is not a number")))));
        ReportData.Assay empty = new ReportData.Assay("empty", List.of(), List.of(), List.of(),
                List.of(new ReportData.StatusRow("failed", 2, List.of())));
        HtmlReport.Page page = HtmlReport.build("study<1>", run, List.of(rna, empty));
        String html = page.html();
        assertEquals(List.of(), page.problems());
        assertTrue(html.contains("<title>varpart report: study&lt;1&gt;</title>"));
        assertTrue(html.contains("<code>g&lt;b&gt;</code>: value &#39;x&lt;y&#39; is not a number"), "examples are escaped");
        assertFalse(html.contains("<gene&1>") || html.contains("g<b>"), "no raw feature names in the markup");
        assertTrue(html.contains("The run made no tests (tests = false)."));
        assertFalse(html.contains("significant at FDR"), "no significance columns without tests");
        assertTrue(html.contains("not computed (tests = false)"));
        assertTrue(html.contains("2026-01-02 10:11:12 UTC; finished 2026-01-02 10:12:13 UTC"));
        assertTrue(html.contains("61.5 s"));
        assertTrue(html.contains("REML"));
        assertTrue(html.contains("ok 121 · failed 2"), "the statuses per input");
        assertTrue(html.contains("No feature of this assay was fitted ok or singular: nothing to plot."));
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "violins and bars of rna; nothing for the empty assay");
        assertTrue(html.contains("id=\"a-empty\""));
    }

    @Test
    void intervalsAndTheCollinearityHeatMapAppearWhenTheOutputHasThem() throws IOException {
        RunInfo run = RunInfo.parse(RUN_JSON);
        ReportData.Component patient = ChartsTest.component("patient", 0.3, 0.1, 200, 1);
        ReportData.Component residuals = ChartsTest.component(ReportData.RESIDUALS, 0.7, 0.1, 200, 2);
        List<ReportData.FeatureBar> bars = List.of(new ReportData.FeatureBar("patient", "g1", Map.of("patient", 0.9, ReportData.RESIDUALS, 0.1)));
        List<CollinearityHeatMap.Cell> cells = List.of(new CollinearityHeatMap.Cell("lab", "batch", 1.0),
                new CollinearityHeatMap.Cell("lab", "age", 0.2), new CollinearityHeatMap.Cell("batch", "age", 0.3));
        List<IntervalChart.Row> ci = List.of(new IntervalChart.Row("g1", "patient", 0.9, 0.8, 0.95),
                new IntervalChart.Row("g1", ReportData.RESIDUALS, 0.1, 0.05, 0.2));
        ReportData.Assay rna = new ReportData.Assay("rna", List.of(patient, residuals), bars, List.of(),
                List.of(new ReportData.StatusRow("ok", 1, List.of())), cells, ci);
        HtmlReport.Page page = HtmlReport.build("study", run, List.of(rna));
        String html = page.html();
        assertEquals(List.of(), page.problems());
        assertTrue(html.contains("How sure is each fraction?"), "the interval section");
        assertTrue(html.contains("id=\"a-intervals-rna\""), "the interval chart");
        assertTrue(html.contains("80.0% – 95.0%") || html.contains("80% – 95%"), "the interval's numbers: " + html);
        assertTrue(html.contains("Can the model tell the variables apart?"), "the heat map's section");
        assertTrue(html.contains("class=\"heatmap\""), "the heat map");
        assertEquals(3, html.split("data:image/png;base64,", -1).length - 1, "violins, bars and intervals");

        // without them (ci = false, or an output older than the table) neither section appears
        String plain = HtmlReport.build("study", run, List.of(new ReportData.Assay("rna", List.of(patient, residuals), bars, List.of(),
                List.of(new ReportData.StatusRow("ok", 1, List.of()))))).html();
        assertFalse(plain.contains("How sure is each fraction?") || plain.contains("Can the model tell the variables apart?"));
    }

    @Test
    void aCountsAssayGetsVoomsPlotAndAVolcanoPerTest() throws IOException {
        RunInfo run = RunInfo.parse(RUN_JSON.replace("\"fdr\": \"0.1\"", "\"fdr\": \"0.1\", \"voom_span\": \"0.4\""));
        ReportData.Component residuals = ChartsTest.component(ReportData.RESIDUALS, 0.7, 0.1, 200, 2);
        CountsPlots.MeanVariance mv = new CountsPlots.MeanVariance(new double[] {1, 2, 3}, new double[] {1.2, 1.0, 0.8}, new long[] {4, 5, 6},
                new double[] {1, 3}, new double[] {1.1, 0.85}, 15, 14);
        CountsPlots.Volcano sex = new CountsPlots.Volcano("sexM", false, new double[] {-0.5, 0.1, 1.2}, new double[] {0.4, 0.2, 5},
                new boolean[] {false, false, true}, new long[] {7, 6, 2}, 15, 2, true);
        CountsPlots.Volcano contrast = new CountsPlots.Volcano("B_vs_A", true, new double[] {0.3}, new double[] {0.5},
                new boolean[] {false}, new long[] {15}, 15, 0, true);
        ReportData.Assay counts = new ReportData.Assay("rnaseq", List.of(residuals), List.of(), List.of(),
                List.of(new ReportData.StatusRow("ok", 15, List.of())), List.of(), List.of(),
                new CountsPlots.Data(mv, List.of(sex, contrast)));
        HtmlReport.Page page = HtmlReport.build("study", run, List.of(counts));
        String html = page.html();
        assertEquals(List.of(), page.problems());
        assertTrue(html.contains("voom's mean–variance trend"), "voom's section");
        assertTrue(html.contains("span 0.4"), "the run's span");
        assertTrue(html.contains("15 features, 14 in the trend"), "how many points and how many in the trend");
        assertTrue(html.contains("<img id=\"a-meanvar-rnaseq\""), "voom's plot");
        assertTrue(html.contains("moderated p-value (dream + eBayes)") && html.contains("below the FDR 10%"), "what the volcanoes show");
        assertTrue(html.contains("<img id=\"a-volcano-rnaseq-sexM\"") && html.contains("alt=\"Volcano plot of coefficient sexM, assay rnaseq\""));
        assertTrue(html.contains("<img id=\"a-volcano-rnaseq-B_vs_A\"") && html.contains("alt=\"Volcano plot of contrast B_vs_A, assay rnaseq\""));
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1, "violins, voom's plot and two volcanoes");
        // a log-scale assay (no counts data) has neither
        String plain = HtmlReport.build("study", run, List.of(new ReportData.Assay("rna", List.of(residuals), List.of(), List.of(),
                List.of(new ReportData.StatusRow("ok", 1, List.of()))))).html();
        assertFalse(plain.contains("voom's mean–variance trend") || plain.contains("Volcano plots"));
    }

    @Test
    void theTrendLineIsThinnedToEvenlySpacedPointsKeepingBothEnds() {
        double[] x = new double[1001], y = new double[1001];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = 2 * i;
        }
        double[][] t = CountsPlots.thin(x, y, 11);
        assertEquals(11, t[0].length);
        assertEquals(0, t[0][0]);
        assertEquals(1000, t[0][10]);
        assertEquals(500, t[0][5]);
        assertEquals(1000, t[1][5]);
        CountsPlots.Grid g = new CountsPlots.Grid(0, 10, 0, 5, 10, 5);
        assertEquals(0, g.cell(0, 0));
        assertEquals(9 * 5 + 4, g.cell(10, 5), "the upper edges fall in the last cells");
        assertEquals(3.5, g.centreX(3), 1e-12);
    }
}
