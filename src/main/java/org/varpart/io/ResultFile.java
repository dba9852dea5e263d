package org.varpart.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One committed chunk of per-feature results ({@link OutputSchemas#FEATURE} rows) in a small
 * binary format of its own: a header with the assay and the feature IDs (so that a resumed run
 * learns what is done without reading the results), the rows, and an end marker (so that a cut
 * file is never taken for a whole one). Plain data only: nothing in it is ever deserialised as
 * code.
 */
public final class ResultFile {
    private static final int MAGIC = 0x56505231; // "VPR1"
    private static final long END = 0x76617270_656E6421L;
    /** The longest string the reader accepts (a feature ID or a message). */
    private static final int MAX_STRING_BYTES = 1 << 20;

    private ResultFile() {}

    /** What a chunk holds: the assay and its features' IDs. */
    public record Index(String assay, List<String> ids) {}

    /** Writes a chunk: the header now, each row as it comes, the end marker on {@link #finish}. */
    public static final class Writer {
        private final DataOutputStream out;
        private final int expected;
        private int written;

        public Writer(OutputStream os, String assay, List<String> ids) throws IOException {
            this.out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
            this.expected = ids.size();
            out.writeInt(MAGIC);
            string(out, assay);
            out.writeInt(ids.size());
            for (String id : ids) string(out, id);
        }

        public void write(Row row) throws IOException {
            struct(out, OutputSchemas.FEATURE, row);
            written++;
        }

        public void finish() throws IOException {
            if (written != expected) throw new IllegalStateException(written + " rows written for " + expected + " features");
            out.writeLong(END);
            out.flush();
        }
    }

    /** The header of a chunk, after checking that the chunk is whole (its last 8 bytes are the end marker). */
    public static Index index(org.apache.hadoop.fs.FSDataInputStream in, long length) throws IOException {
        if (length < 16) return null;
        in.seek(length - 8);
        if (in.readLong() != END) return null;
        in.seek(0);
        DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        if (d.readInt() != MAGIC) return null;
        String assay = readString(d);
        int n = d.readInt();
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(readString(d));
        return new Index(assay, ids);
    }

    /** Every row of a whole chunk. */
    public static List<Row> rows(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        if (d.readInt() != MAGIC) throw new IOException("not a varpart result chunk");
        readString(d);
        int n = d.readInt();
        for (int i = 0; i < n; i++) readString(d);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(readStruct(d, OutputSchemas.FEATURE));
        if (d.readLong() != END) throw new IOException("the result chunk does not end where it should");
        return rows;
    }

    private static void struct(DataOutputStream out, StructType type, Row row) throws IOException {
        StructField[] fields = type.fields();
        for (int i = 0; i < fields.length; i++) {
            boolean present = !row.isNullAt(i);
            out.writeBoolean(present);
            if (present) value(out, fields[i].dataType(), row.get(i));
        }
    }

    private static void value(DataOutputStream out, DataType t, Object v) throws IOException {
        if (t.equals(DataTypes.StringType)) {
            string(out, (String) v);
        } else if (t.equals(DataTypes.DoubleType)) {
            out.writeDouble((Double) v);
        } else if (t.equals(DataTypes.IntegerType)) {
            out.writeInt((Integer) v);
        } else if (t.equals(DataTypes.BooleanType)) {
            out.writeBoolean((Boolean) v);
        } else if (t instanceof ArrayType a && a.elementType() instanceof StructType s) {
            List<Row> elements = v instanceof scala.collection.Seq<?> seq
                    ? scala.collection.JavaConverters.seqAsJavaList(seq).stream().map(Row.class::cast).toList()
                    : ((List<?>) v).stream().map(Row.class::cast).toList();
            out.writeInt(elements.size());
            for (Row e : elements) struct(out, s, e);
        } else {
            throw new IllegalArgumentException("no encoding for " + t);
        }
    }

    private static Row readStruct(DataInputStream in, StructType type) throws IOException {
        StructField[] fields = type.fields();
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (in.readBoolean()) values[i] = readValue(in, fields[i].dataType());
        }
        return RowFactory.create(values);
    }

    private static Object readValue(DataInputStream in, DataType t) throws IOException {
        if (t.equals(DataTypes.StringType)) return readString(in);
        if (t.equals(DataTypes.DoubleType)) return in.readDouble();
        if (t.equals(DataTypes.IntegerType)) return in.readInt();
        if (t.equals(DataTypes.BooleanType)) return in.readBoolean();
        if (t instanceof ArrayType a && a.elementType() instanceof StructType s) {
            int n = in.readInt();
            if (n < 0) throw new IOException("a negative array length in a result chunk");
            List<Row> rows = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) rows.add(readStruct(in, s));
            return scala.collection.JavaConverters.asScalaBuffer(rows).toList();
        }
        throw new IllegalArgumentException("no encoding for " + t);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING_BYTES) throw new EOFException("a string of " + n + " bytes in a result chunk");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
