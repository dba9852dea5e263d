package org.varpart.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.varpart.simulate.StudySimulator;

/** Runs of the job over simulated studies, as the tests set them up. */
final class StudyRuns {
    private StudyRuns() {}

    /**
     * The settings of a run over a study written by {@link StudySimulator}: its sheet, the
     * simulator's formula, no progress lines, and the given assays as {@code name=file} (a file of
     * the study, or any path).
     */
    static Map<String, String> config(Path study, Path out, int partitions, String... assays) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", study.resolve("samples.tsv").toString());
        for (String a : assays) {
            String[] nf = a.split("=", 2);
            c.put("assay." + nf[0], study.resolve(nf[1]).toString());
        }
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", out.toString());
        c.put("partitions", Integer.toString(partitions));
        c.put("progress_seconds", "0");
        return c;
    }

    /** Writes a simulated study into {@code dir}/study; returns its directory. */
    static Path study(Path dir, StudySimulator.Spec spec) throws IOException {
        Path study = dir.resolve("study");
        StudySimulator.write(spec, study);
        return study;
    }

    /** Runs the job, printing nothing; returns its outcome. */
    static VarPartJob.Outcome outcome(SparkSession spark, Map<String, String> c) {
        return VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** Runs the job; returns what it printed. */
    static String run(SparkSession spark, Map<String, String> c) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        VarPartJob.run(spark, JobConfig.of(c, "test"), new PrintStream(log, true, StandardCharsets.UTF_8));
        return log.toString(StandardCharsets.UTF_8);
    }

    /** The lines of a gzip-compressed text file. */
    static List<String> gunzipLines(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }
}
