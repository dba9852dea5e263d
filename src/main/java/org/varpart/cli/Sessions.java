package org.varpart.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.varpart.job.JobConfig;
import org.varpart.job.Redaction;

/**
 * The Spark session a run uses: one varpart starts (its {@code spark.*} keys set before it starts)
 * or one that exists already (a notebook's, a Databricks cluster's), to which the run's keys are
 * applied where a running session allows: {@code spark.hadoop.X} becomes {@code X} in the
 * session's Hadoop configuration (which varpart's and Spark's reads and writes use), a runtime SQL
 * setting is set on the session, and any other key is named in a warning, since it cannot change
 * a running application.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    static final String HADOOP = "spark.hadoop.";

    private Sessions() {}

    /**
     * Starts a session on the cluster's master (spark-submit's, or the environment's), else on the
     * config's. Only a session varpart starts itself on {@code local} gets the console progress bar
     * and Spark's own messages quietened to warnings; elsewhere the cluster's logging settings rule.
     */
    static SparkSession start(JobConfig cfg) {
        return start("varpart", cfg.master(), cfg.sparkSettings());
    }

    /** {@link #start(JobConfig)} for any command: its application name, master and {@code spark.*} settings. */
    static SparkSession start(String appName, String master, Map<String, String> sparkSettings) {
        SparkConf conf = new SparkConf();
        conf.setAppName(appName);
        if (!conf.contains("spark.master") && System.getenv("MASTER") == null) conf.setMaster(master);
        sparkSettings.forEach(conf::set);
        boolean local = conf.get("spark.master", "").startsWith("local");
        if (local) conf.setIfMissing("spark.ui.showConsoleProgress", "true");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        if (local) {
            spark.sparkContext().setLogLevel("WARN");
            keepVarpartAtInfo();
        }
        return spark;
    }

    /**
     * Spark's {@code setLogLevel} sets the root logger's level; varpart's own progress stays at
     * INFO unless a logging configuration names the {@code org.varpart} logger.
     */
    private static void keepVarpartAtInfo() {
        try {
            org.apache.logging.log4j.core.LoggerContext ctx = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
            if (!ctx.getConfiguration().getLoggers().containsKey("org.varpart")) {
                org.apache.logging.log4j.core.config.Configurator.setLevel("org.varpart", org.apache.logging.log4j.Level.INFO);
            }
        } catch (LinkageError | ClassCastException e) {
            LOG.debug("logging is not log4j2 here; its levels are left as they are", e);
        }
    }

    /** Applies the run's {@code spark.*} keys to a session that exists; returns it. */
    static SparkSession adopt(SparkSession spark, JobConfig cfg) {
        return adopt(spark, cfg.sparkSettings());
    }

    /** {@link #adopt(SparkSession, JobConfig)} for any command's {@code spark.*} settings. */
    static SparkSession adopt(SparkSession spark, Map<String, String> sparkSettings) {
        withHadoopKeys(spark.sparkContext().hadoopConfiguration(), sparkSettings);
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : sparkSettings.entrySet()) {
            String k = e.getKey(), v = e.getValue();
            if (k.startsWith(HADOOP)) continue;
            if (spark.conf().isModifiable(k)) {
                spark.conf().set(k, v);
            } else if (!v.equals(spark.conf().getOption(k).getOrElse(() -> null))) {
                ignored.add(k);
            }
        }
        long hadoopKeys = sparkSettings.keySet().stream().filter(k -> k.startsWith(HADOOP)).count();
        if (hadoopKeys > 0) LOG.info("varpart: {} spark.hadoop.* setting(s) applied to the running session's Hadoop configuration", hadoopKeys);
        if (!ignored.isEmpty()) {
            LOG.warn("varpart: warning: the Spark session was running already, so these settings cannot apply to it and are ignored: {}"
                    + " (set them on the cluster or when the session is created)", Redaction.text(String.join(", ", ignored)));
        }
        return spark;
    }

    /** Sets every {@code spark.hadoop.X} key of {@code settings} as {@code X} on {@code hadoop}; returns it. */
    static Configuration withHadoopKeys(Configuration hadoop, Map<String, String> settings) {
        settings.forEach((k, v) -> {
            if (k.startsWith(HADOOP)) hadoop.set(k.substring(HADOOP.length()), v.trim());
        });
        return hadoop;
    }
}
