package org.varpart.job;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;

/**
 * Reads a run's {@code key = value} config file from wherever Hadoop's FileSystem reaches: a local
 * path, {@code hdfs://}, {@code s3a://}, {@code dbfs:/}, {@code abfss://}, a Databricks volume
 * ({@code /Volumes/...}, a local path on the driver). The location is kept as the user wrote it
 * (a URI's {@code //} included) and shown redacted in messages.
 */
public final class ConfigFile {
    private ConfigFile() {}

    /**
     * A Hadoop configuration for reaching the config file before any Spark session exists: Hadoop's
     * defaults (the cluster's *-site.xml on the classpath) with every {@code spark.hadoop.X}
     * setting of the JVM (as spark-submit passes them) and of the command line applied as {@code X},
     * as Spark itself does for its sessions.
     */
    public static Configuration hadoopFor(Map<String, String> overrides) {
        Configuration conf = new Configuration();
        System.getProperties().stringPropertyNames().forEach(k -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), System.getProperty(k));
        });
        overrides.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v.trim());
        });
        return conf;
    }

    /** The Spark settings among a command's settings: its {@code spark.*} keys, in order. */
    public static Map<String, String> sparkSettings(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("spark.")) out.put(k, v);
        });
        return out;
    }

    /**
     * Parses the file at {@code location}; '#' starts a comment; values may not span lines. A
     * path without a scheme that names a file on the driver's local disk is that local file,
     * whatever the default file system (else it is looked for there): on a YARN gateway, or in
     * cluster mode where a config file shipped with {@code --files} lies in the driver's
     * container directory, {@code fs.defaultFS} is HDFS, and a bare name or absolute path would
     * otherwise be looked for on HDFS.
     */
    public static Map<String, String> read(String location, Configuration hadoop) {
        String shown = Redaction.text(location);
        Map<String, String> out = new LinkedHashMap<>();
        Path p;
        try {
            p = new Path(location);
            if (p.toUri().getScheme() == null) {
                java.nio.file.Path local = java.nio.file.Path.of(location).toAbsolutePath();
                if (java.nio.file.Files.isRegularFile(local)) p = new Path(local.toUri());
            }
        } catch (IllegalArgumentException e) {
            throw new InputException("The config file location '" + shown + "' is not a valid path or URI: " + Redaction.text(e.getMessage()));
        }
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
                String line;
                int no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    String s = line.strip();
                    if (s.isEmpty() || s.startsWith("#")) continue;
                    int eq = s.indexOf('=');
                    if (eq <= 0) throw new InputException(shown + " line " + no + ": expected 'key = value', found '" + Redaction.text(s) + "'.");
                    String k = s.substring(0, eq).strip();
                    if (out.containsKey(k)) throw new InputException(shown + " line " + no + ": '" + Redaction.escapeControls(k) + "' is set twice.");
                    out.put(k, s.substring(eq + 1).strip());
                }
            }
        } catch (FileNotFoundException e) {
            throw new InputException("The config file " + shown + " does not exist.");
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException) throw (InputException) e;
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new InputException("Cannot read the config file " + shown + ": " + Redaction.text(String.valueOf(root)));
        }
        return out;
    }
}
