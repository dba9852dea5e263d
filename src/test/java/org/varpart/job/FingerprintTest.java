package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.varpart.simulate.StudySimulator;

/**
 * What a resumed run must match: an input rewritten with the same size and modification time
 * (a copy that keeps times, a value changed digit for digit) still changes the fingerprint.
 */
class FingerprintTest extends SimulatedStudyTest {
    @BeforeAll
    static void setUp() throws IOException {
        simulate(new StudySimulator.Spec(12, 3, 2, 2, 20, new String[] {"rna", "protein"}, 0.0, 5));
    }

    static Map<String, String> fingerprint(Map<String, String> c) {
        JobConfig cfg = JobConfig.of(c, "test");
        return Fingerprint.of(cfg, Plan.of(spark, cfg), spark.sparkContext().hadoopConfiguration());
    }

    /** The keys whose values differ. */
    static List<String> changed(Map<String, String> a, Map<String, String> b) {
        List<String> out = new ArrayList<>();
        for (String k : new TreeSet<>(a.keySet())) if (!a.get(k).equals(b.get(k))) out.add(k);
        return out;
    }

    /** Replaces the first occurrence of {@code from} in the file by {@code to} (same length), keeping its time. */
    static void rewriteInPlace(Path file, String from, String to) throws IOException {
        assertEquals(from.length(), to.length());
        FileTime time = Files.getLastModifiedTime(file);
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
        Files.setLastModifiedTime(file, time);
    }

    @Test
    void aChangedValueWithTheSameSizeAndTimeIsNoticed() throws IOException {
        Map<String, String> c = StudyRuns.config(study, dir.resolve("out"), 2, "protein=protein.tsv");
        Map<String, String> before = fingerprint(c);
        assertEquals(before, fingerprint(c), "the same inputs give the same fingerprint");

        String line = Files.readAllLines(study.resolve("protein.tsv")).get(3);
        String cell = line.split("\t")[5];
        String other = cell.substring(0, cell.length() - 1) + (cell.endsWith("1") ? "2" : "1");
        rewriteInPlace(study.resolve("protein.tsv"), "\t" + cell + "\t", "\t" + other + "\t");
        assertEquals(List.of("content of assay.protein"), changed(before, fingerprint(c)));
    }

    @Test
    void aChangedCovariateWithTheSameSizeAndTimeIsNoticed() throws IOException {
        Map<String, String> c = StudyRuns.config(study, dir.resolve("out"), 2, "rna=rna.tsv.gz");
        Map<String, String> before = fingerprint(c);
        rewriteInPlace(study.resolve("samples.tsv"), "\tM\n", "\tF\n");
        assertEquals(List.of("content of samples"), changed(before, fingerprint(c)));
    }
}
