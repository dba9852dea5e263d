package org.varpart.job;

import org.varpart.io.HadoopConf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.design.DataTable;
import org.varpart.formula.ModelSpec;
import org.varpart.io.AssayReader;
import org.varpart.io.FeatureRow;
import org.varpart.io.ResultFile;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.simulate.StudySimulator;
import scala.Tuple2;

/**
 * A retried task commits the same chunks with the same bytes, whatever order its records arrive
 * in, skips the chunks an earlier attempt committed, and never commits a feature twice.
 */
class ChunkCommitterTest {

    @Test
    void aRetriedTaskRecommitsOnlyWhatIsMissingWithTheSameBytes(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 23, new String[] {"rna"}, 0.05, 4), study);
        List<String> lines = StudyRuns.gunzipLines(study.resolve("rna.tsv.gz"));
        List<String> samples = Arrays.asList(lines.get(0).split("\t")).subList(1, lines.get(0).split("\t").length);
        List<Tuple2<String, Object>> records = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split("\t");
            double[] v = new double[c.length - 1];
            for (int j = 1; j < c.length; j++) v[j - 1] = c[j].equals("NA") ? Double.NaN : Double.parseDouble(c[j]);
            records.add(new Tuple2<>(c[0], new FeatureRow(c[0], v, null)));
        }
        DataTable sheet = TableReader.read(study.resolve("samples.tsv"));
        AssayModel model = Plan.assayModel("rna", "rna", ModelSpec.parse(VarPartJob.RESPONSE + " " + StudySimulator.FORMULA), sheet,
                Plan.sampleRows(sheet, "sample", "samples"), samples, FitOptions.mlDefaults().withoutConditionalVariances(), true, false,
                new ArrayList<>());
        Broadcast<AssayModel> b = jsc.broadcast(model);
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        Path run = Files.createDirectories(dir.resolve("run"));
        ChunkCommitter committer = new ChunkCommitter(0, b, new AssayReader.Parsed(), null, run.toString(), conf, 4);

        long fitted = commit(jsc, records, committer);
        assertEquals(23, fitted);
        Map<String, byte[]> first = files(run);
        // 23 features in 2 partitions cut into chunks of at most 4
        Set<String> ids = new HashSet<>();
        int rows = 0;
        for (Path f : listed(run)) {
            try (InputStream in = Files.newInputStream(f)) {
                for (Row r : ResultFile.rows(in)) {
                    assertTrue(ids.add(r.getString(1)), "each feature once: " + r.getString(1));
                    rows++;
                }
            }
        }
        assertEquals(23, rows);
        assertTrue(first.size() >= 6 && first.size() <= 8, first.keySet().toString());

        // a retry after a failure that lost two chunks, its records arriving in another order
        List<String> names = new ArrayList<>(first.keySet());
        Files.delete(run.resolve(names.get(1)));
        Files.delete(run.resolve(names.get(names.size() - 1)));
        List<Tuple2<String, Object>> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(5));
        long refitted = commit(jsc, shuffled, committer);
        Map<String, byte[]> second = files(run);
        assertEquals(first.keySet(), second.keySet(), "the same chunks");
        for (String n : first.keySet()) assertArrayEquals(first.get(n), second.get(n), n + " has the same bytes");
        assertTrue(refitted > 0 && refitted <= 8, "only the two lost chunks are fitted again: " + refitted);

        // nothing lost: a third attempt fits nothing
        assertEquals(0, commit(jsc, shuffled, committer));
    }

    static long commit(JavaSparkContext jsc, List<Tuple2<String, Object>> records, ChunkCommitter committer) {
        return jsc.parallelizePairs(records, 3).repartitionAndSortWithinPartitions(new HashPartitioner(2)).mapPartitionsWithIndex(committer, true)
                .collect().stream().mapToLong(Long::longValue).sum();
    }

    static List<Path> listed(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bin") && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    static Map<String, byte[]> files(Path run) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (Path p : listed(run)) m.put(p.getFileName().toString(), Files.readAllBytes(p));
        return m;
    }
}
