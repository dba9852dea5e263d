package org.varpart.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.varpart.InputException;
import org.varpart.design.DataTable;

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
     *
     * @param featureCount the number of features, when the driver's check counted them (text), else -1
     * @param digest a digest of the file's content, when the driver's check read it whole (text), else null
     * @param observed how many features have each number of values present (text), else null
     */
    public record Assay(String name, String path, List<String> samples, JavaRDD<Object> records, Parser parser, long featureCount,
                        String digest, long[] observed)
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

        /** The record's feature ID, without parsing its values. */
        String id(Object record);

        /**
         * Whether each partition of the records holds the same records in the same order every
         * time it is computed (splits of a text file read line by line), so that a task can cut
         * its chunks without sorting them first.
         */
        default boolean stableOrder() {
            return false;
        }
    }

    /** Records that are features already (Parquet). */
    public record Parsed() implements Parser {
        @Override
        public FeatureRow parse(Object record) {
            return (FeatureRow) record;
        }

        @Override
        public String id(Object record) {
            return ((FeatureRow) record).id();
        }
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

    /**
     * Opens a (possibly compressed) Hadoop file as UTF-8 text, with a clear error when it is
     * missing, when it is compressed under a plain name, or when a byte is not UTF-8 (see
     * {@link TextInput}).
     */
    public static BufferedReader openText(Configuration conf, String path, String what) {
        return openText(conf, path, what, (char) 0);
    }

    /** As {@link #openText(Configuration, String, String)}, naming columns by {@code delim} (0: not known). */
    public static BufferedReader openText(Configuration conf, String path, String what, char delim) {
        return new BufferedReader(new InputStreamReader(openBytes(conf, path, what, delim), StandardCharsets.UTF_8), 1 << 16);
    }

    /** As {@link #openText(Configuration, String, String, char)}, as the checked UTF-8 bytes themselves. */
    static InputStream openBytes(Configuration conf, String path, String what, char delim) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new InputException("The " + what + " " + path + " does not exist.");
            if (fs.getFileStatus(p).isDirectory()) throw new InputException("The " + what + " " + path + " is a directory; give the file.");
            InputStream raw = fs.open(p);
            try {
                CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
                InputStream in = codec == null ? TextInput.refuseBinary(path, raw) : codec.createInputStream(raw);
                return TextInput.utf8(path, in, delim);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        } catch (IOException e) {
            throw new InputException("Cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole small table (the sample sheet) on the driver. */
    public static DataTable readTable(Configuration conf, String path, String what) {
        try (BufferedReader r = openText(conf, path, what)) {
            return TableReader.read(path, r);
        } catch (IOException e) {
            throw new InputException("Cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static Assay delimited(SparkSession spark, String name, String path, char delim) {
        DelimitedMatrix.Checked checked = DelimitedMatrix.check(spark.sparkContext().hadoopConfiguration(), path, delim);
        final String head = checked.header();
        // at least four splits per core where the file can be split (not when compressed)
        int splits = Math.max(2, 4 * spark.sparkContext().defaultParallelism());
        JavaRDD<Object> lines = TextLines.read(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), path, splits, head);
        return new Assay(name, path, checked.samples(), lines, new TextLines(delim, checked.samples().size() + 1, path), checked.features(),
                checked.digest(), checked.observed());
    }

    /** Sample IDs must be present and unique; {@code text}: the IDs are the header of a delimited file (line 1). */
    static void checkSamples(String path, List<String> samples, boolean text) {
        Map<String, Integer> first = new HashMap<>();
        for (int j = 0; j < samples.size(); j++) {
            String s = samples.get(j);
            String where = text ? path + " line 1, column " + (j + 2) : path + ", column '" + s + "'";
            if (s.isEmpty()) throw new InputException(where + ": a sample ID is empty.");
            Integer prev = first.putIfAbsent(s, j);
            if (prev != null) {
                throw new InputException(where + ": the sample ID '" + DelimitedMatrix.shorten(s) + "' appears twice (first in column "
                        + (prev + 2) + "); sample IDs must be unique.");
            }
        }
    }

    /**
     * Parquet wide: the ID column and numeric sample columns are checked from the schema on the
     * driver; that the file has rows and that IDs are present and unique is checked by one Spark
     * job that reads the ID column only, before any fitting.
     */
    private static Assay parquetWide(SparkSession spark, String name, String path, ParquetColumns cols) {
        Dataset<Row> df = readParquet(spark, path);
        String[] columns = df.columns();
        String id = cols.featureId() == null || cols.featureId().isEmpty() ? columns[0] : cols.featureId();
        if (!Arrays.asList(columns).contains(id)) {
            throw new InputException(path + ": no feature-ID column '" + id + "'; its columns start " + String.join(", ", Arrays.asList(columns).subList(0, Math.min(5, columns.length))) + ".");
        }
        List<String> samples = new ArrayList<>();
        List<Column> select = new ArrayList<>();
        select.add(functions.col("`" + id + "`").cast("string"));
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(id)) continue;
            numeric(path, f);
            samples.add(f.name());
            select.add(functions.col("`" + f.name() + "`").cast("double"));
        }
        if (samples.isEmpty()) throw new InputException(path + ": no sample columns; a wide assay has the feature-ID column '" + id + "' and one column per sample.");
        checkSamples(path, samples, false);
        uniqueKeys(path, df.select(functions.col("`" + id + "`").cast("string").as("feature")), "feature-ID column '" + id + "'");
        int k = samples.size();
        JavaRDD<Object> rows = df.select(select.toArray(new Column[0])).javaRDD().map(r -> {
            double[] v = new double[k];
            for (int j = 0; j < k; j++) v[j] = r.isNullAt(j + 1) ? Double.NaN : r.getDouble(j + 1);
            return (Object) new FeatureRow(r.getString(0), v, null);
        });
        return new Assay(name, path, samples, rows, new Parsed(), -1, null, null);
    }

    /**
     * Parquet long: the columns and the value column's type are checked from the schema; that the
     * file has rows, and that no feature has two values for one sample, by one Spark job over the
     * ID columns, before any fitting.
     */
    private static Assay parquetLong(SparkSession spark, String name, String path, ParquetColumns cols) {
        Dataset<Row> df = readParquet(spark, path);
        for (String c : List.of(cols.longFeature(), cols.longSample(), cols.longValue())) {
            if (!Arrays.asList(df.columns()).contains(c)) {
                throw new InputException(path + ": no column '" + c + "'; its columns are " + String.join(", ", df.columns())
                        + " (set long.feature_column, long.sample_column and long.value_column).");
            }
        }
        numeric(path, df.schema().apply(cols.longValue()));
        Dataset<Row> tidy = df.select(functions.col("`" + cols.longFeature() + "`").cast("string").as("f"),
                functions.col("`" + cols.longSample() + "`").cast("string").as("s"), functions.col("`" + cols.longValue() + "`").cast("double").as("v"));
        uniqueKeys(path, tidy.select(functions.col("f").as("feature"), functions.col("s").as("sample")),
                "columns '" + cols.longFeature() + "' and '" + cols.longSample() + "'");
        List<String> samples = new ArrayList<>();
        for (Row r : tidy.select("s").distinct().orderBy("s").collectAsList()) samples.add(r.getString(0));
        checkSamples(path, samples, false);
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
        return new Assay(name, path, samples, rows, new Parsed(), -1, null, null);
    }

    /** A column of values must hold numbers: a text column would turn every value into "missing". */
    private static void numeric(String path, StructField f) {
        if (!(f.dataType() instanceof NumericType)) {
            throw new InputException(path + ", column '" + f.name() + "': the type is " + f.dataType().simpleString()
                    + ", not a number; value columns must be numeric (missing values as null).");
        }
    }

    /** One Spark job over the key columns: the input has rows, no key is null, no key repeats. */
    private static void uniqueKeys(String path, Dataset<Row> keys, String what) {
        String[] names = keys.columns();
        Column anyNull = functions.lit(false);
        for (String n : names) anyNull = anyNull.or(functions.col(n).isNull());
        List<Row> bad = keys.groupBy(names[0], Arrays.copyOfRange(names, 1, names.length)).count()
                .filter(functions.col("count").gt(1).or(anyNull)).limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row r = bad.get(0);
            List<String> key = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                if (r.isNullAt(i)) throw new InputException(path + ": a row has no " + names[i] + " ID (null in the " + what + "); every row needs one.");
                key.add(names[i] + " '" + DelimitedMatrix.shorten(r.getString(i)) + "'");
            }
            throw new InputException(path + ": " + String.join(", ", key) + " appears in " + r.getLong(names.length) + " rows (the "
                    + what + "); " + (names.length == 1 ? "feature IDs must be unique within an assay." : "a feature has one value per sample."));
        }
        if (keys.limit(1).count() == 0) throw new InputException(path + " has no rows; an assay needs at least one feature.");
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
