package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The heat map from the plain collinearity table: layout, written values, colours and warnings. */
class CollinearityHeatMapTest {

    /** The nearly nested study's rows of the R fixture (src/test/resources/collinearity). */
    static List<CollinearityHeatMap.Cell> nested() throws IOException {
        List<CollinearityHeatMap.Cell> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/collinearity/expected.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("nested")) out.add(new CollinearityHeatMap.Cell(f[1], f[2], Double.valueOf(f[3])));
        }
        return out;
    }

    /** Cell text by (row, column), read back from the HTML. */
    static String cell(String html, String row, String col) {
        Matcher m = Pattern.compile("title=\"" + Pattern.quote(row + " and " + col) + ": [^\"]*\">([^<]*)</td>").matcher(html);
        assertTrue(m.find(), "no cell " + row + ", " + col);
        return m.group(1);
    }

    static String background(String html, String row, String col) {
        Matcher m = Pattern.compile("background:(#[0-9a-f]{6});[^>]*title=\"" + Pattern.quote(row + " and " + col) + ":").matcher(html);
        assertTrue(m.find(), "no cell " + row + ", " + col);
        return m.group(1);
    }

    @Test
    void everyPairWrittenInBothTrianglesWithTheDiagonalAtOne() throws IOException {
        String html = CollinearityHeatMap.html(nested());
        List<String> vars = List.of("age", "sex", "treatment", "rin", "dose", "patient", "lab", "batch", "plate");
        assertEquals(vars, CollinearityHeatMap.variables(nested()));
        assertEquals(vars.size() * vars.size(), html.split("<td ").length - 1, "a full square of cells");
        for (String v : vars) assertEquals("1", cell(html, v, v));
        assertEquals("0.97", cell(html, "lab", "batch"));
        assertEquals("0.97", cell(html, "batch", "lab"));
        assertEquals("0.99", cell(html, "rin", "dose"), "0.99989 is written rounded down, not as 1");
        assertEquals("1", cell(html, "patient", "age"));
        assertEquals("0.44", cell(html, "patient", "lab"));
    }

    /** Colours as R's plotCorrMatrix bins them (R: colorRampPalette(c("white","red"))(100)[.bincode(v, seq(0,1,l=101), TRUE, TRUE)]). */
    @Test
    void coloursAsPlotCorrMatrix() throws IOException {
        assertEquals("#ffffff", CollinearityHeatMap.colour(0.0));
        assertEquals("#ff8d8d", CollinearityHeatMap.colour(0.44940582775835242));
        assertEquals("#ff0505", CollinearityHeatMap.colour(0.97156122923444366));
        assertEquals("#ff0000", CollinearityHeatMap.colour(0.99989096664202726));
        assertEquals("#ff0000", CollinearityHeatMap.colour(1.0));
        assertEquals("#cccccc", CollinearityHeatMap.colour(null));
        String html = CollinearityHeatMap.html(nested());
        assertEquals("#ff0505", background(html, "batch", "lab"));
    }

    @Test
    void pairsAboveTheThresholdAreOutlinedAndExplained() throws IOException {
        String html = CollinearityHeatMap.html(nested());
        List<String> w = CollinearityHeatMap.warnings(nested());
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(2).startsWith("The model cannot separate rin and dose (canonical correlation 0.99989)"), w.get(2));
        assertTrue(w.get(0).startsWith("The model cannot separate age and patient (canonical correlation 1)"), w.get(0));
        for (String s : w) assertTrue(html.contains(Html.esc(s)));
        // three pairs, each outlined in both triangles
        assertEquals(6, html.split("outline:3px").length - 1);
    }

    @Test
    void undefinedPairsAreGreyWithADash() {
        String html = CollinearityHeatMap.html(List.of(new CollinearityHeatMap.Cell("a", "b", null),
                new CollinearityHeatMap.Cell("a", "c", 0.2), new CollinearityHeatMap.Cell("b", "c", Double.NaN)));
        assertEquals("–", cell(html, "a", "b"));
        assertEquals("#cccccc", background(html, "b", "a"));
        assertEquals("–", cell(html, "c", "b"));
        assertEquals("0.20", cell(html, "c", "a"));
        assertTrue(html.contains("No pair above 0.999"));
    }
}
