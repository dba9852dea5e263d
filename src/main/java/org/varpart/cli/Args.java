package org.varpart.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, {@code --name=value} and flags. Unknown options are
 * an error that lists the known ones.
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
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--")) {
                String name = s.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) throw new UsageException("--" + name + " takes no value");
                    a.values.put(name, "true");
                } else if (withValue.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length) throw new UsageException("--" + name + " needs a value");
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
