package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.CountsSimulator;
import org.varpart.simulate.StudySimulator;

/**
 * A run with a counts assay whose driver is killed (SIGKILL, a JVM of its own) while it commits
 * the counts assay's weighted fits: nothing that looks complete is left, the committed
 * {@code .counts} chunks hold part of the features, and {@code --resume} takes them over, fits
 * only the others and writes tables equal, number for number, to those of an undisturbed run.
 * The resume keeps the partition count: a counts assay's library sizes are sums over partitions,
 * so another count could move them, and every weight, in the last bit.
 */
class CountsKillAndResumeTest {
    static final int FEATURES = 300;

    static Map<String, String> config(Path study, Path out) {
        Map<String, String> c = StudyRuns.config(study, out, 6, "rna=rna.tsv.gz");
        c.put("counts.rnaseq", study.resolve("rnaseq.tsv.gz").toString());
        c.put("contrast.M_minus_F", "sexM");
        c.put("chunk_features", "4");
        return c;
    }

    static List<Path> countsChunks(Path work) throws IOException {
        if (!Files.exists(work)) return List.of();
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(p -> p.getFileName().toString().endsWith(CountsCommitter.SUFFIX) && !p.getFileName().toString().startsWith(".")).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // a temporary file renamed away while listing: look again
        }
    }

    @Test
    void killedWhileCommittingCountsFitsThenResumedGivesTheSameTables(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(15, 4, 3, 2, FEATURES, new String[] {"rna"}, 0.02, 21), study);
        CountsSimulator.write(study, "rnaseq", FEATURES, 5);
        Path out = dir.resolve("results").resolve("out");
        Path work = KillAndResumeTest.workDir(out);

        List<String> args = new ArrayList<>();
        config(study, out).forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of("--master=local[2]", "--spark.ui.enabled=false", "--spark.driver.host=127.0.0.1"));
        Path log = dir.resolve("killed.log");
        Process p = ChildJvm.varpartRun(log, Map.of(), args.toArray(new String[0]));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (countsChunks(work).isEmpty() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the run was still going when its first counts chunk was committed:\n" + Files.readString(log));
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertFalse(Files.exists(out), "no output after the kill");
        long committed = 0;
        for (Path c : countsChunks(work)) {
            committed += CountsCommitter.read(new org.apache.hadoop.fs.Path(c.toString()),
                    new org.varpart.io.HadoopConf(new org.apache.hadoop.conf.Configuration())).size();
        }
        assertTrue(committed > 0 && committed < FEATURES, "killed mid-pass: " + committed + " counts features committed");

        Path reference = dir.resolve("reference");
        StudyRuns.run(spark, config(study, reference));

        Map<String, String> resume = config(study, out);
        resume.put("resume", "true");
        ByteArrayOutputStream resumeLog = new ByteArrayOutputStream();
        VarPartJob.run(spark, JobConfig.of(resume, "test"), new PrintStream(resumeLog, true, StandardCharsets.UTF_8));
        String text = resumeLog.toString(StandardCharsets.UTF_8);
        long kept = countsKept(text);
        assertEquals(committed, kept, "every committed counts feature is taken over: " + text);
        Outputs.assertSameTables(spark, reference, out);
        List<Row> mvRef = spark.read().parquet(reference.resolve("mean_variance").toString()).orderBy("assay", "feature").collectAsList();
        List<Row> mv = spark.read().parquet(out.resolve("mean_variance").toString()).orderBy("assay", "feature").collectAsList();
        assertEquals(mvRef, mv, "voom's points");
        assertTrue(spark.read().parquet(out.resolve("fixed_effects").toString()).filter("assay = 'rnaseq' AND moderated_t IS NOT NULL").count() > 0,
                "the compared tables hold the counts assay's moderated tests");
        assertFalse(Files.exists(work), "the work directory is removed once the output is in place");
        System.out.printf("counts kill and resume: %d counts features committed before the kill, %d taken over%n", committed, kept);
    }

    /** The number in "the weighted fits of N features of assay rnaseq ... are kept". */
    static long countsKept(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("the weighted fits of (\\d+) features of assay rnaseq").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
