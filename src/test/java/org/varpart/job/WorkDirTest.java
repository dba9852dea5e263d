package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attempt's output is made of its own chunks and those it took over, nothing written beside it. */
class WorkDirTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void chunksThatAnotherAttemptWritesLaterAreNotRead() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path out = new Path(dir.resolve("out").toString());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        WorkDir work = WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), false, log);
        // a task of a killed driver, still finishing, commits into its own attempt's directory
        java.nio.file.Path zombie = Files.createDirectories(dir.resolve(".out.varpart-work/results/run-0000-zombie0"));
        Files.write(zombie.resolve("part-00000-00000.bin"), new byte[] {1, 2, 3});
        Path own = new Path(work.run, "part-00001-00000.bin");
        fs.create(own).close();
        fs.create(new Path(work.run, ".part-00002-00000.bin.tmp")).close(); // not yet renamed into place
        assertEquals(List.of(fs.makeQualified(own)), work.resultFiles().stream().map(fs::makeQualified).toList());

        work.release(); // the first attempt stopped
        WorkDir second = WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), true, log);
        assertNotEquals(work.output(), second.output(), "each attempt writes its tables in a directory of its own");
        second.release();
    }

    @Test
    void aSecondRunOnTheSameOutputRefusesToStartWhileTheFirstIsAlive() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path out = new Path(dir.resolve("out").toString());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        WorkDir first = WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), false, log);
        Path chunk = new Path(first.run, "a000-p000000-c00000.bin");
        fs.create(chunk).close();
        for (boolean resume : new boolean[] {false, true}) {
            org.varpart.InputException e = org.junit.jupiter.api.Assertions.assertThrows(org.varpart.InputException.class,
                    () -> WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), resume, log));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("Another varpart run is writing the output " + out + ": process "
                    + ProcessHandle.current().pid() + " on " + RunLock.hostName()), e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(fs.exists(chunk), "the first run's work is left alone");
        }
        first.release();
        // a lock left by a process that is gone (a run killed with kill -9) is stale: the next run takes it over
        fs.delete(new Path(first.root, RunLock.NAME), false);
        Process gone = new ProcessBuilder("true").start();
        try {
            gone.waitFor();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        try (java.io.OutputStream o = fs.create(new Path(first.root, RunLock.NAME), true)) {
            o.write((gone.pid() + "\n" + RunLock.hostName() + "\n2026-01-01T00:00:00Z\n").getBytes(StandardCharsets.UTF_8));
        }
        WorkDir next = WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), true, log);
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readAllLines(dir.resolve(".out.varpart-work/lock")).get(0),
                "the resumed run took the stale lock over");
        next.release();
    }
}
