package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.cli.Main;
import org.varpart.simulate.StudySimulator;

/**
 * (Not finished: runs only with {@code -Dvarpart.test.s3=true}.) The job on a real object store: S3Proxy (an S3-compatible server, its filesystem backend) on
 * loopback in a JVM of its own, reached through Hadoop's S3A connector at Spark's Hadoop version.
 * A gzip TSV and a Parquet assay, the config file and the output are all on {@code s3a://}; the
 * tables equal a local run's, {@code _SUCCESS} is the output's last file, and the credentials
 * appear nowhere.
 */
class ObjectStoreTest {
    static final String ACCESS = "AKIAVARPARTTEST1", SECRET = "s3-secret-varpart-2222", BUCKET = "study";

    @Test
    @org.junit.jupiter.api.Timeout(value = 300)
    void theJobOnS3a(@TempDir Path dir) throws Exception {
        // unfinished: uploads to S3Proxy through S3A 3.3.4 have been seen to wait without end in this
        // test, so it runs only when asked for, until that is understood
        Assumptions.assumeTrue(Boolean.getBoolean("varpart.test.s3"),
                "skipped: the object-store test is not finished (uploads through S3A to S3Proxy may wait without end); -Dvarpart.test.s3=true runs it");
        Path jar = Path.of("target/s3proxy/s3proxy.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: target/s3proxy/s3proxy.jar is missing (mvn generate-test-resources copies it)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.createDirectories(store.resolve(BUCKET));
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS, "s3proxy.credential=" + SECRET, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store, "jclouds.identity=" + ACCESS, "jclouds.credential=" + SECRET, ""));
        Path serverLog = dir.resolve("s3proxy.log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--properties", props.toString()).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        long t0 = System.nanoTime();
        try {
            waitFor(port, server, serverLog);
            SparkSession spark = SparkTestSession.get();
            Path study = dir.resolve("study");
            StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 8, new String[] {"rna", "protein"}, 0.0, 8), study);
            Path local = dir.resolve("local-out");
            StudyRuns.outcome(spark, StudyRuns.config(study, local, 2, "rna=rna.tsv.gz", "protein=protein.tsv"));

            Map<String, String> s3a = Map.of("fs.s3a.endpoint", "http://127.0.0.1:" + port, "fs.s3a.path.style.access", "true",
                    "fs.s3a.connection.ssl.enabled", "false", "fs.s3a.access.key", ACCESS, "fs.s3a.secret.key", SECRET,
                    "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                    "fs.s3a.endpoint.region", "us-east-1", "fs.s3a.attempts.maximum", "2", "fs.s3a.retry.limit", "2");
            Configuration hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());
            s3a.forEach(hadoop::set);
            String root = "s3a://" + BUCKET + "/";
            FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(hadoop);
            upload(fs, study.resolve("samples.tsv"), root + "in/samples.tsv");
            upload(fs, study.resolve("rna.tsv.gz"), root + "in/rna.tsv.gz");
            // the protein assay as wide Parquet: the feature ID column first, a column per sample
            Path parquet = dir.resolve("protein.parquet");
            spark.read().option("header", "true").option("sep", "\t").option("inferSchema", "true").csv(study.resolve("protein.tsv").toString())
                    .coalesce(1).write().parquet(parquet.toString());
            // file by file: S3A 3.3.4's copy of a local directory waits forever on its own upload pool
            try (Stream<Path> files = Files.list(parquet)) {
                for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".parquet"))::iterator) {
                    upload(fs, f, root + "in/protein.parquet/" + f.getFileName());
                }
            }
            try (var w = new PrintStream(fs.create(new org.apache.hadoop.fs.Path(root + "conf/varpart.conf")), true, StandardCharsets.UTF_8)) {
                w.println("samples = " + root + "in/samples.tsv");
                w.println("assay.rna = " + root + "in/rna.tsv.gz");
                w.println("assay.protein = " + root + "in/protein.parquet");
                w.println("formula = " + StudySimulator.FORMULA);
                w.println("output = " + root + "out");
                w.println("partitions = 2");
                w.println("progress_seconds = 0");
                w.println("spark.hadoop.fs.s3a.secret.key = " + SECRET);
            }
            List<String> argv = new ArrayList<>(List.of("run", root + "conf/varpart.conf"));
            // the store's keys on the command line: they reach the config file's reading, and the session
            s3a.forEach((k, v) -> argv.add("--spark.hadoop." + k + "=" + v));
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            long r0 = System.nanoTime();
            int code = Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            double runSeconds = (System.nanoTime() - r0) / 1e9;
            assertEquals(0, code, out + "\n" + err + "\n" + Files.readString(serverLog));

            // _SUCCESS is the output's last file
            long success = -1, latest = -1;
            for (FileStatus f : listAll(fs, new org.apache.hadoop.fs.Path(root + "out"))) {
                if (f.getPath().getName().equals("_SUCCESS") && f.getPath().getParent().getName().equals("out")) success = f.getModificationTime();
                else latest = Math.max(latest, f.getModificationTime());
            }
            assertTrue(success >= latest && success > 0, "_SUCCESS last: " + success + " vs " + latest);
            Path copy = dir.resolve("s3-out");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "out"), new org.apache.hadoop.fs.Path(copy.toUri()));
            Outputs.assertSameTables(spark, local, copy);

            List<String> places = new ArrayList<>(List.of(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
            try (Stream<Path> s = Files.walk(copy)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) places.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
            for (String text : places) assertFalse(text.contains(SECRET) || text.contains(ACCESS), "a credential was written");
            System.out.printf("object store: the run on s3a:// took %.1f s; the whole test %.1f s%n", runSeconds, (System.nanoTime() - t0) / 1e9);
        } finally {
            server.destroy();
            server.waitFor();
            Configuration h = SparkTestSession.get().sparkContext().hadoopConfiguration();
            for (String k : List.of("fs.s3a.secret.key", "fs.s3a.access.key", "fs.s3a.endpoint")) h.unset(k);
        }
    }

    /** Writes a local file to the store as one stream (S3A 3.3.4's copyFromLocalFile waits forever on its upload pool here). */
    static void upload(FileSystem fs, Path local, String dest) throws IOException {
        try (var out = fs.create(new org.apache.hadoop.fs.Path(dest), true)) {
            Files.copy(local, out);
        }
    }

    static List<FileStatus> listAll(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
        List<FileStatus> all = new ArrayList<>();
        var it = fs.listFiles(p, true);
        while (it.hasNext()) all.add(it.next());
        return all;
    }

    static void waitFor(int port, Process server, Path log) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!server.isAlive()) throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("S3Proxy did not listen within 30 s: " + Files.readString(log));
    }
}
