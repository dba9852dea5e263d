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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.simulate.StudySimulator;

/**
 * The driver killed mid-run (SIGKILL, a JVM of its own): nothing that looks like a result is left;
 * a plain rerun gives the full result, and {@code --resume} continues from the committed features
 * without refitting them; every table equals that of an undisturbed run.
 */
class KillAndResumeTest {
    static final String SECRET = "TOPSECRET-kill-4711", ACCESS = "AKIAKILLTEST0000";
    /**
     * Features in all (half in each of the two assays): over 16 partitions, enough that the run
     * has most of its work ahead of it when its first chunk is committed.
     */
    static final int FEATURES = 700;

    /** With intervals on, so that a resumed run is shown to reproduce them (seeded per feature, not per task). */
    static Map<String, String> config(Path study, Path out) {
        Map<String, String> c = StudyRuns.config(study, out, 16, "rna=rna.tsv.gz", "protein=protein.tsv");
        c.put("ci", "true");
        c.put("ci_replicates", "10");
        return c;
    }

    /** The committed chunks in a work directory, as seen while a run may be writing there (then polled). */
    static List<Path> chunks(Path work) throws IOException {
        if (!Files.exists(work)) return List.of();
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bin") && !p.getFileName().toString().startsWith(".")).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // a temporary file renamed away while listing: the callers poll, and look again
        }
    }

    @Test
    void killedDriverLeavesNothingCompleteAndResumeFinishesTheSameTables(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(15, 4, 3, 2, FEATURES / 2, new String[] {"rna", "protein"}, 0.02, 21), study);
        Path out = dir.resolve("results").resolve("out");
        Path work = workDir(out);

        List<String> args = new ArrayList<>();
        config(study, out).forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of("--master=local[2]", "--spark.ui.enabled=false", "--spark.driver.host=127.0.0.1",
                "--spark.hadoop.fs.s3a.secret.key=" + SECRET, "--spark.hadoop.fs.s3a.access.key=" + ACCESS));
        Path log = dir.resolve("killed.log");
        Process p = ChildJvm.varpartRun(log, Map.of(), args.toArray(new String[0]));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (chunks(work).isEmpty() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the run was still going when its first chunk was committed:\n" + Files.readString(log));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        double killedAt = (System.nanoTime() - t0) / 1e9;

        // nothing that looks complete: no output directory, only the hidden work directory beside it
        assertFalse(Files.exists(out), "no output after the kill");
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of(work), s.toList(), "only the hidden work directory");
        }
        long committed = committed(work);
        assertTrue(committed > 0 && committed < FEATURES, "killed mid-run: " + committed + " of " + FEATURES + " features committed");
        String killedLog = Files.readString(log);
        try (Stream<Path> s = Files.walk(work)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(SECRET) || bytes.contains(ACCESS), "no credential in " + f);
            }
        }
        assertFalse(killedLog.contains(SECRET) || killedLog.contains(ACCESS), "no credential in the driver's log");

        // a copy of the partial results, to show that a plain rerun starts over
        Path out2 = dir.resolve("results").resolve("out2");
        copyTree(work, workDir(out2));

        // the reference: the same run, undisturbed
        Path reference = dir.resolve("reference");
        StudyRuns.run(spark, config(study, reference));

        // resuming with another formula would mix two analyses: refused, the partial results kept
        Map<String, String> other = config(study, out);
        other.put("formula", "~ age + (1 | patient) + (1 | batch)");
        other.put("resume", "true");
        InputException e = assertThrows(InputException.class, () -> StudyRuns.run(spark, other));
        assertTrue(e.getMessage().contains("--resume: the partial results in") && e.getMessage().contains("formula (was '"
                + StudySimulator.FORMULA + "', now '~ age + (1 | patient) + (1 | batch)')"), e.getMessage());
        assertEquals(committed, committed(work), "the partial results are kept");

        // --resume: the committed features are taken over, the others fitted, the tables equal the reference
        Map<String, String> resume = config(study, out);
        resume.put("resume", "true");
        resume.put("partitions", "5"); // partitioning does not change the results
        long r0 = System.nanoTime();
        ByteArrayOutputStream resumeLog = new ByteArrayOutputStream();
        VarPartJob.Outcome o = VarPartJob.run(spark, JobConfig.of(resume, "test"), new PrintStream(resumeLog, true, StandardCharsets.UTF_8));
        double resumeSeconds = (System.nanoTime() - r0) / 1e9;
        assertEquals(committed, o.resumed(), "every committed feature is taken over");
        assertEquals(FEATURES, o.features());
        String text = resumeLog.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resuming: the results of " + committed + " features fitted by the interrupted run are kept"), text);
        long rest = FEATURES - committed;
        assertTrue(text.contains(rest + "/" + rest + " features fitted"), "only the others are fitted: " + text);
        Outputs.assertSameTables(spark, reference, out);
        assertTrue(spark.read().parquet(reference.resolve("fractions").toString()).filter("ci_lower IS NOT NULL").count() > 0,
                "the compared fractions carry intervals");
        assertFalse(Files.exists(work), "the work directory is removed once the output is in place");

        // a plain rerun of the same command discards the partial results and gives the full result
        String plain = StudyRuns.run(spark, config(study, out2));
        assertTrue(plain.contains("note: discarding the partial results of an earlier run"), plain);
        assertTrue(plain.contains(FEATURES + "/" + FEATURES + " features fitted"), plain);
        Outputs.assertSameTables(spark, reference, out2);
        System.out.printf("kill and resume: killed after %.1f s with %d of %d features committed; resume took %.1f s; whole test %.1f s%n",
                killedAt, committed, FEATURES, resumeSeconds, (System.nanoTime() - t0) / 1e9);
    }

    static Path workDir(Path out) {
        return Path.of(WorkDir.of(new org.apache.hadoop.fs.Path(out.toString())).toString());
    }

    /** The features in the whole chunks of a work directory. */
    static long committed(Path work) throws IOException {
        FileSystem fs = FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
        return WorkDir.chunks(fs, new org.apache.hadoop.fs.Path(work.toString())).stream().mapToLong(c -> c.index().ids().size()).sum();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
