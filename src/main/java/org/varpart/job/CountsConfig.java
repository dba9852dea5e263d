package org.varpart.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.varpart.InputException;
import org.varpart.counts.Contrast;

/**
 * The settings of RNA-seq counts assays, kept apart from {@link JobConfig}'s general keys:
 * {@code counts.<name> = FILE} (raw counts), {@code filter.<name> = filterByExpr | none},
 * {@code normalization.<name> = TMM | none}, {@code contrast.<label> = a - b},
 * {@code weights.<name> = FILE} (precision weights of a log-scale {@code assay.<name>}, which then
 * takes the counts assays' weighted path from its weighted fits on), and the plain keys
 * {@code voom_span} and {@code moderated}. Validated with the rest of the configuration, so a bad
 * value stops the run before any Spark work.
 */
final class CountsConfig {
    static final String COUNTS = "counts.", FILTER = "filter.", NORMALIZATION = "normalization.", CONTRAST = "contrast.",
            WEIGHTS = "weights.";
    static final String PREFIXES = "counts.<name>, filter.<name>, normalization.<name>, contrast.<label>, weights.<name>";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private CountsConfig() {}

    static boolean isKey(String k) {
        return k.startsWith(COUNTS) || k.startsWith(FILTER) || k.startsWith(NORMALIZATION) || k.startsWith(CONTRAST) || k.startsWith(WEIGHTS);
    }

    /** Checks the counts keys of {@code values} (the settings, already trimmed) and returns the counts assays. */
    static Map<String, String> validate(Map<String, String> values, Map<String, String> assays, String source) {
        Map<String, String> counts = counts(values);
        for (String name : counts.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new InputException(source + ": the assay name '" + name + "' must start with a letter and use letters, digits and _ only.");
            }
            if (assays.containsKey(name)) {
                throw new InputException(source + ": '" + name + "' is both assay." + name + " and counts." + name + "; give each assay one name.");
            }
        }
        for (Map.Entry<String, String> e : new ArrayList<>(values.entrySet())) {
            String k = e.getKey();
            if (k.startsWith(FILTER) || k.startsWith(NORMALIZATION)) {
                String prefix = k.startsWith(FILTER) ? FILTER : NORMALIZATION, name = k.substring(prefix.length());
                if (!counts.containsKey(name)) {
                    throw new InputException(source + ": " + k + " names no counts assay; the counts assays are: "
                            + (counts.isEmpty() ? "none (declare one with counts.<name> = FILE)" : String.join(", ", counts.keySet())) + ".");
                }
                String v = e.getValue();
                if (prefix.equals(FILTER) && !v.equalsIgnoreCase("filterByExpr") && !v.equalsIgnoreCase("none")) {
                    throw new InputException(source + ": " + k + " must be filterByExpr or none, not '" + v + "'.");
                }
                if (prefix.equals(NORMALIZATION) && !v.equalsIgnoreCase("TMM") && !v.equalsIgnoreCase("none")) {
                    throw new InputException(source + ": " + k + " must be TMM or none, not '" + v + "'.");
                }
            } else if (k.startsWith(WEIGHTS)) {
                String name = k.substring(WEIGHTS.length());
                if (!assays.containsKey(name)) {
                    throw new InputException(source + ": " + k + " names no log-scale assay" + (counts.containsKey(name)
                            ? " (" + name + " is a counts assay, whose weights voom computes)" : "") + "; the log-scale assays are: "
                            + (assays.isEmpty() ? "none" : String.join(", ", assays.keySet())) + ".");
                }
                if (e.getValue().isBlank()) throw new InputException(source + ": " + k + " needs a file of precision weights.");
            } else if (k.startsWith(CONTRAST)) {
                String label = k.substring(CONTRAST.length());
                if (!NAME.matcher(label).matches()) {
                    throw new InputException(source + ": the contrast label '" + label + "' must start with a letter and use letters, digits and _ only.");
                }
                Contrast.parse(label, e.getValue());
            }
        }
        try {
            double span = Double.parseDouble(values.get("voom_span"));
            if (!(span > 0 && span <= 1)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new InputException(source + ": voom_span must be a number above 0 and at most 1, not '" + values.get("voom_span") + "'.");
        }
        String m = values.get("moderated").toLowerCase(Locale.ROOT);
        if (!m.equals("true") && !m.equals("false")) throw new InputException(source + ": moderated must be true or false, not '" + values.get("moderated") + "'.");
        values.put("moderated", m);
        return counts;
    }

    /** The counts assays, name to path, in the order given. */
    static Map<String, String> counts(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(COUNTS)) out.put(k.substring(COUNTS.length()), v);
        });
        return out;
    }

    /** Log-scale assays with precision weights: assay name to the weights file, in the order given. */
    static Map<String, String> weights(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(WEIGHTS)) out.put(k.substring(WEIGHTS.length()), v);
        });
        return out;
    }

    /**
     * What the committed weighted fits of counts and weighted assays depend on, for the run's
     * {@link Fingerprint} (nothing when the run has neither): their keys and settings in the order
     * given (which numbers their chunks), and each input file's size and time.
     */
    static Map<String, String> fingerprint(JobConfig cfg, org.apache.hadoop.conf.Configuration hadoop) {
        Map<String, String> f = new LinkedHashMap<>();
        if (cfg.counts().isEmpty() && cfg.weights().isEmpty()) return f;
        cfg.settings().forEach((k, v) -> {
            if (isKey(k)) f.put(k, v);
        });
        f.put("voom_span", cfg.get("voom_span"));
        cfg.counts().forEach((name, path) -> {
            f.put("format." + name, cfg.format(name));
            f.put("file of " + COUNTS + name, Fingerprint.describeFile(path, hadoop));
        });
        cfg.weights().forEach((name, path) -> {
            f.put("file of assay." + name + " (weighted)", Fingerprint.describeFile(cfg.assays().get(name), hadoop));
            f.put("file of " + WEIGHTS + name, Fingerprint.describeFile(path, hadoop));
        });
        return f;
    }

    /** Whether a counts assay is filtered with filterByExpr (the default). */
    static boolean filter(JobConfig cfg, String name) {
        String v = cfg.get(FILTER + name);
        return v == null || v.equalsIgnoreCase("filterByExpr");
    }

    /** Whether a counts assay is normalised with TMM (the default). */
    static boolean tmm(JobConfig cfg, String name) {
        String v = cfg.get(NORMALIZATION + name);
        return v == null || v.equalsIgnoreCase("TMM");
    }

    static double span(JobConfig cfg) {
        return Double.parseDouble(cfg.get("voom_span"));
    }

    static boolean moderated(JobConfig cfg) {
        return cfg.flag("moderated");
    }

    /** The contrasts, in the order given (checked against the model's coefficients by the caller). */
    static List<Contrast> contrasts(JobConfig cfg) {
        List<Contrast> out = new ArrayList<>();
        cfg.settings().forEach((k, v) -> {
            if (k.startsWith(CONTRAST)) out.add(Contrast.parse(k.substring(CONTRAST.length()), v));
        });
        return out;
    }

    /** The lines of {@code --help} and the template for these keys. */
    static String documentation() {
        StringBuilder sb = new StringBuilder();
        String[][] rows = {
            {"counts.<name>", "an assay of raw RNA-seq counts (non-negative integers): TMM, voom weights, weighted fits, dream's tests"},
            {"filter.<name>", "counts assays: filterByExpr (default) or none"},
            {"normalization.<name>", "counts assays: TMM (default) or none (library sizes only)"},
            {"contrast.<label>", "a linear combination of coefficients tested in counts assays, e.g. sexM - 0.5*age"},
            {"weights.<name>", "precision weights of the log-scale assay.<name> (same features and samples): weighted fits and dream's tests"}};
        for (String[] r : rows) sb.append(String.format(Locale.ROOT, "  %-24s %s%n", r[0], r[1]));
        return sb.toString();
    }
}
