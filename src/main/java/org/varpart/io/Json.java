package org.varpart.io;

import java.util.Locale;

/**
 * A small streaming JSON writer for run records and fit results (no dependency, so the numeric
 * core and the single-fit command need nothing from Spark). Non-finite numbers are written as
 * {@code null}, since JSON has no NaN.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private final boolean pretty;
    private int depth;
    private boolean first = true;
    private boolean afterKey;

    public Json(boolean pretty) {
        this.pretty = pretty;
    }

    public Json beginObject() {
        value();
        sb.append('{');
        depth++;
        first = true;
        return this;
    }

    public Json endObject() {
        depth--;
        newline();
        sb.append('}');
        first = false;
        return this;
    }

    public Json beginArray() {
        value();
        sb.append('[');
        depth++;
        first = true;
        return this;
    }

    public Json endArray() {
        depth--;
        if (!first) newline();
        sb.append(']');
        first = false;
        return this;
    }

    public Json key(String k) {
        if (!first) sb.append(',');
        newline();
        string(k);
        sb.append(pretty ? ": " : ":");
        afterKey = true;
        first = false;
        return this;
    }

    public Json value(String s) {
        value();
        if (s == null) sb.append("null");
        else string(s);
        return this;
    }

    public Json value(double d) {
        value();
        if (!Double.isFinite(d)) sb.append("null");
        else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d);
        else sb.append(Double.toString(d)); // shortest text that reads back to the same double
        return this;
    }

    public Json value(long v) {
        value();
        sb.append(v);
        return this;
    }

    public Json value(boolean b) {
        value();
        sb.append(b);
        return this;
    }

    public Json field(String k, String v) {
        return key(k).value(v);
    }

    public Json field(String k, double v) {
        return key(k).value(v);
    }

    public Json field(String k, long v) {
        return key(k).value(v);
    }

    public Json field(String k, boolean v) {
        return key(k).value(v);
    }

    private void value() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth > 0) {
            if (!first) sb.append(',');
            newline();
        }
        first = false;
    }

    private void newline() {
        if (!pretty) return;
        sb.append('\n');
        sb.append("  ".repeat(Math.max(0, depth)));
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
