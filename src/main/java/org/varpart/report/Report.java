package org.varpart.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code report.html} of an output directory: read on the driver from the tables' aggregates
 * (see {@link ReportTables}), drawn with JFreeChart, written next to the tables. {@code varpart
 * run} has the job call it (as the run's extra output step) before the output is committed;
 * {@code varpart report OUTPUT} calls it on an existing output.
 */
public final class Report {
    /** The report's file name in the output directory. */
    public static final String FILE = "report.html";

    private Report() {}

    /**
     * Writes {@code dir/report.html} from the tables and {@code run.json} in {@code dir}.
     * Plots that cannot be drawn (a JVM without fonts) become notes in the page and warnings in
     * the log; a table that cannot be read fails as any other write of the run.
     *
     * @return the written file
     */
    public static Path write(SparkSession spark, Path dir, PrintStream log) throws IOException {
        return write(spark, dir, new Path(dir, FILE), log);
    }

    /** As {@link #write(SparkSession, Path, PrintStream)}, to another file. */
    public static Path write(SparkSession spark, Path dir, Path file, PrintStream log) throws IOException {
        // plots are drawn off screen: never look for a display, whatever launched this JVM
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        long t0 = System.nanoTime();
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        RunInfo run;
        try (InputStream in = fs.open(new Path(dir, "run.json"))) {
            run = RunInfo.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        List<ReportData.Assay> assays = ReportTables.read(spark, dir, run.assays().stream().map(RunInfo.AssayInput::name).toList(),
                Double.parseDouble(run.config().getOrDefault("voom_span", "0.5")), run.fdr());
        String output = run.config().getOrDefault("output", dir.getName());
        HtmlReport.Page page = HtmlReport.build(new Path(output.isEmpty() ? dir.getName() : output).getName(), run, assays);
        page.problems().forEach(p -> log.println("varpart: warning: report: " + p));
        try (OutputStream o = fs.create(file, true)) {
            o.write(page.html().getBytes(StandardCharsets.UTF_8));
        }
        log.printf(java.util.Locale.ROOT, "varpart: %s written in %.1f s%n", FILE, (System.nanoTime() - t0) / 1e9);
        return file;
    }
}
