package org.varpart.job;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.varpart.InputException;

/**
 * The validated configuration of one run: a human-readable {@code key = value} file (see
 * {@code conf/varpart.conf.template}) whose every key can be overridden on the command line as
 * {@code --key=value}. Immutable; {@link #recorded()} gives the values as run, with secrets
 * redacted, for {@code run.json}.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keys, their defaults (null: required) and their documentation. */
    static final ConfigKeys KEYS = new ConfigKeys();

    static {
        key("samples", null, "the sample sheet: CSV or TSV with a sample-ID column and the covariates the formula uses");
        key("sample_id_column", "sample", "the sample sheet's column of sample IDs");
        key("formula", null, "the model's right-hand side in lme4 syntax, e.g. ~ age + sex + (1 | patient) + (1 | batch)");
        key("output", null, "the output directory (refused if it exists, unless overwrite = true)");
        key("method", "ML", "ML (variancePartition's default for fractions) or REML");
        key("partitions", "0", "number of Spark partitions of features; 0 chooses 4 per core of the cluster");
        key("overwrite", "false", "replace an existing output directory, if it is an earlier varpart output or empty (never an input)");
        key("resume", "false", "continue an interrupted run with the same settings and inputs from the features it had finished");
        key("drop_unmatched_samples", "false", "drop assay samples missing from the sample sheet (with a warning) instead of failing");
        key("master", "local[*]", "Spark master, used only when neither spark-submit nor the environment sets one");
        key("feature_id_column", "", "Parquet wide assays: the feature-ID column (default: the first column)");
        key("long.feature_column", "feature", "Parquet long assays: the feature-ID column");
        key("long.sample_column", "sample", "Parquet long assays: the sample-ID column");
        key("long.value_column", "value", "Parquet long assays: the value column");
        key("progress_seconds", "10", "seconds between progress lines on the driver (0: none)");
        key("chunk_features", "1000", "features per chunk of results committed while the run goes: what a failed task or a killed run refits at most, per running task");
        key("tests", "true", "significance per feature: Satterthwaite t and F tests of fixed effects, likelihood-ratio tests of variance components");
        key("fdr", "0.05", "the false discovery rate at which the summary counts significant features");
        IntervalSettings.declare(KEYS.table());
        // counts assays (see CountsConfig)
        key("voom_span", "0.5", "counts assays: the lowess span of voom's mean-variance trend");
        key("moderated", "true", "counts assays: empirical-Bayes moderated t statistics (dream + eBayes) beside the plain ones");
    }

    private static void key(String name, String def, String doc) {
        KEYS.add(name, def, doc);
    }

    /** Per-assay key prefixes: {@code assay.<name> = path}, {@code format.<name> = tsv|csv|parquet_wide|parquet_long}. */
    static final String ASSAY = "assay.", FORMAT = "format.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final Map<String, String> values;
    private final Map<String, String> assays;

    private JobConfig(Map<String, String> values, Map<String, String> assays) {
        this.values = Collections.unmodifiableMap(values);
        this.assays = Collections.unmodifiableMap(assays);
    }

    /** Reads a config file (if not null) and applies {@code --key=value} overrides, then validates. */
    public static JobConfig load(Path file, Map<String, String> overrides) {
        return load(file == null ? null : file.toString(), overrides, ConfigFile.hadoopFor(overrides));
    }

    /**
     * Reads a config file at any location Hadoop's FileSystem reaches (null: none) with the given
     * Hadoop configuration, and applies {@code --key=value} overrides, then validates.
     */
    public static JobConfig load(String location, Map<String, String> overrides, org.apache.hadoop.conf.Configuration hadoop) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (location != null) raw.putAll(ConfigFile.read(location, hadoop));
        String file = location == null ? null : "the config file " + Redaction.text(location);
        Map<String, String> where = new HashMap<>();
        raw.keySet().forEach(k -> where.put(k, file));
        overrides.keySet().forEach(k -> where.put(k, "the command line (--" + Redaction.escapeControls(k) + ")"));
        raw.putAll(overrides);
        return of(raw, k -> where.getOrDefault(k, file == null ? "the command line" : file + " or the command line"));
    }

    /** Validates raw settings; {@code source} names where they came from in messages. */
    public static JobConfig of(Map<String, String> raw, String source) {
        return of(raw, k -> source);
    }

    /** Validates raw settings; {@code where} names, for a key, where its value came from. */
    static JobConfig of(Map<String, String> raw, java.util.function.Function<String, String> where) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> assays = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String k = e.getKey(), v = e.getValue().trim();
            if (k.startsWith(ASSAY)) {
                String name = k.substring(ASSAY.length());
                if (!NAME.matcher(name).matches()) {
                    throw new InputException(where.apply(k) + ": the assay name '" + name + "' must start with a letter and use letters, digits and _ only.");
                }
                assays.put(name, v);
            } else if (k.startsWith(FORMAT) || KEYS.contains(k) || k.startsWith("spark.") || CountsConfig.isKey(k)) {
                values.put(k, v);
            } else {
                throw new InputException(where.apply(k) + ": unknown key '" + k + "'. Known keys: " + String.join(", ", KEYS.names())
                        + ", assay.<name>, format.<name>, " + CountsConfig.PREFIXES + ", spark.<any Spark setting>.");
            }
        }
        KEYS.complete(values, where);
        Map<String, String> counts = CountsConfig.validate(values, assays, where.apply("counts."));
        if (assays.isEmpty() && counts.isEmpty()) throw new InputException(where.apply("assay.") + ": no assay; add a line such as assay.rna = counts.tsv.gz.");
        String method = values.get("method").toUpperCase(Locale.ROOT);
        if (!method.equals("ML") && !method.equals("REML")) {
            throw new InputException(where.apply("method") + ": method must be ML or REML, not '" + values.get("method") + "'.");
        }
        values.put("method", method);
        for (String b : List.of("overwrite", "resume", "drop_unmatched_samples", "tests")) bool(values, b, where.apply(b));
        try {
            double fdr = Double.parseDouble(values.get("fdr"));
            if (!(fdr > 0 && fdr < 1)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new InputException(where.apply("fdr") + ": fdr must be a number between 0 and 1, not '" + values.get("fdr") + "'.");
        }
        for (String i : List.of("partitions", "progress_seconds", "chunk_features")) {
            int least = i.equals("chunk_features") ? 1 : 0;
            try {
                if (Integer.parseInt(values.get(i)) < least) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new InputException(where.apply(i) + ": " + i + " must be a whole number of at least " + least + ", not '" + values.get(i) + "'.");
            }
        }
        for (String a : assays.keySet()) format(values, assays, a, where.apply(FORMAT + a));
        for (String a : counts.keySet()) format(values, counts, a, where.apply(FORMAT + a));
        IntervalSettings.validate(values, where);
        return new JobConfig(values, assays);
    }

    private static void bool(Map<String, String> v, String k, String source) {
        String s = v.get(k).toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) throw new InputException(source + ": " + k + " must be true or false, not '" + v.get(k) + "'.");
        v.put(k, s);
    }

    static void format(Map<String, String> values, Map<String, String> assays, String a, String source) {
        String f = values.get(FORMAT + a);
        if (f == null) {
            String p = assays.get(a).toLowerCase(Locale.ROOT);
            f = p.endsWith(".parquet") || p.endsWith("/") || !p.contains(".") ? "parquet_wide"
                    : p.endsWith(".csv") || p.endsWith(".csv.gz") ? "csv" : "tsv";
        }
        if (!Set.of("tsv", "csv", "parquet_wide", "parquet_long").contains(f)) {
            throw new InputException(source + ": format." + a + " must be tsv, csv, parquet_wide or parquet_long, not '" + f + "'.");
        }
        values.put(FORMAT + a, f);
    }

    /** A setting by its key, as text (null when unknown); the typed accessors below are for use in code. */
    public String get(String key) {
        return values.get(key);
    }

    public String samples() {
        return values.get("samples");
    }

    public String sampleIdColumn() {
        return values.get("sample_id_column");
    }

    /** The right-hand side as written, {@code ~ ...}. */
    public String formula() {
        return values.get("formula");
    }

    public String output() {
        return values.get("output");
    }

    public String master() {
        return values.get("master");
    }

    public boolean overwrite() {
        return flag("overwrite");
    }

    public boolean resume() {
        return flag("resume");
    }

    public boolean dropUnmatchedSamples() {
        return flag("drop_unmatched_samples");
    }

    public boolean tests() {
        return flag("tests");
    }

    /** Spark partitions of features; 0 chooses four per core. */
    public int partitions() {
        return integer("partitions");
    }

    public int progressSeconds() {
        return integer("progress_seconds");
    }

    public int chunkFeatures() {
        return integer("chunk_features");
    }

    /** The false discovery rate of the summary's counts, in (0, 1). */
    public double fdr() {
        return Double.parseDouble(values.get("fdr"));
    }

    /** The column names of Parquet assays. */
    public org.varpart.io.AssayReader.ParquetColumns parquetColumns() {
        return new org.varpart.io.AssayReader.ParquetColumns(values.get("feature_id_column"), values.get("long.feature_column"),
                values.get("long.sample_column"), values.get("long.value_column"));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(values.get(key));
    }

    public int integer(String key) {
        return Integer.parseInt(values.get(key));
    }

    public boolean reml() {
        return values.get("method").equals("REML");
    }

    /** Assay names and paths, in the order given. */
    public Map<String, String> assays() {
        return assays;
    }

    /** Every setting, unredacted, in the order given (for the typed readers of this package). */
    Map<String, String> settings() {
        return values;
    }

    /** Log-scale assays with precision weights ({@code weights.<name> = path}), in the order given. */
    public Map<String, String> weights() {
        return CountsConfig.weights(values);
    }

    /** Counts assays ({@code counts.<name> = path}), in the order given. */
    public Map<String, String> counts() {
        return CountsConfig.counts(values);
    }

    public String format(String assay) {
        return values.get(FORMAT + assay);
    }

    /** Spark settings given as {@code spark.*} keys. */
    public Map<String, String> sparkSettings() {
        return ConfigFile.sparkSettings(values);
    }

    /**
     * Every setting as run, for {@code run.json} and messages: values of keys that look like
     * credentials replaced by "***", and the user information of URIs too (see {@link Redaction}).
     */
    public Map<String, String> recorded() {
        Map<String, String> out = new LinkedHashMap<>();
        assays.forEach((k, v) -> out.put(ASSAY + k, Redaction.value(ASSAY + k, v)));
        out.putAll(Redaction.settings(values));
        return out;
    }


    /** The documented keys, for the template and --help. */
    public static String documentation() {
        StringBuilder sb = new StringBuilder(KEYS.documentation(24));
        sb.append(ConfigKeys.line(24, "assay.<name>", "an assay matrix (one line per assay; at least one)"));
        sb.append(ConfigKeys.line(24, "format.<name>", "tsv, csv, parquet_wide or parquet_long (default: from the file name)"));
        sb.append(CountsConfig.documentation());
        sb.append(ConfigKeys.line(24, "spark.<setting>", "passed to Spark"));
        return sb.toString();
    }

    /** Keys sorted, for messages. */
    static List<String> known() {
        return new ArrayList<>(new TreeSet<>(KEYS.names()));
    }
}
