package org.varpart.job;

import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything varpart writes or prints: values of keys that look like
 * credentials become {@code ***}, and so does the user-information part of a URI
 * ({@code s3a://KEY:SECRET@bucket/...}).
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
    static final String HIDDEN = "***";

    private Redaction() {}

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** The value as it may be shown: hidden for a credential-like key, URIs without user information otherwise. */
    public static String value(String key, String value) {
        return isSecretKey(key) ? HIDDEN : text(value);
    }

    /** Any text (a message, a path) with the user information of its URIs hidden. */
    public static String text(String s) {
        return s == null ? null : URI_USER_INFO.matcher(s).replaceAll("$1" + HIDDEN + "@");
    }
}
