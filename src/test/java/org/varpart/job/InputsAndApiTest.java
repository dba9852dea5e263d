package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.io.TableReader;
import org.varpart.simulate.StudySimulator;

/** Parquet inputs, the programmatic transformer and the configuration file. */
class InputsAndApiTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path study;
    static List<String> header;
    static List<String[]> lines = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkTestSession.get();
        study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(16, 5, 4, 2, 20, new String[] {"rna", "protein"}, 0.02, 3), study);
        List<String> all = Files.readAllLines(study.resolve("protein.tsv"));
        header = Arrays.asList(all.get(0).split("\t"));
        for (String l : all.subList(1, all.size())) lines.add(l.split("\t"));
    }

    static double value(String cell) {
        return cell.equals("NA") ? Double.NaN : Double.parseDouble(cell);
    }

    static Map<String, Double> fractions(Dataset<Row> features) {
        Map<String, Double> out = new HashMap<>();
        for (Row r : features.collectAsList()) {
            for (Row c : r.<Row>getList(12)) out.put(r.getString(1) + "/" + c.getString(0), c.getDouble(2));
        }
        return out;
    }

    static Map<String, Double> jobFractions(Path out) {
        Map<String, Double> m = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("fractions").toString()).collectAsList()) m.put(r.getString(1) + "/" + r.getString(2), r.getDouble(4));
        return m;
    }

    static Map<String, String> config(Path out) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", study.resolve("samples.tsv").toString());
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", out.toString());
        c.put("partitions", "2");
        c.put("progress_seconds", "0");
        return c;
    }

    static void run(Map<String, String> c) {
        VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void parquetWideAndLongGiveTheSameResultsAsTsv() {
        List<StructField> wide = new ArrayList<>();
        wide.add(DataTypes.createStructField("id", DataTypes.StringType, false));
        for (String s : header.subList(1, header.size())) wide.add(DataTypes.createStructField(s, DataTypes.DoubleType, true));
        List<Row> wideRows = new ArrayList<>(), longRows = new ArrayList<>();
        for (String[] l : lines) {
            Object[] v = new Object[l.length];
            v[0] = l[0];
            for (int j = 1; j < l.length; j++) {
                double d = value(l[j]);
                v[j] = Double.isNaN(d) ? null : d;
                if (!Double.isNaN(d)) longRows.add(RowFactory.create(l[0], header.get(j), d));
            }
            wideRows.add(RowFactory.create(v));
        }
        Path widePath = dir.resolve("protein_wide.parquet"), longPath = dir.resolve("protein_long.parquet");
        spark.createDataFrame(wideRows, DataTypes.createStructType(wide)).write().parquet(widePath.toString());
        spark.createDataFrame(longRows, new StructType().add("feature", "string").add("sample", "string").add("value", "double"))
                .write().parquet(longPath.toString());

        Map<String, String> tsv = config(dir.resolve("out-tsv"));
        tsv.put("assay.protein", study.resolve("protein.tsv").toString());
        run(tsv);
        Map<String, String> w = config(dir.resolve("out-wide"));
        w.put("assay.protein", widePath.toString());
        run(w);
        Map<String, String> lg = config(dir.resolve("out-long"));
        lg.put("assay.protein", longPath.toString());
        lg.put("format.protein", "parquet_long");
        run(lg);
        Map<String, Double> expected = jobFractions(dir.resolve("out-tsv"));
        assertEquals(20 * 6, expected.size());
        assertEquals(expected, jobFractions(dir.resolve("out-wide")));
        Map<String, Double> fromLong = jobFractions(dir.resolve("out-long"));
        // long format orders samples by ID, so sums are taken in another order: equal to rounding
        for (Map.Entry<String, Double> e : expected.entrySet()) assertEquals(e.getValue(), fromLong.get(e.getKey()), 1e-9, e.getKey());
    }

    @Test
    void transformerGivesTheJobsNumbersFromAVectorColumn() {
        List<Row> rows = new ArrayList<>();
        for (String[] l : lines) {
            double[] v = new double[l.length - 1];
            for (int j = 1; j < l.length; j++) v[j - 1] = value(l[j]);
            rows.add(RowFactory.create(l[0], Vectors.dense(v)));
        }
        Dataset<Row> features = spark.createDataFrame(rows, new StructType()
                .add("feature", DataTypes.StringType).add("values", SQLDataTypes.VectorType())).repartition(2);
        Dataset<Row> sheet = spark.read().option("header", "true").option("sep", "\t").csv(study.resolve("samples.tsv").toString());
        Dataset<Row> result = new VariancePartition().setFormula(StudySimulator.FORMULA).setSampleSheet(sheet, "sample")
                .setSamples(header.subList(1, header.size())).setAssay("protein")
                .setCi(true).setCiReplicates(20).setCiLevel(0.9).setSeed(5).transform(features);
        assertEquals(20, result.count());
        Map<String, String> c = config(dir.resolve("out-api"));
        c.put("assay.protein", study.resolve("protein.tsv").toString());
        c.put("ci", "true");
        c.put("ci_replicates", "20");
        c.put("ci_level", "0.9");
        c.put("seed", "5");
        run(c);
        Map<String, Double> job = jobFractions(dir.resolve("out-api"));
        Map<String, Double> api = fractions(result);
        assertEquals(job.keySet(), api.keySet());
        for (Map.Entry<String, Double> e : job.entrySet()) assertEquals(e.getValue(), api.get(e.getKey()), 1e-12, e.getKey());
        // the intervals: the job's, with the same settings and seed
        Map<String, Double[]> apiCi = new HashMap<>(), jobCi = new HashMap<>();
        for (Row r : result.collectAsList()) {
            for (Row f : r.<Row>getList(12)) apiCi.put(r.getString(1) + "/" + f.getString(0), bounds(f, 3));
        }
        for (Row r : spark.read().parquet(dir.resolve("out-api").resolve("fractions").toString()).collectAsList()) {
            jobCi.put(r.getString(1) + "/" + r.getString(2), bounds(r, 5));
        }
        int withInterval = 0;
        for (Map.Entry<String, Double[]> e : jobCi.entrySet()) {
            Double[] a = apiCi.get(e.getKey()), j = e.getValue();
            assertEquals(j[0] == null, a[0] == null, e.getKey());
            if (j[0] == null) continue;
            withInterval++;
            assertEquals(j[0], a[0], 1e-12, e.getKey() + " lower");
            assertEquals(j[1], a[1], 1e-12, e.getKey() + " upper");
            assertTrue(a[0] <= a[1] && a[0] >= 0 && a[1] <= 1, e.getKey() + ": " + a[0] + ", " + a[1]);
        }
        assertTrue(withInterval > 100, "most fitted features' fractions have intervals: " + withInterval);
    }

    private static Double[] bounds(Row r, int at) {
        return new Double[] {r.isNullAt(at) ? null : r.getDouble(at), r.isNullAt(at + 1) ? null : r.getDouble(at + 1)};
    }

    @Test
    void configFileKeysOverridesAndRedaction() throws IOException {
        Path file = dir.resolve("run.conf");
        Files.writeString(file, "# comment\nsamples = s.tsv\nassay.rna = r.tsv.gz\nformula = ~ x + (1 | g)\noutput = out\n"
                + "spark.hadoop.fs.s3a.secret.key = hush\nfs.s3a.access.key = nope\n".replace("fs.s3a.access.key = nope\n", ""));
        JobConfig cfg = JobConfig.load(file, Map.of("method", "reml", "partitions", "7"));
        assertTrue(cfg.reml());
        assertEquals(7, cfg.integer("partitions"));
        assertEquals("tsv", cfg.format("rna"));
        assertEquals("***", cfg.recorded().get("spark.hadoop.fs.s3a.secret.key"));
        assertEquals("s.tsv", cfg.recorded().get("samples"));
        InputException e = assertThrows(InputException.class, () -> JobConfig.load(file, Map.of("colour", "red")));
        assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
        e = assertThrows(InputException.class, () -> JobConfig.load(file, Map.of("method", "OLS")));
        assertTrue(e.getMessage().contains("method must be ML or REML, not 'OLS'"), e.getMessage());
        Files.writeString(file, "samples = s.tsv\nsamples = t.tsv\n");
        e = assertThrows(InputException.class, () -> JobConfig.load(file, Map.of()));
        assertTrue(e.getMessage().endsWith("line 2: 'samples' is set twice."), e.getMessage());
        e = assertThrows(InputException.class, () -> JobConfig.of(Map.of("samples", "s", "formula", "~ (1|g)", "output", "o"), "cli"));
        assertTrue(e.getMessage().contains("no assay"), e.getMessage());
    }

    @Test
    void theShippedExampleConfigIsValid() {
        JobConfig cfg = JobConfig.load(Path.of("conf/example.conf"), Map.of());
        assertEquals(2, cfg.assays().size());
        for (String p : cfg.assays().values()) assertTrue(Files.exists(Path.of(p)), p);
        assertEquals(1, cfg.counts().size(), "the example's counts assay");
        for (String p : cfg.counts().values()) assertTrue(Files.exists(Path.of(p)), p);
        assertTrue(TableReader.read(Path.of(cfg.get("samples"))).has(cfg.get("sample_id_column")));
        assertFalse(cfg.flag("overwrite"), "the example does not replace an existing output unless asked");
    }
}
