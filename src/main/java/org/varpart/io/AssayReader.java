package org.varpart.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.varpart.design.DataTable;
import org.varpart.design.InputException;

/**
 * Reads assay matrices (features × samples) through Spark from any Hadoop path: delimited text
 * (TSV or CSV, optionally compressed; first column the feature ID, header row the sample IDs;
 * {@code NA}, {@code NaN} and empty cells missing), Parquet wide (an ID column and one column per
 * sample) and Parquet long (feature, sample, value). The sample IDs are read on the driver before
 * any Spark job, so that they can be checked against the sample sheet first.
 */
public final class AssayReader {
    private AssayReader() {}

    /**
     * An assay's samples (in matrix order) and, lazily, its records: text lines or already parsed
     * features. Lines are parsed by {@link #parse} where they are fitted, after being spread over
     * the partitions, so that parsing runs in parallel.
     */
    public record Assay(String name, String path, List<String> samples, JavaRDD<Object> records, Parser parser)
            implements java.io.Serializable {
        public FeatureRow parse(Object record) {
            return parser.parse(record);
        }

        /** The features, parsed. */
        public JavaRDD<FeatureRow> features() {
            Parser p = parser;
            return records.map(p::parse);
        }
    }

    /** Turns one record of an assay's source into a feature. */
    public interface Parser extends java.io.Serializable {
        FeatureRow parse(Object record);
    }

    /** Settings for Parquet inputs. */
    public record ParquetColumns(String featureId, String longFeature, String longSample, String longValue) implements java.io.Serializable {}

    public static Assay open(SparkSession spark, String name, String path, String format, ParquetColumns cols) {
        return switch (format) {
            case "tsv" -> delimited(spark, name, path, '\t');
            case "csv" -> delimited(spark, name, path, ',');
            case "parquet_wide" -> parquetWide(spark, name, path, cols);
            case "parquet_long" -> parquetLong(spark, name, path, cols);
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** Opens a (possibly compressed) Hadoop file, with a clear error when it is missing. */
    public static BufferedReader openText(Configuration conf, String path, String what) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new InputException("The " + what + " " + path + " does not exist.");
            if (fs.getFileStatus(p).isDirectory()) throw new InputException("The " + what + " " + path + " is a directory; give the file.");
            InputStream in = fs.open(p);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
            if (codec != null) in = codec.createInputStream(in);
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new InputException("Cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole small table (the sample sheet) on the driver. */
    public static DataTable readTable(Configuration conf, String path, String what) {
        try (BufferedReader r = openText(conf, path, what)) {
            return DataTable.read(path, r);
        } catch (IOException e) {
            throw new InputException("Cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static Assay delimited(SparkSession spark, String name, String path, char delim) {
        String header;
        try (BufferedReader r = openText(spark.sparkContext().hadoopConfiguration(), path, "assay file")) {
            header = r.readLine();
        } catch (java.io.EOFException e) {
            throw new InputException(path + " ends unexpectedly; the compressed file is truncated or damaged.", e);
        } catch (IOException e) {
            throw new InputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        if (header == null || header.isBlank()) throw new InputException(path + " is empty; it needs a header line of sample IDs.");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        String[] cells = split(header, delim);
        if (cells.length < 2) {
            throw new InputException(path + " line 1: the header has " + cells.length + " field(s); it needs the feature-ID column and one column per sample"
                    + (delim == '\t' && header.contains(",") ? " (is it comma-separated? set format." + name + " = csv)" : "") + ".");
        }
        List<String> samples = new ArrayList<>(Arrays.asList(cells).subList(1, cells.length));
        checkSamples(path, samples);
        final String head = header;
        final int width = cells.length;
        final String source = path;
        JavaRDD<Object> lines = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(path)
                .filter(line -> !line.isBlank() && !line.equals(head) && !line.equals("\uFEFF" + head))
                .map(line -> (Object) line);
        return new Assay(name, path, samples, lines, line -> parseLine((String) line, delim, width, source));
    }

    static void checkSamples(String path, List<String> samples) {
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < samples.size(); j++) {
            String s = samples.get(j);
            if (s.isEmpty()) throw new InputException(path + " line 1, column " + (j + 2) + ": a sample ID is empty.");
            if (!seen.add(s)) throw new InputException(path + " line 1, column " + (j + 2) + ": the sample ID '" + s + "' appears twice.");
        }
    }

    static String[] split(String line, char delim) {
        String[] parts = line.split(delim == '\t' ? "\t" : ",", -1);
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].strip();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
            parts[i] = s;
        }
        return parts;
    }

    /** One data line; a problem with it becomes the feature's status, never an exception. */
    static FeatureRow parseLine(String line, char delim, int width, String source) {
        String[] cells = split(line, delim);
        String id = cells[0];
        if (cells.length != width) {
            return new FeatureRow(id, null, "the line has " + cells.length + " fields but the header of " + source + " has " + width);
        }
        double[] v = new double[width - 1];
        for (int j = 1; j < width; j++) {
            String s = cells[j];
            if (DataTable.MISSING.contains(s)) {
                v[j - 1] = Double.NaN;
                continue;
            }
            double d = DataTable.parseNumber(s);
            if (Double.isNaN(d)) {
                return new FeatureRow(id, null, "the value '" + s + "' in column " + (j + 1) + " is not a number (missing values are NA, NaN or empty)");
            }
            v[j - 1] = d;
        }
        return new FeatureRow(id, v, null);
    }

    private static Assay parquetWide(SparkSession spark, String name, String path, ParquetColumns cols) {
        Dataset<Row> df = readParquet(spark, path);
        String[] columns = df.columns();
        String id = cols.featureId() == null || cols.featureId().isEmpty() ? columns[0] : cols.featureId();
        if (!Arrays.asList(columns).contains(id)) {
            throw new InputException(path + ": no feature-ID column '" + id + "'; its columns start " + String.join(", ", Arrays.asList(columns).subList(0, Math.min(5, columns.length))) + ".");
        }
        List<String> samples = new ArrayList<>();
        List<Column> select = new ArrayList<>();
        select.add(functions.col(id).cast("string"));
        for (String c : columns) {
            if (c.equals(id)) continue;
            samples.add(c);
            select.add(functions.col("`" + c + "`").cast("double"));
        }
        checkSamples(path, samples);
        int k = samples.size();
        JavaRDD<Object> rows = df.select(select.toArray(new Column[0])).javaRDD().map(r -> {
            double[] v = new double[k];
            for (int j = 0; j < k; j++) v[j] = r.isNullAt(j + 1) ? Double.NaN : r.getDouble(j + 1);
            return (Object) new FeatureRow(r.getString(0), v, null);
        });
        return new Assay(name, path, samples, rows, f -> (FeatureRow) f);
    }

    private static Assay parquetLong(SparkSession spark, String name, String path, ParquetColumns cols) {
        Dataset<Row> df = readParquet(spark, path);
        for (String c : List.of(cols.longFeature(), cols.longSample(), cols.longValue())) {
            if (!Arrays.asList(df.columns()).contains(c)) {
                throw new InputException(path + ": no column '" + c + "'; its columns are " + String.join(", ", df.columns())
                        + " (set long.feature_column, long.sample_column and long.value_column).");
            }
        }
        Dataset<Row> tidy = df.select(functions.col(cols.longFeature()).cast("string").as("f"),
                functions.col(cols.longSample()).cast("string").as("s"), functions.col(cols.longValue()).cast("double").as("v"));
        List<String> samples = new ArrayList<>();
        for (Row r : tidy.select("s").distinct().orderBy("s").collectAsList()) samples.add(r.getString(0));
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < samples.size(); j++) index.put(samples.get(j), j);
        int k = samples.size();
        JavaRDD<Object> rows = tidy.groupBy("f").agg(functions.collect_list(functions.struct("s", "v")).as("sv")).javaRDD().map(r -> {
            double[] v = new double[k];
            Arrays.fill(v, Double.NaN);
            boolean[] seen = new boolean[k];
            for (Row e : r.<Row>getList(1)) {
                int j = index.get(e.getString(0));
                if (seen[j]) return (Object) new FeatureRow(r.getString(0), null, "sample " + e.getString(0) + " has more than one value");
                seen[j] = true;
                v[j] = e.isNullAt(1) ? Double.NaN : e.getDouble(1);
            }
            return (Object) new FeatureRow(r.getString(0), v, null);
        });
        return new Assay(name, path, samples, rows, f -> (FeatureRow) f);
    }

    private static Dataset<Row> readParquet(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new InputException("The assay " + path + " does not exist.");
            }
        } catch (IOException e) {
            throw new InputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        return spark.read().parquet(path);
    }
}
