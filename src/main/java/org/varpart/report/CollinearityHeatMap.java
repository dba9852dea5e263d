package org.varpart.report;

import static org.varpart.report.Html.esc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The collinearity heat map of one assay as an HTML table, from the rows of the
 * {@code collinearity} table: one row and one column per formula variable, each cell coloured
 * on the white-to-red scale of variancePartition's {@code plotCorrMatrix} (0 white, 1 red, a
 * missing value grey) with its value written in it, the diagonal 1. Pairs above the warning
 * threshold get a heavy outline and are listed under the table with what they mean. Plain HTML
 * and inline styles: no script, no image, readable without colour.
 */
public final class CollinearityHeatMap {
    /** Above this the model cannot separate the pair (variancePartition's threshold). */
    public static final double WARN_ABOVE = 0.999;

    private CollinearityHeatMap() {}

    /**
     * One row of the {@code collinearity} table.
     *
     * @param value √(mean ρ²) of the pair, or null when undefined
     */
    public record Cell(String variable1, String variable2, Double value) {}

    /** The table and its notes, for the variables in order of first appearance in the rows. */
    public static String html(List<Cell> cells) {
        List<String> vars = variables(cells);
        Map<String, Double> value = new HashMap<>();
        for (Cell c : cells) {
            value.put(c.variable1() + "\u0000" + c.variable2(), c.value());
            value.put(c.variable2() + "\u0000" + c.variable1(), c.value());
        }
        StringBuilder sb = new StringBuilder("<table class=\"heatmap\" style=\"border-collapse:collapse\">\n<tr><th></th>");
        for (String v : vars) sb.append("<th scope=\"col\">").append(esc(v)).append("</th>");
        sb.append("</tr>\n");
        for (String r : vars) {
            sb.append("<tr><th scope=\"row\">").append(esc(r)).append("</th>");
            for (String c : vars) {
                Double v = r.equals(c) ? Double.valueOf(1.0) : value.get(r + "\u0000" + c);
                sb.append(cell(v, !r.equals(c) && v != null && v > WARN_ABOVE, r, c));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        List<String> warnings = warnings(cells);
        if (warnings.isEmpty()) {
            sb.append("<p class=\"muted\">No pair above ").append(WARN_ABOVE).append(": the model can tell every pair of variables apart.</p>\n");
        } else {
            sb.append("<ul class=\"warn\">\n");
            for (String w : warnings) sb.append("<li>").append(esc(w)).append("</li>\n");
            sb.append("</ul>\n");
        }
        return sb.toString();
    }

    /** The variables in order of first appearance. */
    static List<String> variables(List<Cell> cells) {
        Set<String> vars = new LinkedHashSet<>();
        for (Cell c : cells) {
            vars.add(c.variable1());
            vars.add(c.variable2());
        }
        return new ArrayList<>(vars);
    }

    /** One sentence per pair above the threshold, its value to five decimals rounded down. */
    static List<String> warnings(List<Cell> cells) {
        List<String> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.value() != null && c.value() > WARN_ABOVE) {
                String v = c.value() >= 1 - 1e-12 ? "1" : String.format(Locale.ROOT, "%.5f", Math.floor(c.value() * 1e5) / 1e5);
                out.add(String.format(Locale.ROOT, "The model cannot separate %s and %s (canonical correlation %s): "
                        + "the split of variance between them is arbitrary.", c.variable1(), c.variable2(), v));
            }
        }
        return out;
    }

    private static String cell(Double v, boolean flagged, String row, String col) {
        String bg = colour(v);
        String ink = v != null && v > 0.6 ? "#ffffff" : "#222222";
        String title = v == null ? "undefined" : String.format(Locale.ROOT, "%.6f", v);
        return "<td style=\"background:" + bg + ";color:" + ink + ";text-align:center;padding:4px 8px;"
                + (flagged ? "outline:3px solid #000;outline-offset:-3px;font-weight:bold;" : "")
                + "\" title=\"" + esc(row + " and " + col + ": " + title) + "\">" + label(v) + "</td>";
    }

    /**
     * The value as written in a cell: two decimals, rounded down so that only an exact 1 shows
     * as 1 (0.9999 shows 0.99), and a dash when undefined.
     */
    static String label(Double v) {
        if (v == null || v.isNaN()) return "–";
        if (v >= 1 - 1e-12) return "1";
        return String.format(Locale.ROOT, "%.2f", Math.floor(v * 100) / 100);
    }

    /**
     * plotCorrMatrix's colour: 100 steps from white to red over [0, 1] (R's
     * {@code colorRampPalette(c("white", "red"))(100)}, a value in (k/100, (k+1)/100] taking
     * step k as {@code image()} bins it, 0 in the first); grey80 for NA.
     */
    static String colour(Double v) {
        if (v == null || v.isNaN()) return "#cccccc";
        int step = (int) Math.min(99, Math.max(0, Math.ceil(v * 100) - 1));
        int gb = (int) Math.floor(255 * (99 - step) / 99.0 + 1e-9); // rgb() truncates when maxColorValue = 255
        return String.format(Locale.ROOT, "#ff%02x%02x", gb, gb);
    }
}
