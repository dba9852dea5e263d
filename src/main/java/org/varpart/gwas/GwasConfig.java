package org.varpart.gwas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.varpart.InputException;
import org.varpart.job.ConfigFile;
import org.varpart.job.ConfigKeys;
import org.varpart.job.Redaction;

/**
 * The validated settings of a {@code gwas} run: a {@code key = value} file ('#' starts a comment)
 * whose every key can be overridden as {@code --key=value}. Immutable.
 */
public final class GwasConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Keys, their defaults (null: required) and their documentation: the same mechanism as {@code run}'s. */
    static final ConfigKeys KEYS = new ConfigKeys();

    static {
        key("genotypes", null, "a PLINK 1 binary fileset: the prefix of PREFIX.bed, PREFIX.bim and PREFIX.fam");
        key("samples", null, "the sample sheet: CSV or TSV with a sample-ID column (matched to the .fam IID), the phenotypes and covariates");
        key("sample_id_column", "sample", "the sample sheet's column of sample IDs");
        key("phenotypes", null, "one or more comma-separated numeric columns of the sheet, each analysed in turn");
        key("formula", "~ 1", "the fixed covariates as a right-hand side, e.g. ~ age + sex (factors coded as in run)");
        key("grm", "", "empty: the GRM is computed from the genotypes; else a GRM in GEMMA's text format, in .fam order");
        key("maf", "0.01", "SNPs whose allele-1 frequency among the samples used is below maf or above 1 - maf are not tested");
        key("max_missing", "0.05", "SNPs with a larger share of missing genotypes are not tested (GEMMA's -miss)");
        key("fdr", "0.05", "the false discovery rate at which the summary counts Wald-significant SNPs");
        key("output", null, "the output directory (refused if it exists, unless overwrite = true)");
        key("overwrite", "false", "replace an existing output directory");
        key("partitions", "0", "Spark partitions of SNPs; 0 chooses 4 per core of the cluster");
        key("master", "local[*]", "Spark master, used only when neither spark-submit nor the environment sets one");
    }

    private static void key(String name, String def, String doc) {
        KEYS.add(name, def, doc);
    }

    private final Map<String, String> values;

    private GwasConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Reads a config file (a Hadoop path; may be null) and applies the overrides, then validates. */
    public static GwasConfig load(String file, Map<String, String> overrides, Configuration hadoop) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) raw.putAll(ConfigFile.read(file, hadoop));
        raw.putAll(overrides);
        return of(raw, file == null ? "the command line" : file);
    }

    public static GwasConfig of(Map<String, String> raw, String source) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!KEYS.contains(e.getKey()) && !e.getKey().startsWith("spark.")) {
                throw new InputException(source + ": unknown key '" + e.getKey() + "'. Known keys: " + String.join(", ", KEYS.names())
                        + ", spark.<any Spark setting>.");
            }
            v.put(e.getKey(), e.getValue().strip());
        }
        KEYS.complete(v, k -> source);
        fraction(v, "maf", source, 0, 0.5);
        fraction(v, "max_missing", source, 0, 1);
        fraction(v, "fdr", source, 0, 1);
        String ow = v.get("overwrite").toLowerCase(Locale.ROOT);
        if (!ow.equals("true") && !ow.equals("false")) throw new InputException(source + ": overwrite must be true or false, not '" + v.get("overwrite") + "'.");
        v.put("overwrite", ow);
        try {
            if (Integer.parseInt(v.get("partitions")) < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new InputException(source + ": partitions must be a whole number of at least 0, not '" + v.get("partitions") + "'.");
        }
        if (!v.get("formula").startsWith("~")) {
            throw new InputException(source + ": formula: give the right-hand side only, starting with '~' (the response is each phenotype), e.g. ~ age + sex; found '"
                    + v.get("formula") + "'.");
        }
        return new GwasConfig(v);
    }

    private static void fraction(Map<String, String> v, String k, String source, double lo, double hi) {
        try {
            double x = Double.parseDouble(v.get(k));
            if (!(x >= lo && x <= hi)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new InputException(source + ": " + k + " must be a number from " + lo + " to " + hi + ", not '" + v.get(k) + "'.");
        }
    }

    public String get(String k) {
        return values.get(k);
    }

    public double number(String k) {
        return Double.parseDouble(values.get(k));
    }

    public boolean flag(String k) {
        return Boolean.parseBoolean(values.get(k));
    }

    public List<String> phenotypes() {
        List<String> out = new ArrayList<>();
        for (String s : values.get("phenotypes").split(",")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    /** The paths of every input of the run (the PLINK fileset, the sample sheet, a GRM file), which the output may never replace. */
    public List<String> inputs() {
        String g = values.get("genotypes");
        List<String> in = new ArrayList<>(List.of(g + ".bed", g + ".bim", g + ".fam", values.get("samples")));
        if (!values.get("grm").isBlank()) in.add(values.get("grm"));
        return in;
    }

    public Map<String, String> sparkSettings() {
        return ConfigFile.sparkSettings(values);
    }

    /** Every setting as run, credentials redacted, for run.json. */
    public Map<String, String> recorded() {
        return Redaction.settings(values);
    }

    public static String documentation() {
        return KEYS.documentation(18) + ConfigKeys.line(18, "spark.<setting>", "passed to Spark");
    }
}
