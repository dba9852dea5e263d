package org.varpart.job;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.varpart.InputException;

/**
 * The table of a command's documented configuration keys ({@code run}'s in {@link JobConfig},
 * {@code gwas}'s in {@code GwasConfig}): each key's default (null when the key is required) and
 * its one-line documentation, in the order they are documented. It fills in defaults, refuses a
 * missing required key naming where it should have come from, and prints the keys for
 * {@code --help} and the configuration template.
 */
public final class ConfigKeys {
    private final Map<String, String[]> keys = new LinkedHashMap<>();

    /** Declares a key; {@code def} null makes it required, "" gives it no default worth printing. */
    public ConfigKeys add(String name, String def, String doc) {
        keys.put(name, new String[] {def, doc});
        return this;
    }

    public boolean contains(String key) {
        return keys.containsKey(key);
    }

    /** The keys, in the order declared. */
    public Set<String> names() {
        return keys.keySet();
    }

    /** The table itself, for a part of the configuration that declares its own keys into it. */
    Map<String, String[]> table() {
        return keys;
    }

    /**
     * Puts the default of every key that {@code values} lacks, then refuses a required key that
     * is still missing or blank.
     *
     * @param where names, for a key, where its value should have come from (for the message)
     */
    public void complete(Map<String, String> values, Function<String, String> where) {
        keys.forEach((k, d) -> values.putIfAbsent(k, d[0]));
        for (Map.Entry<String, String[]> e : keys.entrySet()) {
            String v = values.get(e.getKey());
            if (e.getValue()[0] == null && (v == null || v.isBlank())) {
                throw new InputException(where.apply(e.getKey()) + ": '" + e.getKey() + "' is required: " + e.getValue()[1] + ".");
            }
        }
    }

    /** One line per key: its name padded to {@code width}, its documentation, and "(required)" or its default. */
    public String documentation(int width) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String[]> e : keys.entrySet()) {
            String def = e.getValue()[0];
            sb.append(line(width, e.getKey(), e.getValue()[1] + (def == null ? " (required)" : def.isEmpty() ? "" : " (default: " + def + ")")));
        }
        return sb.toString();
    }

    /** One documentation line: a name padded to {@code width}, then its text. */
    public static String line(int width, String name, String text) {
        return String.format(Locale.ROOT, "  %-" + width + "s %s%n", name, text);
    }
}
