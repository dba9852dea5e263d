package org.varpart.job;

import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything varpart writes or prints, by key and by value, as Spark's
 * {@code spark.redaction.regex} does: values of keys that look like credentials become
 * {@code ***}; inside any value or message, so do the values of credential-like assignments
 * ({@code -Dfs.s3a.secret.key=…}, {@code -Dhttp.proxyPassword=…}, a JDBC URL's
 * {@code password=…}, any {@code …key=…} or {@code …token=…}) and the user-information part of a
 * URI ({@code s3a://KEY:SECRET@bucket/...}). Text shown on a terminal also has its control
 * characters escaped, so that an input cannot send escape sequences to it.
 */
public final class Redaction {
    /** Keys whose values are never written: anything about secrets, passwords, tokens, credentials, and the object stores' keys. */
    static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|passwd|token|credential|signature|private).*"
            + "|.*fs\\.(s3a|s3|s3n|gs|azure|abfs|abfss|wasb|oss|cos|cosn|obs)\\..*key.*|.*\\.(access|account|session|sas)\\.key.*"
            // Azure's SAS tokens are the values of fs.azure.sas.<container>.<account>...
            + "|.*fs\\.azure\\.sas\\..*");
    /**
     * User information of a URI. Azure's wasb/abfs URIs put the container there
     * ({@code abfss://container@account.dfs.core.windows.net/}), not a credential, so they keep it.
     */
    private static final Pattern URI_USER_INFO = Pattern.compile("(?<![A-Za-z0-9+.-])((?![Ww][Aa][Ss][Bb][Ss]?://|[Aa][Bb][Ff][Ss][Ss]?://)[A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");
    /**
     * An assignment whose name looks like a credential, inside a value or a message: the name
     * (kept) and its value (hidden), which ends at a blank, a quote or a separator of URLs and JDBC
     * strings ({@code & ; ,}).
     */
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)([A-Za-z0-9_.\\-]*(?:secret|password|passwd|pwd|token|credential|signature|private|key|sas|sig)[A-Za-z0-9_.\\-]*=)"
            + "(\"[^\"]*\"|'[^']*'|[^\\s&;,\"']+)");
    /** Control characters other than tab and line feed (ANSI escape sequences start with ESC). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]");
    static final String HIDDEN = "***";

    private Redaction() {}

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** Every setting as it may be shown (for run.json and messages), in the given order, each by {@link #value}. */
    public static java.util.Map<String, String> settings(java.util.Map<String, String> values) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, value(k, v)));
        return out;
    }

    /** The value as it may be shown: hidden for a credential-like key, else with its credential-like parts hidden. */
    public static String value(String key, String value) {
        return isSecretKey(key) ? HIDDEN : text(value);
    }

    /**
     * Any text (a message, a path, a setting) as it may be shown: credential-like assignments and
     * the user information of URIs hidden, control characters escaped (ESC becomes a backslash, u and 001b).
     */
    public static String text(String s) {
        if (s == null) return null;
        String t = URI_USER_INFO.matcher(s).replaceAll("$1" + HIDDEN + "@");
        t = SECRET_ASSIGNMENT.matcher(t).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + HIDDEN));
        return escapeControls(t);
    }

    /** Control characters (other than tab and line feed) written as a backslash, u and four hex digits, so that a terminal shows them instead of obeying them. */
    public static String escapeControls(String s) {
        if (s == null) return null;
        return CONTROL.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.format(java.util.Locale.ROOT, "\\u%04x", (int) m.group().charAt(0))));
    }
}
