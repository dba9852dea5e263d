package org.varpart.cli;

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
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.job.SparkTestSession;
import org.varpart.simulate.StudySimulator;

/**
 * {@code varpart run} as on a cluster: the config file and every path at a URI with a scheme and
 * an authority (as {@code s3a://bucket/...}), in a Spark session created before the run (as a
 * notebook's or Databricks'), with credentials given through every entry.
 */
class ClusterRunTest {
    static final String IMPL = "org.varpart.cli.BucketFileSystem";

    /** Keeps every log event's message and its thrown exception's text, for searching. */
    static final class Captured extends AbstractAppender {
        final List<String> lines = new ArrayList<>();

        Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public synchronized void append(LogEvent e) {
            lines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
                    + (e.getThrown() == null ? "" : " " + e.getThrown()));
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }

    /** What one {@code Main.run} printed and logged, and its exit code. */
    record Outcome(int code, String stdout, String stderr, String log) {}

    /**
     * Runs {@code Main.run(args)} with every log event captured; varpart's own messages at INFO
     * whatever the session's level (Spark's {@code setLogLevel} sets the root's).
     */
    static Outcome runCaptured(String... args) {
        Captured log = new Captured();
        log.start();
        Logger root = (Logger) LogManager.getRootLogger();
        root.addAppender(log);
        org.apache.logging.log4j.Level level = LogManager.getLogger("org.varpart").getLevel();
        Configurator.setLevel("org.varpart", org.apache.logging.log4j.Level.INFO);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            root.removeAppender(log);
            Configurator.setLevel("org.varpart", level);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), log.text());
    }

    @Test
    void aConfigFileAtAUriInASessionThatExists(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get(); // the session exists before the run
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 6, new String[] {"rna"}, 0.0, 8), study);
        String bucket = "bucket://study-bucket";
        Path out = dir.resolve("out");
        Files.writeString(dir.resolve("run.conf"), String.join("\n",
                "samples = " + bucket + study.resolve("samples.tsv"),
                "assay.rna = " + bucket + study.resolve("rna.tsv.gz"),
                "formula = " + StudySimulator.FORMULA,
                "output = " + bucket + out,
                "partitions = 2",
                "progress_seconds = 0",
                "tests = false",
                "spark.hadoop.fs.s3a.secret.key = file-secret-1111",
                "spark.sql.shuffle.partitions = 3",
                ""));
        Outcome o = runCaptured("run", bucket + dir.resolve("run.conf"),
                "--spark.hadoop.fs.bucket.impl=" + IMPL, "--spark.hadoop.fs.bucket.impl.disable.cache=true",
                "--spark.hadoop.fs.s3a.access.key=AKIACLI2222", "--spark.executor.memory=3g",
                "--spark.hadoop.fs.s3a.session.token", "cli-token-3333");
        int code = o.code();
        String stdout = o.stdout(), stderr = o.stderr();
        assertEquals(0, code, stdout + stderr);
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "the output went through the bucket:// URI");
        assertTrue(Files.exists(out.resolve("fractions")));
        // the running session got this run's Hadoop keys and its runtime SQL setting
        assertEquals(IMPL, spark.sparkContext().hadoopConfiguration().get("fs.bucket.impl"));
        assertEquals("file-secret-1111", spark.sparkContext().hadoopConfiguration().get("fs.s3a.secret.key"));
        assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
        // a key that cannot change a running application is named in a warning
        assertTrue(o.log().contains("WARN") && o.log().contains("spark.executor.memory"), o.log());
        List<String> places = new ArrayList<>(List.of(stdout, stderr, o.log()));
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) places.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        for (String text : places) {
            for (String secret : List.of("file-secret-1111", "AKIACLI2222", "cli-token-3333")) assertFalse(text.contains(secret), "a credential was written: " + secret);
        }
        spark.sparkContext().hadoopConfiguration().unset("fs.s3a.secret.key");
        spark.sparkContext().hadoopConfiguration().unset("fs.s3a.access.key");
        spark.sparkContext().hadoopConfiguration().unset("fs.s3a.session.token");
        spark.conf().set("spark.sql.shuffle.partitions", "4");
    }

    @Test
    void gwasLogsItsProgressAndPrintsOnlyItsResult(@TempDir Path dir) throws Exception {
        SparkTestSession.get(); // an existing session: gwas uses it and leaves it running
        Path cohort = dir.resolve("cohort");
        org.varpart.gwas.GwasSimulator.write(new org.varpart.gwas.GwasSimulator.Spec(120, 400, 2, 2, 0.05, 3), cohort);
        Outcome o = runCaptured("gwas", "--genotypes=" + cohort.resolve("cohort"), "--samples=" + cohort.resolve("samples.tsv"),
                "--phenotypes=trait", "--formula=~ age + sex", "--output=" + dir.resolve("out"));
        int code = o.code();
        String err = o.stderr();
        String stdout = o.stdout();
        assertEquals(0, code, stdout + err);
        assertTrue(SparkTestSession.get().sparkContext().isStopped() == false, "the existing session is left running");
        // stdout: the result lines only; the progress (the GRM, each phenotype's fit) went to the log at INFO
        for (String line : stdout.strip().split("\n")) {
            assertTrue(line.matches("varpart: (\\d+ SNPs x \\d+ samples in .*|lambda_GC .*|results in .*)"), "a result line: " + line);
        }
        assertTrue(o.log().contains("INFO org.varpart.gwas.GwasJob varpart: GRM of 120 samples"), o.log());
        assertTrue(o.log().contains("INFO org.varpart.gwas.GwasJob varpart: phenotype trait: n = 120"), o.log());
    }

    @Test
    void aMissingConfigAtAUriKeepsItsSlashes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "bucket://b/study/varpart.conf", "--spark.hadoop.fs.bucket.impl=" + IMPL},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("The config file bucket://b/study/varpart.conf does not exist."), err.toString());
    }

    @Test
    void aFailingRunNamesNoCredential(@TempDir Path dir) throws IOException {
        SparkTestSession.get();
        Files.writeString(dir.resolve("run.conf"), "spark.hadoop.fs.s3a.secret.key = file-secret-8888\nformula = ~ (1 | g)\noutput = " + dir.resolve("out") + "\n");
        Outcome o = runCaptured("run", dir.resolve("run.conf").toString(), "--samples=s3a://AKIAURI4444:uri-secret-5555@bucket/samples.tsv",
                "--assay.rna=gs://bucket/rna.tsv", "--spark.hadoop.fs.s3a.access.key=AKIACLI6666", "--spark.hadoop.fs.s3a.session.token", "cli-token-7777");
        assertEquals(2, o.code(), o.stderr());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
        String all = o.stdout() + o.stderr() + o.log();
        assertTrue(o.stderr().contains("s3a://***@bucket") || o.stderr().contains("s3a"), all);
        for (String secret : List.of("file-secret-8888", "AKIAURI4444", "uri-secret-5555", "AKIACLI6666", "cli-token-7777")) {
            assertFalse(all.contains(secret), "a credential was printed: " + secret + "\n" + all);
        }
        SparkTestSession.get().sparkContext().hadoopConfiguration().unset("fs.s3a.secret.key");
        SparkTestSession.get().sparkContext().hadoopConfiguration().unset("fs.s3a.access.key");
        SparkTestSession.get().sparkContext().hadoopConfiguration().unset("fs.s3a.session.token");
    }

    @Test
    void anUnexpectedErrorIsLoggedWithItsStackTraceRedacted() {
        IllegalStateException cause = new IllegalStateException("connecting with fs.s3a.secret.key=deep-secret-9999");
        Redacted r = Redacted.of(new RuntimeException("wrapped s3a://AKIA1:s2@b/x", cause));
        java.io.StringWriter w = new java.io.StringWriter();
        r.printStackTrace(new java.io.PrintWriter(w));
        String trace = w.toString();
        assertFalse(trace.contains("deep-secret-9999") || trace.contains("AKIA1"), trace);
        assertTrue(trace.contains("java.lang.RuntimeException: wrapped s3a://***@b/x"), trace);
        assertTrue(trace.contains("Caused by: java.lang.IllegalStateException: connecting with fs.s3a.secret.key=***"), trace);
        assertTrue(trace.contains("ClusterRunTest.anUnexpectedErrorIsLoggedWithItsStackTraceRedacted"), "the original stack trace: " + trace);
    }

    @Test
    void theDatabricksFailureLineHidesCredentials() {
        String line = Main.failure(new String[] {"run", "s3a://AKIAURI4444:uri-secret-5555@bucket/varpart.conf",
            "--spark.hadoop.fs.s3a.secret.key=cli-secret-6666", "--spark.hadoop.fs.s3a.access.key", "AKIASEP7777", "--method=REML"}, 2);
        for (String secret : List.of("AKIAURI4444", "uri-secret-5555", "cli-secret-6666", "AKIASEP7777")) assertFalse(line.contains(secret), line);
        assertTrue(line.contains("--method=REML") && line.contains("exit code 2"), line);
    }

    @Test
    void aFlagWithoutItsValueIsNamed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "--tests", "--method=ML"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--tests needs a value"), err.toString());
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("--method=ML needs"), "the flag is named, not the next argument");
        for (String command : List.of("run", "fit", "report", "simulate", "apim", "bench")) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            assertEquals(0, Main.run(new String[] {command, "--help"}, new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8)), command);
            assertTrue(o.size() > 0 && e.size() == 0, command + ": help on stdout only");
            if (command.equals("run")) assertTrue(o.toString(StandardCharsets.UTF_8).contains("Exit codes:"), o.toString());
            o.reset();
            assertEquals(2, Main.run(new String[] {command, "--nope-not-an-option", "--also-not"}, new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8)), command);
            assertTrue(o.size() == 0 && e.toString(StandardCharsets.UTF_8).contains("--nope-not-an-option"), command + ": the error on stderr names the option: " + e);
        }
    }
}
