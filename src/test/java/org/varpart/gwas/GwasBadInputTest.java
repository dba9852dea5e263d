package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.cli.Main;
import org.varpart.job.SparkTestSession;

/**
 * Each bad input of a {@code gwas} run stops it on the driver with the file, the line (or byte)
 * and the value, before any Spark job (counted by a listener), and leaves nothing in the output's
 * directory. One case goes through the command line to check exit code 2.
 */
class GwasBadInputTest {
    @TempDir
    Path dir;

    /** Counts Spark jobs; events arrive asynchronously, so the count is read after a pause. */
    static final class Jobs extends SparkListener {
        volatile int started;

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            started++;
        }
    }

    private Path cohort(Consumer<Path> spoil) throws Exception {
        Path c = dir.resolve("c");
        GwasSimulator.write(new GwasSimulator.Spec(40, 30, 2, 2, 0.1, 3), c);
        spoil.accept(c);
        return c;
    }

    private String fails(Path c, Map<String, String> extra) throws Exception {
        SparkSession spark = SparkTestSession.get();
        Jobs jobs = new Jobs();
        spark.sparkContext().addSparkListener(jobs);
        Map<String, String> keys = new HashMap<>(Map.of("genotypes", c.resolve("cohort").toString(), "samples", c.resolve("samples.tsv").toString(),
                "phenotypes", "trait", "output", dir.resolve("out").toString()));
        keys.putAll(extra);
        InputException e;
        try {
            e = assertThrows(InputException.class, () -> GwasJob.run(spark, GwasConfig.of(keys, "test"), new PrintStream(new ByteArrayOutputStream())));
            Thread.sleep(300);
        } finally {
            spark.sparkContext().removeSparkListener(jobs);
        }
        assertEquals(0, jobs.started, "no Spark job before the check");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of("c"), names, "nothing written beside the inputs");
        }
        return e.getMessage();
    }

    private static void bytes(Path file, Consumer<byte[]> edit) {
        try {
            byte[] b = Files.readAllBytes(file);
            edit.accept(b);
            Files.write(file, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void lines(Path file, Consumer<List<String>> edit) {
        try {
            List<String> l = new ArrayList<>(Files.readAllLines(file));
            edit.accept(l);
            Files.write(file, l);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void has(String message, String... fragments) {
        for (String f : fragments) assertTrue(message.contains(f), "'" + f + "' in: " + message);
    }

    @Test
    void bedWithoutMagicBytes() throws Exception {
        has(fails(cohort(c -> bytes(c.resolve("cohort.bed"), b -> b[0] = 0x00)), Map.of()), "cohort.bed byte 0", "0x00 0x1b", "0x6c 0x1b");
    }

    @Test
    void individualMajorBed() throws Exception {
        has(fails(cohort(c -> bytes(c.resolve("cohort.bed"), b -> b[2] = 0x00)), Map.of()), "cohort.bed byte 2", "individual-major");
    }

    @Test
    void bedOfTheWrongSize() throws Exception {
        Path c = cohort(x -> { });
        byte[] b = Files.readAllBytes(c.resolve("cohort.bed"));
        Files.write(c.resolve("cohort.bed"), java.util.Arrays.copyOf(b, b.length - 1));
        has(fails(c, Map.of()), "cohort.bed", (b.length - 1) + " bytes", "30 SNPs", "40 samples", "need " + b.length);
    }

    @Test
    void duplicateSnpId() throws Exception {
        has(fails(cohort(c -> lines(c.resolve("cohort.bim"), l -> l.set(4, l.get(4).replace("rs5", "rs3")))), Map.of()),
                "cohort.bim line 5", "'rs3' appears twice", "first on line 3");
    }

    @Test
    void duplicateIid() throws Exception {
        has(fails(cohort(c -> lines(c.resolve("cohort.fam"), l -> l.set(6, l.get(6).replace("S00007", "S00002")))), Map.of()),
                "cohort.fam line 7", "'S00002' appears twice");
    }

    @Test
    void phenotypeNotNumeric() throws Exception {
        has(fails(cohort(c -> lines(c.resolve("samples.tsv"), l -> {
            String[] f = l.get(9).split("\t");
            f[5] = "abc";
            l.set(9, String.join("\t", f));
        })), Map.of()),
                "samples.tsv line 10", "column trait", "'abc'");
    }

    @Test
    void constantPhenotype() throws Exception {
        Path c = cohort(x -> lines(x.resolve("samples.tsv"), l -> {
            for (int i = 0; i < l.size(); i++) l.set(i, l.get(i) + (i == 0 ? "\tflat" : "\t2.5"));
        }));
        has(fails(c, Map.of("phenotypes", "flat")), "column flat", "constant (2.5)");
    }

    @Test
    void grmOfTheWrongSize() throws Exception {
        Path c = cohort(x -> { });
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) sb.append("1\t".repeat(38)).append("1\n");
        Files.writeString(c.resolve("k.txt"), sb);
        has(fails(c, Map.of("grm", c.resolve("k.txt").toString())), "k.txt line 1", "39 values", "40 samples");
    }

    @Test
    void grmNotSymmetric() throws Exception {
        Path c = cohort(x -> { });
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 40; j++) sb.append(j == 0 ? "" : "\t").append(i == 5 && j == 2 ? "0.7" : i == j ? "1" : "0");
            sb.append('\n');
        }
        Files.writeString(c.resolve("k.txt"), sb);
        has(fails(c, Map.of("grm", c.resolve("k.txt").toString())), "k.txt line 6, column 3", "not symmetric", "0.7");
    }

    @Test
    void commandLineExitsWithTwo() throws Exception {
        Path c = cohort(x -> bytes(x.resolve("cohort.bed"), b -> b[1] = 0x00));
        SparkTestSession.get();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"gwas", "--genotypes=" + c.resolve("cohort"), "--samples=" + c.resolve("samples.tsv"), "--phenotypes=trait",
            "--output=" + dir.resolve("out")}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        has(err.toString(StandardCharsets.UTF_8), "cohort.bed byte 0");
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
