package org.varpart.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.varpart.InputException;
import org.varpart.design.DataTable;

/**
 * Reads a {@link DataTable} from CSV or TSV text: the delimiter is taken from the header (a tab
 * if it has one, else a comma), fields may be quoted ({@code ""} inside quotes is a quote), blank
 * lines are skipped, a byte-order mark is dropped, and every line must have the header's number
 * of fields; each row remembers its line, for messages.
 */
public final class TableReader {
    private TableReader() {}

    /** Reads a CSV or TSV file (optionally gzip-compressed); the delimiter is taken from the header. */
    public static DataTable read(Path path) {
        String name = path.toString();
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : TextInput.refuseBinary(name, raw);
             BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.utf8(name, in, (char) 0), StandardCharsets.UTF_8), 1 << 16)) {
            return read(name, r);
        } catch (NoSuchFileException e) {
            throw new InputException("The file " + name + " does not exist.");
        } catch (java.io.EOFException e) {
            throw new InputException(name + " ends unexpectedly; the compressed file is truncated or damaged.", e);
        } catch (IOException e) {
            throw new InputException("Cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Reads delimited text; {@code source} names the input in error messages. */
    public static DataTable read(String source, BufferedReader r) throws IOException {
        LineReader lines = new LineReader(source, r);
        String header = lines.next();
        while (header != null && header.isBlank()) header = lines.next();
        if (header == null) throw new InputException(source + " is empty; it needs a header line naming the columns.");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        char delim = header.indexOf('\t') >= 0 ? '\t' : ',';
        List<String> names = splitLine(header, delim, source, lines.number());
        for (int j = 0; j < names.size(); j++) names.set(j, names.get(j).trim());
        checkNames(source, names);
        List<List<String>> cols = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) cols.add(new ArrayList<>());
        List<Integer> lineOf = new ArrayList<>();
        String line;
        while ((line = lines.next()) != null) {
            if (line.isBlank()) continue;
            List<String> cells = splitLine(line, delim, source, lines.number());
            if (cells.size() != names.size()) {
                String hint = cells.size() == names.size() + 1 && lineOf.isEmpty()
                        ? ". The header has one name fewer than the data lines, as R's write.table writes it (no name for the row names):"
                        + " add a name for the first column at the start of the header, or write the file with row.names = FALSE."
                        : "; every line needs one value per column.";
                throw new InputException(source + " line " + lines.number() + ": has " + cells.size()
                        + " fields but the header has " + names.size() + hint);
            }
            for (int j = 0; j < cells.size(); j++) cols.get(j).add(cells.get(j));
            lineOf.add((int) lines.number());
        }
        List<String[]> cells = new ArrayList<>();
        for (List<String> c : cols) cells.add(c.toArray(new String[0]));
        if (cells.isEmpty() || cells.get(0).length == 0) {
            throw new InputException(source + " has a header but no data lines.");
        }
        return DataTable.fromText(source, names, cells, lineOf.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void checkNames(String source, List<String> names) {
        Set<String> seen = new java.util.HashSet<>();
        for (int j = 0; j < names.size(); j++) {
            String n = names.get(j);
            if (n.isEmpty()) throw new InputException(source + " line 1, column " + (j + 1) + ": the column has no name.");
            if (!seen.add(n)) throw new InputException(source + " line 1, column " + (j + 1) + ": the column name '" + n + "' appears twice.");
        }
    }

    /** Splits one line on the delimiter, honouring double quotes ("" inside quotes is a quote). */
    static List<String> splitLine(String line, char delim, String source, long lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delim) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new InputException(source + " line " + lineNo + ": a quoted field is not closed.");
        out.add(cur.toString());
        return out;
    }
}
