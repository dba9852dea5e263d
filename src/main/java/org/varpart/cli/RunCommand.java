package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.varpart.job.ConfigFile;
import org.varpart.report.Report;
import scala.Option;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
import org.varpart.job.Redaction;
import org.varpart.job.VarPartJob;

/** {@code varpart run}: the variance-partition job. */
final class RunCommand {
    static final String DEFAULT_CONFIG = "conf/example.conf";
    static final String HELP = """
            Usage: varpart run [CONFIG] [--key=value ...]

            Fits a linear mixed model to every feature of every assay and writes variance
            fractions, fits, fixed effects and a summary as Parquet, with run.json, to the output
            directory. CONFIG is a key = value file (default: conf/example.conf, the shipped
            example study); every key can be given or overridden as --key=value.

            Keys:
            %s
            CONFIG may be a local path or any URI Hadoop's FileSystem reaches (hdfs://, s3a://,
            dbfs:/, /Volumes/...). Locally (no spark-submit) Spark runs embedded, on the 'master'
            key (local[*]). On a cluster use submit/spark-submit.sh, which leaves the master to
            spark-submit and, in cluster deploy mode, ships a local CONFIG with the application.
            Progress and warnings go to the log (log4j2, stderr by default); stdout gets the result.

            Exit codes:
              0  the run finished; the output is complete (_SUCCESS written last)
              1  an unexpected error (logged with its stack trace)
              2  bad input or usage (the file, line, column or key named), a missing file-system
                 connector; nothing written
              3  the environment failed (a full disk, lost executors, ...);
                 the features committed so far are kept for --resume
            """;

    /** The job's progress, notes and warnings (INFO and WARN). */
    private static final org.slf4j.Logger JOB_LOG = org.slf4j.LoggerFactory.getLogger(VarPartJob.class);

    private RunCommand() {}

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parseKeys(argv, Set.of("overwrite", "resume", "drop_unmatched_samples"));
        if (args.has("help")) {
            out.printf(HELP, JobConfig.documentation());
            return 0;
        }
        Session session = Session.of(args);
        JobConfig cfg = session.config();
        SparkSession spark = session.spark();
        try {
            // progress, notes and warnings go to the log; stdout gets the result only
            VarPartJob.Outcome o = VarPartJob.run(spark, cfg, LogLines.to(JOB_LOG), Report::write);
            out.printf("varpart: %d features in %.1f s%s; status counts %s%n", o.features(), o.seconds(),
                    o.resumed() > 0 ? " (" + o.resumed() + " of them fitted by the interrupted run)" : "", o.statusCounts());
            out.println("varpart: results in " + Redaction.text(o.output())
                    + " (fractions, fits, fixed_effects, term_tests, component_tests, collinearity, summary, mean_variance, run.json; open report.html in a browser)");
            return 0;
        } finally {
            session.close();
        }
    }

    /**
     * What {@code run} and {@code check} share: the command line read as a config file and
     * {@code --key=value} overrides, the configuration loaded, and the Spark session — one that
     * already exists (a notebook's, Databricks') is used and left running; its Hadoop
     * configuration, with this run's spark.hadoop.* keys, reaches the config file.
     */
    record Session(JobConfig config, SparkSession spark, boolean own) {
        static Session of(Args args) {
            if (args.positional.size() > 1) {
                throw new Args.UsageException("one config file only; found '" + Redaction.text(args.positional.get(0)) + "' and '"
                        + Redaction.text(args.positional.get(1)) + "'");
            }
            String config = args.positional.isEmpty() ? null : args.positional.get(0);
            Map<String, String> overrides = new LinkedHashMap<>(args.values);
            boolean ownInputs = overrides.containsKey("samples") || overrides.keySet().stream().anyMatch(k -> k.startsWith("assay."));
            if (config == null && Files.exists(java.nio.file.Path.of(DEFAULT_CONFIG)) && !ownInputs) config = DEFAULT_CONFIG;
            Option<SparkSession> existing = existing();
            Configuration hadoop = existing.isDefined()
                    ? Sessions.withHadoopKeys(new Configuration(existing.get().sparkContext().hadoopConfiguration()), overrides)
                    : ConfigFile.hadoopFor(overrides);
            JobConfig cfg = JobConfig.load(config, overrides, hadoop);
            boolean own = existing.isEmpty();
            return new Session(cfg, own ? Sessions.start(cfg) : Sessions.adopt(existing.get(), cfg), own);
        }

        /** Stops the session if this command started it (never on Databricks). */
        void close() {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }

    /** The session this JVM already has (a notebook's, Databricks'), if any. */
    static Option<SparkSession> existing() {
        Option<SparkSession> active = SparkSession.getActiveSession();
        return active.isDefined() ? active : SparkSession.getDefaultSession();
    }
}
