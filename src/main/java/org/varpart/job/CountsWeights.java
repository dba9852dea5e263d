package org.varpart.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.varpart.counts.Contrast;
import org.varpart.design.Design;
import org.varpart.InputException;
import org.varpart.io.AssayReader;
import org.varpart.io.TextCells;
import org.varpart.io.DelimitedMatrix;
import org.varpart.io.FeatureRow;
import scala.Tuple2;

/**
 * A log-scale assay with precision weights ({@code weights.<name> = FILE}): the weights file has
 * the assay's features as rows and its samples as columns, in the same formats as an assay. Each
 * weight must be a finite number above 0; the features and the samples must be the assay's, each
 * once. A text file is checked on the driver before any Spark job, a problem naming the file,
 * line, column and value; a Parquet file (or a Parquet assay) is matched by one Spark job before
 * any fitting. The fits are the counts assays' weighted pass ({@link CountsFits#weighted}): each
 * feature's weights divided by their mean, as variancePartition's {@code rescaleWeights}.
 */
final class CountsWeights {
    private CountsWeights() {}

    /** The format of a weights file, from its name as for assays: .csv or .csv.gz is CSV, .parquet or a folder Parquet (wide), else TSV. */
    static String format(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".parquet") || p.endsWith("/") || !p.contains(".") ? "parquet_wide"
                : p.endsWith(".csv") || p.endsWith(".csv.gz") ? "csv" : "tsv";
    }

    /** Opens the weights of {@code assay} and checks what can be checked without Spark; a problem is an {@link InputException}. */
    static AssayReader.Assay open(SparkSession spark, Configuration hadoop, AssayReader.Assay assay, String assayFormat, String path,
                                  AssayReader.ParquetColumns pc) {
        String format = format(path);
        AssayReader.Assay w = AssayReader.open(spark, assay.name() + " weights", path, format, pc);
        checkSamples(path, assay, w.samples());
        if (format.equals("tsv") || format.equals("csv")) {
            char delim = format.equals("tsv") ? '\t' : ',';
            Map<String, Long> lines = checkValues(hadoop, path, delim);
            if (assayFormat.equals("tsv") || assayFormat.equals("csv")) {
                checkFeatures(path, assay, lines, ids(hadoop, assay.path(), assayFormat.equals("tsv") ? '\t' : ','));
            }
        }
        return w;
    }

    /** The weights' columns are the assay's samples, each once. */
    static void checkSamples(String path, AssayReader.Assay assay, List<String> samples) {
        Set<String> have = new HashSet<>(assay.samples()), seen = new HashSet<>();
        for (int j = 0; j < samples.size(); j++) {
            String s = samples.get(j);
            if (!have.contains(s)) {
                throw new InputException(path + ", line 1, column " + (j + 2) + ": the sample '" + s + "' is not a sample of assay "
                        + assay.name() + " (" + assay.path() + "); a weights file has the assay's samples as its columns.");
            }
            if (!seen.add(s)) throw new InputException(path + ", line 1, column " + (j + 2) + ": the sample '" + s + "' is given twice.");
        }
        List<String> missing = new ArrayList<>();
        for (String s : assay.samples()) if (!seen.contains(s)) missing.add(s);
        if (!missing.isEmpty()) {
            throw new InputException(path + ", line 1: " + missing.size() + " sample(s) of assay " + assay.name() + " have no column of weights: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + (missing.size() > 5 ? ", ..." : "") + ".");
        }
    }

    /** Every weight of a text file is a finite number above 0; returns each feature's line. */
    static Map<String, Long> checkValues(Configuration hadoop, String path, char delim) {
        Map<String, Long> lineOf = new LinkedHashMap<>();
        boolean read = TextCells.walk(hadoop, path, "weights file", delim, (no, id, fields, headerFields) -> {
            if (fields != headerFields) {
                throw new InputException(path + ", line " + no + ": " + (fields - 1) + " weights, but the header has " + (headerFields - 1)
                        + " samples.");
            }
            lineOf.put(id, no);
        }, (no, column, sample, id, s) -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new InputException(path + ", line " + no + ", column " + column + " (sample " + sample + ", feature "
                        + id + "): the weight '" + s + "' is not a finite number above 0; precision weights are positive.");
            }
        });
        if (!read) throw new InputException(path + ", line 1: the weights file is empty; it needs a header of sample IDs.");
        return lineOf;
    }

    /** The weights' rows are the assay's features. */
    static void checkFeatures(String path, AssayReader.Assay assay, Map<String, Long> weightLines, List<String> assayIds) {
        Set<String> ids = new HashSet<>(assayIds);
        for (Map.Entry<String, Long> e : weightLines.entrySet()) {
            if (!ids.contains(e.getKey())) {
                throw new InputException(path + ", line " + e.getValue() + ", column 1: the feature '" + e.getKey() + "' is not a feature of assay "
                        + assay.name() + " (" + assay.path() + ").");
            }
        }
        for (String id : assayIds) {
            if (!weightLines.containsKey(id)) {
                throw new InputException(path + ": the feature '" + id + "' of assay " + assay.name() + " (" + assay.path() + ") has no row of weights.");
            }
        }
    }

    private static List<String> ids(Configuration hadoop, String path, char delim) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = AssayReader.openText(hadoop, path, "assay", delim)) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) if (!line.isBlank()) out.add(DelimitedMatrix.id(line, delim).strip());
        } catch (IOException e) {
            throw new InputException("Cannot read the assay " + path + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The weighted fits of the assay: its values and weights joined by feature ID, both in the
     * model's sample order. A feature without weights, or weights without a feature, stops the run
     * before any fitting (the check that text files had on the driver).
     */
    static JavaRDD<CountsFits.Weighted> fit(SparkSession spark, JobConfig cfg, CountsStage.Prepared p, int partitions,
                                           CountsCommitter.Target target, java.io.PrintStream log) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AssayReader.Assay assay = p.assay(), weights = p.weights();
        int[] cols = p.model().columns();
        int[] wcols = new int[cols.length];
        for (int i = 0; i < cols.length; i++) wcols[i] = weights.samples().indexOf(assay.samples().get(cols[i]));
        JavaPairRDD<String, FeatureRow> y = assay.features().mapToPair(fr -> new Tuple2<>(fr.id(), fr.problem() != null ? fr
                : new FeatureRow(fr.id(), pick(fr.values(), cols), null)));
        JavaPairRDD<String, double[]> w = weights.features().mapToPair(fr -> new Tuple2<>(fr.id(), fr.problem() != null ? null : pick(fr.values(), wcols)));
        JavaPairRDD<String, Tuple2<org.apache.spark.api.java.Optional<FeatureRow>, org.apache.spark.api.java.Optional<double[]>>> joined =
                y.fullOuterJoin(w, partitions).persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<Tuple2<String, Tuple2<org.apache.spark.api.java.Optional<FeatureRow>, org.apache.spark.api.java.Optional<double[]>>>> bad =
                joined.filter(t -> !t._2()._1().isPresent() || !t._2()._2().isPresent() || !positive(t._2()._2().get())).take(1);
        if (!bad.isEmpty()) {
            joined.unpersist();
            String id = bad.get(0)._1(), path = weights.path();
            var b = bad.get(0)._2();
            throw new InputException(!b._1().isPresent() ? path + ": the feature '" + id + "' is not a feature of assay " + assay.name() + "."
                    : !b._2().isPresent() ? path + ": the feature '" + id + "' of assay " + assay.name() + " has no row of weights."
                    : path + ", feature " + id + ": " + describe(b._2().get(), weights.samples(), wcols));
        }
        Broadcast<Design> design = jsc.broadcast(p.model().complete());
        String name = assay.name();
        List<Contrast> contrasts = CountsConfig.contrasts(cfg);
        CountsFits.Settings settings = CountsFits.Settings.of(cfg);
        JavaRDD<CountsFits.Weighted> out = CountsCommitter.run(joined.mapToPair(t -> new Tuple2<>(t._1(),
                new Tuple2<>(t._2()._1().get(), t._2()._2().get()))), x -> CountsFits.userWeightedOne(x._1().id(), x._1(), x._2(), name,
                design.value(), contrasts, settings), target, partitions, name, log);
        joined.unpersist();
        return out;
    }

    private static double[] pick(double[] values, int[] cols) {
        double[] out = new double[cols.length];
        for (int i = 0; i < cols.length; i++) out[i] = values[cols[i]];
        return out;
    }

    private static boolean positive(double[] w) {
        if (w == null) return false;
        for (double v : w) if (!(v > 0) || !Double.isFinite(v)) return false;
        return true;
    }

    private static String describe(double[] w, List<String> samples, int[] wcols) {
        if (w == null) return "the row cannot be read as numbers.";
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] > 0) || !Double.isFinite(w[i])) {
                return "column '" + samples.get(wcols[i]) + "': the weight " + w[i] + " is not a finite number above 0; precision weights are positive.";
            }
        }
        return "not weights.";
    }
}
