package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.StudySimulator;

/**
 * A real multi-process cluster: Spark's {@code local-cluster[2,1,1024]} (a standalone master and
 * two workers, each launching its executor as a JVM of its own from a SPARK_HOME made of the
 * build's jars). One executor is killed (SIGKILL) while features are being fitted; the run still
 * finishes, with every feature and the same numbers as an undisturbed run.
 */
class ExecutorLossTest {
    static final String SECRET = "TOPSECRET-exec-0815", TOKEN = "tok-EXEC-9999";

    @Test
    void theRunSurvivesTheLossOfAnExecutor(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(15, 4, 3, 2, 600, new String[] {"rna"}, 0.02, 33), study);
        Path out = dir.resolve("out");
        Map<String, String> c = StudyRuns.config(study, out, 4, "rna=rna.tsv.gz");
        c.put("chunk_features", "10"); // commits show how far each task has got
        Path work = KillAndResumeTest.workDir(out);

        List<String> args = new ArrayList<>();
        c.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of("--master=local-cluster[2,1,1024]", "--spark.ui.enabled=false",
                "--spark.driver.host=127.0.0.1", "--spark.executor.extraClassPath=" + Path.of("target/classes").toAbsolutePath(),
                "--spark.hadoop.fs.s3a.secret.key=" + SECRET, "--spark.github.token=" + TOKEN));
        Path log = dir.resolve("cluster.log");
        // the workers build each executor's command from SPARK_HOME (jars/) and the Scala version
        Process driver = ChildJvm.varpartRun(log, Map.of("SPARK_HOME", ChildJvm.sparkHome(dir).toString(), "SPARK_SCALA_VERSION", "2.12"),
                args.toArray(new String[0]));
        CompletableFuture<String> undisturbed = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            // both executors are fitting once two partitions have committed a chunk (a task has 15)
            while (partitionsStarted(work) < 2 && driver.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
            List<ProcessHandle> executors = executors(driver);
            assertTrue(driver.isAlive(), "the run was going when fitting began:\n" + Files.readString(log));
            assertEquals(2, executors.size(), "two executor JVMs");
            executors.get(0).destroyForcibly();
            long committed = KillAndResumeTest.committed(work);
            assertTrue(committed < 600, "features remained to fit when the executor died: " + committed + " committed");
            double killedAt = (System.nanoTime() - t0) / 1e9;
            // the undisturbed run to compare with, in this JVM while the cluster recovers and finishes
            SparkSession spark = SparkTestSession.get();
            Path reference = dir.resolve("reference");
            Map<String, String> rc = new LinkedHashMap<>(c);
            rc.put("output", reference.toString());
            undisturbed = CompletableFuture.supplyAsync(() -> StudyRuns.run(spark, rc));
            assertTrue(driver.waitFor(3, TimeUnit.MINUTES), "the run finished in time");
            String text = Files.readString(log);
            assertEquals(0, driver.exitValue(), text);
            assertTrue(text.contains("Lost executor"), "Spark saw the executor go:\n" + text);
            assertTrue(text.contains("Lost task"), "a task that was running on it is retried elsewhere:\n" + text);
            assertTrue(text.contains("varpart: 600 features in"), text);
            assertFalse(text.contains(SECRET) || text.contains(TOKEN), "no credential in the log");

            assertTrue(undisturbed.get(3, TimeUnit.MINUTES).contains("600/600 features fitted"), "the undisturbed run");
            Outputs.assertSameTables(spark, reference, out);
            String runJson = Files.readString(out.resolve("run.json"));
            assertTrue(runJson.contains("\"spark.hadoop.fs.s3a.secret.key\": \"***\"") && runJson.contains("\"spark.github.token\": \"***\""), runJson);
            try (Stream<Path> s = Files.walk(out)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(bytes.contains(SECRET) || bytes.contains(TOKEN), "no credential in " + f);
                }
            }
            System.out.printf("executor loss: executor killed at %.1f s with %d of 600 features committed; whole test %.1f s%n",
                    killedAt, committed, (System.nanoTime() - t0) / 1e9);
            text.lines().filter(l -> l.contains("Lost task") || l.contains("Lost executor")).limit(4).forEach(System.out::println);
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            // a failed check above leaves no job of the undisturbed run going into the next test class
            if (undisturbed != null) undisturbed.handle((r, e) -> r).get(3, TimeUnit.MINUTES);
        }
    }

    /** The number of partitions that have committed a chunk: names are a000-pPPPPPP-cCCCCC.bin. */
    static long partitionsStarted(Path work) throws java.io.IOException {
        return KillAndResumeTest.chunks(work).stream().map(p -> p.getFileName().toString().substring(0, 12)).distinct().count();
    }

    /**
     * The executor JVMs the workers of the driver's local cluster have started: java processes only,
     * not the launcher script that still carries the executor's class name until it execs java.
     */
    static List<ProcessHandle> executors(Process driver) {
        return driver.descendants().filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .filter(h -> h.info().commandLine().map(l -> l.contains("CoarseGrainedExecutorBackend")).orElse(false)
                || h.info().arguments().map(a -> List.of(a).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")).orElse(false))
                .toList();
    }

}
