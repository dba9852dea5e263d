package org.varpart.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.varpart.InputException;

/**
 * A table of named columns (a sample sheet, a data file), typed as R's {@code read.csv} types the
 * columns of CSV or TSV text ({@code io.TableReader} reads the text): a column whose
 * every present cell is a number is numeric, any other column is text (a factor when a model uses
 * it). The cells {@code NA}, {@code NaN} and the empty cell are missing, and nothing else is.
 * A text column most of whose present cells are numbers is remembered as such: a model that uses
 * it as a covariate is refused (see {@link #requireCovariate}), never fitted with a silent factor.
 */
public final class DataTable implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Cells that mean "missing". */
    public static final Set<String> MISSING = Set.of("", "NA", "NaN");

    private final String source;
    private final List<String> names;
    private final Map<String, Column> columns;
    private final int rows;
    /** The file's line of each row (null: row i is on line i + 2, after the header). */
    private final int[] lines;

    /**
     * One column: the cell text of every row (null when missing) and, for a numeric column, the
     * values (NaN when missing).
     *
     * @param stray for a text column most of whose present cells are numbers, the first cell that is not one; else null
     */
    public record Column(String name, String[] text, double[] numbers, Stray stray) implements java.io.Serializable {
        public Column(String name, String[] text, double[] numbers) {
            this(name, text, numbers, null);
        }

        public boolean isNumeric() {
            return numbers != null;
        }
    }

    /**
     * The first cell of a mostly numeric column that is not a number.
     *
     * @param row its row; {@code others} the number of such cells; {@code numbers} the number of cells that are numbers
     */
    public record Stray(int row, String value, int others, int numbers) implements java.io.Serializable {}

    public DataTable(String source, List<String> names, Map<String, Column> columns, int rows) {
        this(source, names, columns, rows, null);
    }

    private DataTable(String source, List<String> names, Map<String, Column> columns, int rows, int[] lines) {
        this.source = source;
        this.names = List.copyOf(names);
        this.columns = columns;
        this.rows = rows;
        this.lines = lines;
    }

    /** The line of the file that holds the given row (the header is line 1). */
    public int line(int row) {
        return lines == null ? row + 2 : lines[row];
    }

    /** Builds a table from columns of text (null or a missing token for missing cells). */
    public static DataTable fromText(String source, List<String> names, List<String[]> cells) {
        Map<String, Column> cols = new LinkedHashMap<>();
        int n = cells.isEmpty() ? 0 : cells.get(0).length;
        for (int j = 0; j < names.size(); j++) {
            cols.put(names.get(j), column(names.get(j), cells.get(j)));
        }
        return new DataTable(source, names, cols, n);
    }

    private static Column column(String name, String[] raw) {
        String[] text = new String[raw.length];
        double[] nums = new double[raw.length];
        int numbers = 0, others = 0, first = -1;
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i] == null ? null : raw[i].trim();
            if (s == null || MISSING.contains(s)) {
                text[i] = null;
                nums[i] = Double.NaN;
                continue;
            }
            text[i] = s;
            double v = parseNumber(s);
            if (Double.isNaN(v)) {
                if (others++ == 0) first = i;
            } else {
                numbers++;
                nums[i] = v;
            }
        }
        if (others == 0) return new Column(name, text, nums);
        return new Column(name, text, null, numbers > others ? new Stray(first, text[first], others, numbers) : null);
    }

    /**
     * Checks a column that a model uses as a covariate (a fixed effect or a random slope, not a
     * grouping factor): a text column most of whose cells are numbers is refused, naming the first
     * cell that is not one, and so is a numeric column with an infinite value.
     */
    public void requireCovariate(String name) {
        Column c = column(name);
        Stray s = c.stray();
        if (s != null) {
            throw new InputException(source + " line " + line(s.row()) + ", column " + name + ": the value '" + s.value()
                    + "' is not a number, though " + s.numbers() + " of the column's other values are" + (s.others() > 1 ? " (" + s.others()
                    + " values are not numbers)" : "") + ". Missing values are written NA, NaN or as an empty cell, and nothing else;"
                    + " varpart does not guess whether the column is numeric or categorical: correct the value.");
        }
        if (c.isNumeric()) {
            for (int i = 0; i < rows; i++) {
                if (Double.isInfinite(c.numbers()[i])) {
                    throw new InputException(source + " line " + line(i) + ", column " + name + ": the value '" + c.text()[i]
                            + "' is " + (c.text()[i].toLowerCase(java.util.Locale.ROOT).contains("inf") ? "infinite" : "too large for double precision (it reads as infinite)")
                            + "; a covariate must be finite. Write NA for a missing value.");
                }
            }
        }
    }

    /** Parses a number as R does ({@code Inf}, {@code -Inf} included); NaN when it is not one. */
    public static double parseNumber(String s) {
        switch (s) {
            case "Inf", "inf", "+Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf", "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> { }
        }
        char c = s.charAt(0);
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) return Double.NaN;
        char last = s.charAt(s.length() - 1);
        if (!(Character.isDigit(last) || last == '.')) return Double.NaN; // rejects "1d", "2f"
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The table of {@code cells} (as {@link #fromText}) whose row i was read from line {@code lines[i]} of its file. */
    public static DataTable fromText(String source, List<String> names, List<String[]> cells, int[] lines) {
        DataTable t = fromText(source, names, cells);
        return new DataTable(source, t.names, t.columns, t.rows, lines);
    }

    public String source() {
        return source;
    }

    public List<String> names() {
        return names;
    }

    public int rows() {
        return rows;
    }

    public boolean has(String name) {
        return columns.containsKey(name);
    }

    /** The column, or an error naming the columns that do exist. */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new InputException("The column '" + name + "' is not in " + source + "; its columns are: "
                    + String.join(", ", names) + ".");
        }
        return c;
    }

    /** A copy of this table keeping only the given rows (in the given order). */
    public DataTable select(int[] rowIndex) {
        Map<String, Column> cols = new LinkedHashMap<>();
        for (String n : names) {
            Column c = columns.get(n);
            String[] t = new String[rowIndex.length];
            double[] v = c.numbers == null ? null : new double[rowIndex.length];
            for (int i = 0; i < rowIndex.length; i++) {
                t[i] = c.text[rowIndex[i]];
                if (v != null) v[i] = c.numbers[rowIndex[i]];
            }
            cols.put(n, new Column(n, t, v, c.stray == null ? null : strayAmong(c, rowIndex)));
        }
        int[] l = new int[rowIndex.length];
        for (int i = 0; i < rowIndex.length; i++) l[i] = line(rowIndex[i]);
        return new DataTable(source, names, cols, rowIndex.length, l);
    }

    /** The stray cell of a mostly numeric column among the selected rows (their row numbers in the selection). */
    private static Stray strayAmong(Column c, int[] rowIndex) {
        int numbers = 0, others = 0, first = -1;
        for (int i = 0; i < rowIndex.length; i++) {
            String s = c.text[rowIndex[i]];
            if (s == null) continue;
            if (Double.isNaN(parseNumber(s))) {
                if (others++ == 0) first = i;
            } else {
                numbers++;
            }
        }
        return others > 0 && numbers > others ? new Stray(first, c.text[rowIndex[first]], others, numbers) : null;
    }

    /** A copy with one more (or a replaced) numeric column. */
    public DataTable withNumeric(String name, double[] values) {
        if (values.length != rows) throw new IllegalArgumentException("column length " + values.length + " != rows " + rows);
        Map<String, Column> cols = new LinkedHashMap<>(columns);
        String[] text = new String[rows];
        for (int i = 0; i < rows; i++) text[i] = Double.isNaN(values[i]) ? null : Double.toString(values[i]);
        cols.put(name, new Column(name, text, values.clone()));
        List<String> nn = new ArrayList<>(names);
        if (!nn.contains(name)) nn.add(name);
        return new DataTable(source, nn, cols, rows, lines);
    }

    /** A copy with one more column of text cells (null or a missing token for missing), typed as {@link #fromText} types columns. */
    public DataTable withColumn(String name, String[] text) {
        if (text.length != rows) throw new IllegalArgumentException("column length " + text.length + " != rows " + rows);
        if (columns.containsKey(name)) throw new IllegalArgumentException("the column '" + name + "' exists");
        Map<String, Column> cols = new LinkedHashMap<>(columns);
        cols.put(name, column(name, text));
        List<String> nn = new ArrayList<>(names);
        nn.add(name);
        return new DataTable(source, nn, cols, rows, lines);
    }

    /** The table as CSV text: a header line, then the cells as read, {@code NA} where missing. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < names.size(); j++) sb.append(j > 0 ? "," : "").append(csvCell(names.get(j)));
        sb.append('\n');
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < names.size(); j++) {
                String c = columns.get(names.get(j)).text[i];
                sb.append(j > 0 ? "," : "").append(c == null ? "NA" : csvCell(c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One CSV cell: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
    public static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * A digest of the table's content, cell by cell (text as read; numbers by value): equal
     * tables have equal digests, and an accidental change of a cell all but surely changes it (it
     * is not a cryptographic hash).
     */
    public String digest() {
        long h = rows;
        for (String name : names) {
            Column c = columns.get(name);
            h = h * 1_000_003L + name.hashCode();
            for (int i = 0; i < rows; i++) {
                h = h * 1_000_003L + (c.text() != null ? java.util.Objects.hashCode(c.text()[i]) : Double.hashCode(c.numbers()[i]));
            }
        }
        return rows + " rows, " + names.size() + " columns, digest " + Long.toHexString(h);
    }

    @Override
    public String toString() {
        return source + " (" + rows + " rows: " + Arrays.toString(names.toArray()) + ")";
    }
}
