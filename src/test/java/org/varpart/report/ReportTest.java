package org.varpart.report;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.cli.Main;

/** report.html of a real run: what the job writes, what its aggregates say, and the command that remakes it. */
class ReportTest {
    private static final Pattern IMG = Pattern.compile("<img id=\"([^\"]+)\" class=\"plot\" width=\"(\\d+)\" height=\"(\\d+)\" alt=\"[^\"]*\" src=\"data:image/png;base64,([^\"]+)\">");

    static Dataset<Row> table(String name) throws IOException {
        return ReportFixture.spark().read().parquet(ReportFixture.output().resolve(name).toString());
    }

    @Test
    void everyRunCommitsASelfContainedReportWithThreeDecodablePlotsPerAssay() throws IOException {
        String html = Files.readString(ReportFixture.report());
        assertTrue(ReportFixture.log().contains("report.html written"), ReportFixture.log());
        assertFalse(html.contains("could not be drawn"), "every plot was drawn");
        List<String> ids = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(4))));
            assertEquals(2 * Integer.parseInt(m.group(2)), img.getWidth(), m.group(1));
            assertEquals(2 * Integer.parseInt(m.group(3)), img.getHeight(), m.group(1));
        }
        assertEquals(List.of("a-violins-rna", "a-bars-rna", "a-qq-rna", "a-violins-protein", "a-bars-protein", "a-qq-protein"), ids);
        // opens offline: nothing is fetched, every link is inside the page
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (refs.find()) assertTrue(refs.group(1).startsWith("data:image/png;base64,") || refs.group(1).startsWith("#"), refs.group(1));
        assertFalse(html.contains("<script"), "no script");
        assertTrue(html.contains("<code>" + org.varpart.simulate.StudySimulator.FORMULA.replace("|", "|") + "</code>"), "the formula");
        // the study's batches are nested in its labs: the collinearity heat map of each assay says so
        assertEquals(2, html.split("Can the model tell the variables apart\\?", -1).length - 1, "a heat map per assay");
        assertTrue(html.contains("cannot separate lab and batch"), "the nested pair is explained");
    }

    @Test
    void statusTableCountsEveryStatusWithExamples() throws IOException {
        String html = Files.readString(ReportFixture.report());
        String protein = html.substring(html.indexOf("<section id=\"a-protein\">"));
        Map<String, Long> counts = table("fits").filter(col("assay").equalTo("protein")).groupBy("status").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        assertEquals(1L, counts.get("skipped_constant"), counts.toString());
        for (String s : HtmlReport.STATUSES) {
            String row = "<code>" + s + "</code></td><td class=\"n\">" + counts.getOrDefault(s, 0L) + "</td>";
            assertTrue(protein.contains(row), row);
            assertTrue(protein.contains(Html.esc(HtmlReport.ADVICE.get(s))), "advice for " + s);
        }
        String constantRow = protein.substring(protein.indexOf("<code>skipped_constant</code>"));
        assertTrue(constantRow.substring(0, constantRow.indexOf("</tr>")).contains("<code>" + ReportFixture.CONSTANT + "</code>"),
                "the constant feature is the example");
        assertTrue(protein.contains("<code>" + ReportFixture.SPARSE + "</code>"), "the sparse feature is an example of its status");
    }

    @Test
    void aggregatesAgreeWithTheTables() throws IOException {
        SparkSession spark = ReportFixture.spark();
        List<ReportData.Assay> assays = ReportTables.read(spark, new org.apache.hadoop.fs.Path(ReportFixture.output().toString()),
                ReportFixture.assays());
        assertEquals(ReportFixture.assays(), assays.stream().map(ReportData.Assay::name).toList());
        Dataset<Row> usable = table("fractions").join(table("fits").filter(col("status").isin("ok", "singular")).select("assay", "feature"),
                scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "feature")).toSeq(), "left_semi");
        for (ReportData.Assay a : assays) {
            assertEquals(ReportData.RESIDUALS, a.components().get(a.components().size() - 1).name(), "residuals last");
            for (int i = 1; i < a.components().size() - 1; i++) {
                assertTrue(a.components().get(i - 1).median() >= a.components().get(i).median(), "ordered by median");
            }
            for (ReportData.Component c : a.components()) {
                long binned = java.util.Arrays.stream(c.counts()).sum();
                assertEquals(c.n(), binned, a.name() + " " + c.name() + ": every fraction in a bin");
                assertTrue(c.min() <= c.q05() && c.q95() <= c.max() && c.min() >= 0 && c.max() <= 1, c.name());
            }
            // the bars: exactly the five largest fractions of each component
            for (ReportData.Component c : a.components()) {
                if (c.name().equals(ReportData.RESIDUALS)) continue;
                List<String> expected = usable.filter(col("assay").equalTo(a.name()).and(col("component").equalTo(c.name())))
                        .orderBy(col("fraction").desc(), col("feature")).limit(ReportTables.TOP_PER_COMPONENT)
                        .select("feature").collectAsList().stream().map(r -> r.getString(0)).toList();
                List<String> shown = a.top().stream().filter(b -> b.chosenFor().equals(c.name())).map(ReportData.FeatureBar::feature).toList();
                assertEquals(expected, shown, a.name() + " " + c.name());
            }
            for (ReportData.FeatureBar b : a.top()) {
                assertEquals(1, b.fractions().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9, b.feature());
            }
            // the QQ plot: every p-value of every test, with the summary's λ
            for (ReportData.TestSeries t : a.tests()) {
                Dataset<Row> tests = t.randomComponent()
                        ? table("component_tests").filter(col("component").equalTo(t.name()))
                        : table("term_tests").filter(col("term").equalTo(t.name()));
                long m = tests.filter(col("assay").equalTo(a.name()).and(col("p_value").isNotNull())).count();
                assertEquals(m, t.m(), a.name() + " " + t.name());
                Row s = table("summary").filter(col("assay").equalTo(a.name()).and(col("component").equalTo(t.name()))).first();
                assertEquals(s.<Double>getAs("lambda"), t.lambda());
                assertEquals(s.<Long>getAs("n_significant"), t.nSignificant());
            }
            assertEquals(List.of("patient", "lab", "batch", "age", "sex").stream().sorted().toList(),
                    a.tests().stream().map(ReportData.TestSeries::name).sorted().toList());
        }
    }

    @Test
    void theReportCommandRemakesTheReportFromAnOutputDirectory(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("again.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"report", ReportFixture.output().toString(), "--out", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String again = Files.readString(file), first = Files.readString(ReportFixture.report());
        // the same page but for the time it was made
        String stamp = "generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC";
        assertEquals(first.replaceAll(stamp, ""), again.replaceAll(stamp, ""));
        assertTrue(ReportFixture.spark().sparkContext().isStopped() == false, "the command leaves an existing session running");

        code = Main.run(new String[] {"report", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not the output of a finished varpart run"), err.toString());
        out.reset();
        assertEquals(0, Main.run(new String[] {"report", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: varpart report OUTPUT"));
    }
}
