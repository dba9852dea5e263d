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

        WorkDir second = WorkDir.open(fs, out, Map.of("formula", "~ (1 | g)"), false, log);
        assertNotEquals(work.output(), second.output(), "each attempt writes its tables in a directory of its own");
    }
}
