package org.varpart.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
import org.varpart.job.SparkTestSession;
import org.varpart.job.VarPartJob;
import org.varpart.simulate.StudySimulator;

/**
 * One finished run shared by the report's tests: a small simulated study of two assays, with a
 * constant feature and one with too few values added to the protein assay, run through the job
 * (with the report as the step that {@code varpart run} adds, so that report.html is written before
 * the output is committed).
 */
final class ReportFixture {
    static final String CONSTANT = "protein_const", SPARSE = "protein_sparse";
    private static Path output;
    private static String log;

    private ReportFixture() {}

    static SparkSession spark() {
        return SparkTestSession.get();
    }

    /** The output directory of the run (made on first use). */
    static synchronized Path output() throws IOException {
        if (output != null) return output;
        Path dir = Files.createTempDirectory("varpart-report-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(20, 4, 3, 2, 40, new String[] {"rna", "protein"}, 0.03, 5), study);
        Path protein = study.resolve("protein.tsv");
        int samples = Files.readAllLines(protein).get(0).split("\t").length - 1;
        StringBuilder constant = new StringBuilder(CONSTANT), sparse = new StringBuilder(SPARSE);
        for (int j = 0; j < samples; j++) {
            constant.append("\t4.5");
            sparse.append(j < 3 ? "\t" + (1.5 + j) : "\tNA");
        }
        Files.writeString(protein, constant + "\n" + sparse + "\n", StandardOpenOption.APPEND);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("samples", study.resolve("samples.tsv").toString());
        c.put("assay.rna", study.resolve("rna.tsv.gz").toString());
        c.put("assay.protein", protein.toString());
        c.put("formula", StudySimulator.FORMULA);
        c.put("output", dir.resolve("out").toString());
        c.put("partitions", "3");
        c.put("progress_seconds", "0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VarPartJob.run(spark(), JobConfig.of(c, "test"), new PrintStream(bytes, true, StandardCharsets.UTF_8), Report::write);
        log = bytes.toString(StandardCharsets.UTF_8);
        output = dir.resolve("out");
        return output;
    }

    /** What the run printed. */
    static synchronized String log() throws IOException {
        output();
        return log;
    }

    /** The run's report page. */
    static Path report() throws IOException {
        return output().resolve(Report.FILE);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    static List<String> assays() {
        return List.of("rna", "protein");
    }
}
