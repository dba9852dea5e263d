package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.varpart.job.ConfigFile;
import scala.Option;
import java.util.LinkedHashMap;
import java.util.Map;
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
            Locally (no spark-submit) Spark runs embedded, on the 'master' key (local[*]). On a
            cluster use submit/spark-submit.sh, which leaves the master to spark-submit.
            """;

    /** The job's progress, notes and warnings (INFO and WARN). */
    private static final org.slf4j.Logger JOB_LOG = org.slf4j.LoggerFactory.getLogger(VarPartJob.class);

    private RunCommand() {}

    static int run(String[] argv, PrintStream out) {
        String config = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.printf(HELP, JobConfig.documentation());
                return 0;
            }
            if (a.startsWith("--")) {
                String kv = a.substring(2);
                int eq = kv.indexOf('=');
                if (eq > 0) overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                else if (kv.equals("overwrite") || kv.equals("resume") || kv.equals("drop_unmatched_samples")) overrides.put(kv, "true");
                else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) overrides.put(kv, argv[++i]);
                else throw new Args.UsageException("--" + Redaction.escapeControls(kv) + " needs a value (--" + Redaction.escapeControls(kv) + "=VALUE)");
            } else if (config == null) {
                config = a;
            } else {
                throw new Args.UsageException("one config file only; found '" + Redaction.text(config) + "' and '" + Redaction.text(a) + "'");
            }
        }
        boolean ownInputs = overrides.containsKey("samples") || overrides.keySet().stream().anyMatch(k -> k.startsWith("assay."));
        if (config == null && Files.exists(java.nio.file.Path.of(DEFAULT_CONFIG)) && !ownInputs) {
            config = DEFAULT_CONFIG;
        }
        // a session that already exists (a notebook's, Databricks') is used and left running; its
        // Hadoop configuration, with this run's spark.hadoop.* keys, reaches the config file
        Option<SparkSession> existing = existing();
        Configuration hadoop = existing.isDefined() ? Sessions.withHadoopKeys(new Configuration(existing.get().sparkContext().hadoopConfiguration()), overrides)
                : ConfigFile.hadoopFor(overrides);
        JobConfig cfg = JobConfig.load(config, overrides, hadoop);
        boolean own = existing.isEmpty();
        SparkSession spark = own ? Sessions.start(cfg) : Sessions.adopt(existing.get(), cfg);
        try {
            // progress, notes and warnings go to the log; stdout gets the result only
            VarPartJob.Outcome o = VarPartJob.run(spark, cfg, LogLines.to(JOB_LOG));
            out.printf("varpart: %d features in %.1f s%s; status counts %s%n", o.features(), o.seconds(),
                    o.resumed() > 0 ? " (" + o.resumed() + " of them fitted by the interrupted run)" : "", o.statusCounts());
            out.println("varpart: results in " + Redaction.text(o.output())
                    + " (fractions, fits, fixed_effects, term_tests, component_tests, summary, run.json; open report.html in a browser)");
            return 0;
        } finally {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }

    /** The session this JVM already has (a notebook's, Databricks'), if any. */
    static Option<SparkSession> existing() {
        Option<SparkSession> active = SparkSession.getActiveSession();
        return active.isDefined() ? active : SparkSession.getDefaultSession();
    }
}
