package org.varpart.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.varpart.InputException;
import org.varpart.report.Report;

/** {@code varpart report}: report.html of an existing output directory. */
final class ReportCommand {
    static final String HELP = """
            Usage: varpart report OUTPUT [options]

            Writes OUTPUT/report.html from the tables and run.json of a finished run (every run
            writes one; this makes it again, e.g. after copying the tables, or with a newer
            varpart). One self-contained HTML file that opens offline: per assay, violins of the
            variance fractions per component, stacked percent bars of the top features per
            component, a QQ plot of the p-values with lambda and the number significant at the
            run's FDR, the fit statuses with examples and what to do, and the run's formula,
            inputs, sample counts and timings. Only small aggregates of the tables are read into
            memory, so outputs of any size work. OUTPUT is a Hadoop path (local, hdfs://, s3a://).

            Options:
              --out FILE       write the report there instead of OUTPUT/report.html
              --master MASTER  Spark master when none is set (default local[*])
            """;

    private ReportCommand() {}

    static int run(String[] argv, PrintStream out) throws IOException {
        Args a = Args.parse(argv, Set.of("out", "master"), Set.of("help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        if (a.positional.size() != 1) {
            throw new Args.UsageException(a.positional.isEmpty() ? "give the output directory of a run" : "one output directory only");
        }
        // a session that already exists (a notebook's, a test's) is used and left running
        boolean own = SparkSession.getDefaultSession().isEmpty();
        SparkConf conf = new SparkConf().setAppName("varpart report");
        if (!conf.contains("spark.master") && System.getenv("MASTER") == null) conf.setMaster(a.values.getOrDefault("master", "local[*]"));
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        if (own) spark.sparkContext().setLogLevel("WARN");
        try {
            Path dir = new Path(a.positional.get(0));
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(new Path(dir, "_SUCCESS")) || !fs.exists(new Path(dir, "run.json"))) {
                throw new InputException(dir + " is not the output of a finished varpart run (it has no _SUCCESS or no run.json).");
            }
            Path file = a.has("out") ? new Path(a.get("out")) : new Path(dir, Report.FILE);
            Report.write(spark, dir, file, out);
            out.println("varpart: open " + fs.makeQualified(file) + " in a browser");
            return 0;
        } finally {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }
}
