package org.varpart.report;

import java.util.Locale;

/** Escaping and number formats for the HTML report. */
final class Html {
    private Html() {}

    /** Text escaped for HTML element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A rate as a percentage without needless digits: 0.05 → "5%", 0.001 → "0.1%". */
    static String percent(double rate) {
        String s = String.format(Locale.ROOT, "%.4f", 100 * rate).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** A fraction in [0, 1] as a percentage with one decimal. */
    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** A number with two decimals, or a dash when missing. */
    static String num(Double x) {
        return x == null || x.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f", x);
    }

    /** A count with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
