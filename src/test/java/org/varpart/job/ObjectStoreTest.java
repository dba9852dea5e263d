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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.cli.Main;
import org.varpart.simulate.StudySimulator;

/**
 * The job on a real object store: S3Proxy (an S3-compatible server, its file-system backend) on
 * loopback in a JVM of its own (its Jetty 11 apart from Spark's), reached through Hadoop's S3A
 * connector at Spark's Hadoop version (hadoop-aws 3.3.4). A gzip TSV and a wide Parquet assay,
 * the config file and the output are all on {@code s3a://}. A run in a JVM of its own is killed
 * (SIGKILL) once it has committed a chunk: it leaves no output and no {@code _SUCCESS}; {@code
 * --resume} completes it; {@code _SUCCESS} is the output's last file; the tables equal a local
 * run's; the credentials appear in no output, log, {@code run.json} or table.
 *
 * <p>S3A 3.3.4 deletes the "directory marker" objects above every file it writes, with one bulk
 * delete after each write; S3Proxy 2.1.0 never answers that request, so every write waited
 * without end. The test keeps markers ({@code fs.s3a.directory.marker.retention=keep}, which
 * S3A supports since 3.3.1 and AWS recommends for new buckets); nothing else is changed.
 */
class ObjectStoreTest {
    static final String ACCESS = "AKIAVARPARTTEST1", SECRET = "s3-secret-varpart-2222", BUCKET = "study";
    static final int FEATURES = 80;
    /**
     * Partitions of each run: every chunk and every part file is several requests to the store
     * (a write, then a rename, which S3 does as a copy and a delete), so few; enough that the
     * killed run has most of its partitions ahead of it when its first chunk is committed.
     */
    static final int PARTITIONS = 4;

    /** Keeps every log event's message and its exception's text, for searching. */
    static final class Captured extends AbstractAppender {
        final StringBuilder text = new StringBuilder();

        Captured() {
            super("captured-s3", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public synchronized void append(LogEvent e) {
            text.append(e.getLevel()).append(' ').append(e.getMessage().getFormattedMessage())
                    .append(e.getThrown() == null ? "" : " " + e.getThrown()).append('\n');
        }
    }

    @Test
    @Timeout(value = 600)
    void theJobOnS3aKilledAndResumed(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Path jar = Path.of("target/s3proxy/s3proxy.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: target/s3proxy/s3proxy.jar is missing (mvn generate-test-resources copies it from Maven Central)");
        S3Proxy server = S3Proxy.start(jar, dir, ACCESS, SECRET, BUCKET);
        Configuration h = SparkTestSession.get().sparkContext().hadoopConfiguration();
        Process p = null;
        try {
            SparkSession spark = SparkTestSession.get();
            Path study = dir.resolve("study");
            StudySimulator.write(new StudySimulator.Spec(12, 4, 3, 2, FEATURES, new String[] {"rna", "protein"}, 0.0, 8), study);
            Path local = dir.resolve("local-out");
            StudyRuns.outcome(spark, StudyRuns.config(study, local, PARTITIONS, "rna=rna.tsv.gz", "protein=protein.tsv"));

            Map<String, String> s3a = new LinkedHashMap<>(server.s3aSettings());
            Configuration conf = new Configuration(h);
            s3a.forEach(conf::set);
            String root = "s3a://" + BUCKET + "/";
            FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(conf);
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(study.resolve("samples.tsv").toUri()), new org.apache.hadoop.fs.Path(root + "in/samples.tsv"));
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(study.resolve("rna.tsv.gz").toUri()), new org.apache.hadoop.fs.Path(root + "in/rna.tsv.gz"));
            // the protein assay as wide Parquet: the feature ID column first, a column per sample
            Path parquet = dir.resolve("protein.parquet");
            spark.read().option("header", "true").option("sep", "\t").option("inferSchema", "true").csv(study.resolve("protein.tsv").toString())
                    .coalesce(1).write().parquet(parquet.toString());
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(parquet.toUri()), new org.apache.hadoop.fs.Path(root + "in/protein.parquet"));
            try (var w = new PrintStream(fs.create(new org.apache.hadoop.fs.Path(root + "conf/varpart.conf")), true, StandardCharsets.UTF_8)) {
                w.println("samples = " + root + "in/samples.tsv");
                w.println("assay.rna = " + root + "in/rna.tsv.gz");
                w.println("assay.protein = " + root + "in/protein.parquet");
                w.println("formula = " + StudySimulator.FORMULA);
                w.println("output = " + root + "out");
                w.println("partitions = " + PARTITIONS);
                w.println("progress_seconds = 0");
                w.println("spark.hadoop.fs.s3a.secret.key = " + SECRET);
            }
            List<String> argv = new ArrayList<>(List.of(root + "conf/varpart.conf"));
            // the store's keys on the command line: they reach the config file's reading and the session
            s3a.forEach((k, v) -> argv.add("--spark.hadoop." + k + "=" + v));

            // a run in a JVM of its own, killed once it has committed a chunk to the store
            List<String> killedArgs = new ArrayList<>(argv);
            killedArgs.addAll(List.of("--master=local[2]", "--spark.ui.enabled=false", "--spark.driver.host=127.0.0.1"));
            Path killedLog = dir.resolve("killed.log");
            p = ChildJvm.varpartRun(killedLog, Map.of(), killedArgs.toArray(String[]::new));
            org.apache.hadoop.fs.Path work = WorkDir.of(new org.apache.hadoop.fs.Path(root + "out"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8); // a guard against a hang, long enough for busy machines
            while (p.isAlive() && System.nanoTime() < deadline && WorkDir.chunks(fs, work).isEmpty()) Thread.sleep(50);
            assertTrue(p.isAlive(), "the run was still going when its first chunk was committed:\n" + Files.readString(killedLog));
            p.destroyForcibly();
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            double killedAt = (System.nanoTime() - t0) / 1e9;
            long committed = WorkDir.chunks(fs, work).stream().mapToLong(c -> c.index().ids().size()).sum();
            assertTrue(committed > 0 && committed < 2L * FEATURES, "killed mid-run: " + committed + " of " + 2 * FEATURES + " features committed");
            assertFalse(fs.exists(new org.apache.hadoop.fs.Path(root + "out")), "no output, and so no _SUCCESS, after the kill");
            String killedText = Files.readString(killedLog);

            // --resume, in this JVM's session
            List<String> resumeArgs = new ArrayList<>(List.of("run"));
            resumeArgs.addAll(argv);
            resumeArgs.add("--resume=true");
            Captured log = new Captured();
            log.start();
            Logger rootLogger = (Logger) LogManager.getRootLogger();
            rootLogger.addAppender(log);
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            long r0 = System.nanoTime();
            int code;
            try {
                code = Main.run(resumeArgs.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                rootLogger.removeAppender(log);
            }
            double resumeSeconds = (System.nanoTime() - r0) / 1e9;
            String stdout = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, stdout + "\n" + err + "\n" + server.log());
            assertTrue(stdout.contains("(" + committed + " of them fitted by the interrupted run)"), stdout);
            assertFalse(fs.exists(work), "the work directory is gone once the output is in place");

            // _SUCCESS is the output's last file
            long success = -1, latest = -1;
            for (FileStatus f : listAll(fs, new org.apache.hadoop.fs.Path(root + "out"))) {
                if (f.getPath().getName().equals("_SUCCESS") && f.getPath().getParent().getName().equals("out")) success = f.getModificationTime();
                else latest = Math.max(latest, f.getModificationTime());
            }
            assertTrue(success > 0 && success >= latest, "_SUCCESS last: " + success + " vs " + latest);
            Path copy = dir.resolve("s3-out");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "out"), new org.apache.hadoop.fs.Path(copy.toUri()));
            Outputs.assertSameTables(spark, local, copy);

            List<String> places = new ArrayList<>(List.of(stdout, err.toString(StandardCharsets.UTF_8), log.text.toString(), killedText));
            try (Stream<Path> s = Files.walk(copy)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) places.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
            assertTrue(Files.exists(copy.resolve("run.json")), "run.json is among the files searched");
            for (String text : places) assertFalse(text.contains(SECRET) || text.contains(ACCESS), "a credential was written");
            System.out.printf("object store: killed after %.1f s with %d of %d features committed; --resume took %.1f s; the whole test %.1f s%n",
                    killedAt, committed, 2 * FEATURES, resumeSeconds, (System.nanoTime() - t0) / 1e9);
        } finally {
            if (p != null) p.destroyForcibly().waitFor();
            server.stop();
            for (String k : server.s3aSettings().keySet()) h.unset(k);
        }
    }

    static List<FileStatus> listAll(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
        List<FileStatus> all = new ArrayList<>();
        var it = fs.listFiles(p, true);
        while (it.hasNext()) all.add(it.next());
        return all;
    }
}
