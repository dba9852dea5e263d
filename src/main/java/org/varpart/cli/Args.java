package org.varpart.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of every command: {@code --name value}, {@code --name=value} and flags;
 * {@code -h} is {@code --help}. An option that needs a value and is followed by nothing, or by
 * another option, is an error naming it; unknown options are an error that lists the known ones.
 */
final class Args {
    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    /**
     * @param withValue options that take a value
     * @param flags options without a value
     */
    static Args parse(String[] argv, Set<String> withValue, Set<String> flags) {
        return parse(argv, withValue, flags, false);
    }

    /**
     * {@code varpart run}'s command line: any {@code --key} takes a value (its keys are the
     * config's), and the given flags may stand alone ({@code --resume}) or take one
     * ({@code --resume=false}).
     */
    static Args parseKeys(String[] argv, Set<String> flags) {
        return parse(argv, null, flags, true);
    }

    /** {@code withValue} null: any option not a flag takes a value. */
    private static Args parse(String[] argv, Set<String> withValue, Set<String> flags, boolean flagsTakeValues) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (s.equals("-h")) s = "--help";
            if (s.startsWith("--")) {
                String name = s.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String shown = org.varpart.job.Redaction.escapeControls(name);
                if (name.isEmpty()) throw new UsageException("'--' alone is not an option; give --key=value");
                if (flags.contains(name) || name.equals("help")) {
                    if (value != null && !flagsTakeValues) throw new UsageException("--" + shown + " takes no value");
                    a.values.put(name, value == null ? "true" : value);
                } else if (withValue == null || withValue.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                            throw new UsageException("--" + shown + " needs a value (--" + shown + "=VALUE)");
                        }
                        value = argv[++i];
                    }
                    a.values.put(name, value);
                } else {
                    List<String> known = new ArrayList<>();
                    withValue.forEach(k -> known.add("--" + k));
                    flags.forEach(k -> known.add("--" + k));
                    java.util.Collections.sort(known);
                    throw new UsageException("unknown option --" + name + "; known options: " + String.join(" ", known));
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        return values.get(name);
    }

    String require(String name, String what) {
        String v = values.get(name);
        if (v == null || v.isBlank()) throw new UsageException("--" + name + " is required: " + what);
        return v;
    }
}
