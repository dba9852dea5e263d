package org.varpart.notebooks;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.job.SparkTestSession;
import org.varpart.report.ReportFixtureAccess;

/**
 * Runs the plotting code of notebooks/02-explore-results.ipynb (pandas and matplotlib, as
 * written in the notebook) on a real run's tables, where a Python with pandas and matplotlib is
 * installed (.ci/run installs Debian's). The Spark statements of the notebook are not run here
 * (PySpark is not installed): the small frames they hand to pandas are exported from the same
 * tables with the JVM's Spark instead, by the queries the notebook describes.
 */
class NotebookPlotsTest {

    static Optional<String> pythonWithPlots() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import pandas, matplotlib").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(candidate);
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.empty();
    }

    @Test
    void theNotebooksPlotsRunOnARealOutput(@TempDir Path dir) throws Exception {
        Optional<String> python = pythonWithPlots();
        String why = "no python3 with pandas and matplotlib (Debian: python3-pandas python3-matplotlib, which .ci/run installs "
                + "where apt-get can), so the notebook's plotting code is not run";
        if (python.isEmpty()) System.err.println("NotebookPlotsTest skipped: " + why);
        Assumptions.assumeTrue(python.isPresent(), why);
        SparkSession spark = SparkTestSession.get();
        Path out = ReportFixtureAccess.output();
        Dataset<Row> fits = spark.read().parquet(out.resolve("fits").toString());
        Dataset<Row> usable = spark.read().parquet(out.resolve("fractions").toString())
                .join(fits.filter(col("status").isin("ok", "singular")).select("assay", "feature"),
                        scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "feature")).toSeq(), "left_semi");
        csv(dir.resolve("medians.csv"), spark.read().parquet(out.resolve("summary").toString()).select("assay", "component", "median"));
        csv(dir.resolve("fractions.csv"), usable.select("assay", "component", "fraction"));
        Dataset<Row> ranked = usable.filter(col("component").notEqual("Residuals"))
                .withColumn("rank", functions.row_number().over(Window.partitionBy("assay", "component").orderBy(col("fraction").desc(), col("feature"))))
                .filter(col("rank").leq(5)).select(col("assay"), col("feature"), col("component").as("top_of"), col("rank"));
        csv(dir.resolve("bars.csv"), usable.join(ranked, scala.collection.JavaConverters.asScalaBuffer(List.of("assay", "feature")).toSeq())
                .select("assay", "top_of", "rank", "feature", "component", "fraction"));
        csv(dir.resolve("pvalues.csv"), spark.read().parquet(out.resolve("term_tests").toString()).select(col("assay"), col("term").as("test"), col("p_value"))
                .union(spark.read().parquet(out.resolve("component_tests").toString()).select(col("assay"), col("component").as("test"), col("p_value")))
                .filter(col("p_value").isNotNull()));
        Path script = Path.of("src/test/resources/notebooks/run_plots.py");
        Process p = new ProcessBuilder(python.get(), script.toString(), NotebooksTest.DIR.resolve("02-explore-results.ipynb").toString(),
                dir.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        for (String assay : List.of("rna", "protein")) {
            for (String plot : List.of("violins-", "bars-")) {
                BufferedImage img = ImageIO.read(dir.resolve(plot + assay + ".png").toFile());
                Set<Integer> colours = new HashSet<>();
                for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) colours.add(img.getRGB(x, y) & 0xF8F8F8);
                assertTrue(colours.size() > 30, plot + assay + ": " + colours.size() + " colours");
            }
        }
    }

    /** A small table as CSV with a header (collected: the fixture run is small). */
    static void csv(Path file, Dataset<Row> df) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", df.columns())).append('\n');
        for (Row r : df.collectAsList()) {
            sb.append(java.util.stream.IntStream.range(0, r.size()).mapToObj(i -> String.valueOf(r.get(i))).collect(Collectors.joining(","))).append('\n');
        }
        Files.writeString(file, sb);
    }
}
