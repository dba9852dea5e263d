package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
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

    private RunCommand() {}

    static int run(String[] argv, PrintStream out) {
        Path config = null;
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
                else if (i + 1 < argv.length) overrides.put(kv, argv[++i]);
                else throw new Args.UsageException("--" + kv + " needs a value");
            } else if (config == null) {
                config = Path.of(a);
            } else {
                throw new Args.UsageException("one config file only; found '" + config + "' and '" + a + "'");
            }
        }
        boolean ownInputs = overrides.containsKey("samples") || overrides.keySet().stream().anyMatch(k -> k.startsWith("assay."));
        if (config == null && Files.exists(Path.of(DEFAULT_CONFIG)) && !ownInputs) {
            config = Path.of(DEFAULT_CONFIG);
        }
        JobConfig cfg = JobConfig.load(config, overrides);
        // a session that already exists (a notebook's, Databricks') is used and left running
        boolean own = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session(cfg);
        try {
            VarPartJob.Outcome o = VarPartJob.run(spark, cfg, out);
            out.printf("varpart: %d features in %.1f s%s; status counts %s%n", o.features(), o.seconds(),
                    o.resumed() > 0 ? " (" + o.resumed() + " of them fitted by the interrupted run)" : "", o.statusCounts());
            out.println("varpart: results in " + Redaction.text(o.output())
                    + " (fractions, fits, fixed_effects, term_tests, component_tests, summary, mean_variance, run.json; open report.html in a browser)");
            return 0;
        } finally {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }

    /** A session on the cluster's master, or on the config's when nothing else sets one. */
    static SparkSession session(JobConfig cfg) {
        SparkConf conf = new SparkConf();
        conf.setAppName("varpart");
        if (!conf.contains("spark.master") && System.getenv("MASTER") == null) conf.setMaster(cfg.master());
        conf.setIfMissing("spark.ui.showConsoleProgress", "true");
        cfg.sparkSettings().forEach(conf::set);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
