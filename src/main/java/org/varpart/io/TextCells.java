package org.varpart.io;

import java.io.BufferedReader;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.varpart.InputException;

/**
 * A walk over the cells of a text matrix file (a header with one leading column and then the
 * sample IDs, one feature per line after it), for the driver's checks that stop a run at the first
 * bad value with its line and column. Blank lines are skipped; line and column numbers count from 1.
 */
public final class TextCells {
    private TextCells() {}

    /** A feature's row before its cells: the row's line, its first field, and its field count against the header's. */
    public interface Row {
        void accept(long line, String feature, int fields, int headerFields);
    }

    /** One cell: its line and column, the sample of its column and the feature of its row, and its text, stripped. */
    public interface Cell {
        void accept(long line, int column, String sample, String feature, String text);
    }

    /**
     * Reads {@code path} through {@link AssayReader#openText(Configuration, String, String, char)}
     * and hands every row to {@code row} and every cell under a sample's header to {@code cell}.
     * Returns false for an empty file (no header). An unreadable file is an {@link InputException}
     * naming {@code what}.
     */
    public static boolean walk(Configuration hadoop, String path, String what, char delim, Row row, Cell cell) {
        String sep = String.valueOf(delim);
        try (BufferedReader r = AssayReader.openText(hadoop, path, what, delim)) {
            String header = r.readLine();
            if (header == null) return false;
            String[] samples = header.split(sep, -1);
            long no = 1;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                no++;
                if (line.isBlank()) continue;
                String[] f = line.split(sep, -1);
                String feature = f[0].strip();
                row.accept(no, feature, f.length, samples.length);
                for (int j = 1; j < f.length && j < samples.length; j++) cell.accept(no, j + 1, samples[j].strip(), feature, f[j].strip());
            }
            return true;
        } catch (IOException e) {
            throw new InputException("Cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }
}
