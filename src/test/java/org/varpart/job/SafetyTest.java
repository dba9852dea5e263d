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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.simulate.StudySimulator;

/** No input becomes a path outside the output, and no credential reaches a log or a file. */
class SafetyTest {

    static Map<Path, Long> tree(Path dir, Path except) throws IOException {
        Map<Path, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.startsWith(except)) m.put(p, Files.isRegularFile(p) ? Files.size(p) : -1L);
            }
        }
        return m;
    }

    @Test
    void namesThatLookLikePathsStayNames(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 8, new String[] {"rna", "protein"}, 0.0, 2), study);
        List<String> features = List.of("../../../escaped", "/tmp/absolute", "..\\\\..\\\\windows", "a/b/../../c", "%2e%2e%2fencoded",
                "~/home", "name with spaces", "$(touch x)");
        Map<String, String> renameSample = Map.of("S0001", "../../S0001", "S0002", "/abs/S0002", "S0003", "..\\\\S0003");
        List<String> sheet = new ArrayList<>();
        for (String l : Files.readAllLines(study.resolve("samples.tsv"))) {
            String[] f = l.split("\t");
            f[0] = renameSample.getOrDefault(f[0], f[0]);
            sheet.add(String.join("\t", f));
        }
        Files.write(study.resolve("samples.tsv"), sheet);
        List<String> assay = new ArrayList<>();
        List<String> original = Files.readAllLines(study.resolve("protein.tsv"));
        String[] header = original.get(0).split("\t");
        for (int j = 1; j < header.length; j++) header[j] = renameSample.getOrDefault(header[j], header[j]);
        assay.add(String.join("\t", header));
        for (int i = 1; i < original.size(); i++) assay.add(features.get(i - 1) + original.get(i).substring(original.get(i).indexOf('\t')));
        Files.write(study.resolve("protein.tsv"), assay);

        Path out = dir.resolve("results").resolve("out");
        Map<Path, Long> before = tree(dir, out);
        Map<String, String> c = StudyRuns.config(study, out, 3, "protein=protein.tsv");
        StudyRuns.run(spark, c);
        Set<String> fitted = new HashSet<>();
        for (Row r : spark.read().parquet(out.resolve("fits").toString()).collectAsList()) fitted.add(r.getString(1));
        assertEquals(new HashSet<>(features), fitted, "every feature, its ID verbatim");
        Map<Path, Long> after = tree(dir, out);
        after.remove(out.getParent()); // the output's parent directory, created for it
        before.remove(out.getParent());
        assertEquals(before, after, "nothing written outside the output");
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                assertFalse(name.contains("escaped") || name.contains("windows") || name.contains("S000"), "no input name in a path: " + p);
            }
        }

        Map<String, String> bad = new LinkedHashMap<>(c);
        bad.put("assay.../evil", study.resolve("rna.tsv.gz").toString());
        InputException e = assertThrows(InputException.class, () -> JobConfig.of(bad, "test"));
        assertTrue(e.getMessage().contains("the assay name '../evil' must start with a letter and use letters, digits and _ only"), e.getMessage());
    }

    @Test
    void credentialsNeverReachTheLogOrTheFiles(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 6, new String[] {"rna"}, 0.0, 8), study);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("spark.hadoop.fs.s3a.secret.key", "s3a-secret-1111");
        secrets.put("spark.hadoop.fs.s3a.access.key", "AKIA2222EXAMPLE");
        secrets.put("spark.hadoop.fs.s3a.session.token", "session-token-3333");
        secrets.put("spark.hadoop.fs.azure.account.key.myaccount.dfs.core.windows.net", "azure-key-4444");
        secrets.put("spark.hadoop.fs.gs.auth.service.account.private.key", "gs-private-5555");
        secrets.put("spark.authenticate.secret", "spark-secret-6666");
        secrets.put("spark.ssl.keyStorePassword", "keystore-7777");
        secrets.put("spark.databricks.credentials", "dbx-8888");
        secrets.put("spark.hadoop.fs.azure.sas.results.myaccount.blob.core.windows.net", "sv=2024&sig=azure-sas-9999");
        Map<String, String> c = StudyRuns.config(study, dir.resolve("out"), 2, "rna=rna.tsv.gz");
        c.put("progress_seconds", "1");
        c.put("spark.executor.memory", "1g");
        c.putAll(secrets);
        JobConfig cfg = JobConfig.of(c, "test");
        for (String k : secrets.keySet()) assertEquals("***", cfg.recorded().get(k), k);
        assertEquals("1g", cfg.recorded().get("spark.executor.memory"), "other settings are recorded as given");
        assertEquals(StudySimulator.FORMULA, cfg.recorded().get("formula"));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        VarPartJob.run(spark, cfg, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> places = new ArrayList<>();
        places.add(log.toString(StandardCharsets.UTF_8));
        try (Stream<Path> s = Files.walk(dir.resolve("out"))) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) places.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        for (String text : places) {
            for (String v : secrets.values()) assertFalse(text.contains(v), "a credential was written: " + v);
        }
        String runJson = Files.readString(dir.resolve("out/run.json"));
        assertTrue(runJson.contains("\"spark.hadoop.fs.s3a.secret.key\": \"***\""), runJson);
        assertTrue(runJson.contains("\"spark.executor.memory\": \"1g\""), runJson);

        // user information in a URI (s3a://KEY:SECRET@bucket) is hidden wherever a path is shown
        assertEquals("s3a://***@bucket/study/rna.tsv.gz", Redaction.text("s3a://AKIA9999:s3cr3t@bucket/study/rna.tsv.gz"));
        assertEquals("The assay file s3a://***@b/x does not exist.", Redaction.text("The assay file s3a://k:s@b/x does not exist."));
        assertEquals("hdfs://namenode:8020/study/rna.tsv.gz", Redaction.text("hdfs://namenode:8020/study/rna.tsv.gz"));
        // Azure's URIs name the container before the '@': not a credential, and needed to tell paths apart
        assertEquals("abfss://study@acct.dfs.core.windows.net/rna.tsv", Redaction.text("abfss://study@acct.dfs.core.windows.net/rna.tsv"));
        assertEquals("wasbs://study@acct.blob.core.windows.net/x", Redaction.text("wasbs://study@acct.blob.core.windows.net/x"));
        assertEquals("s3a://***@b/x", JobConfig.of(Map.of("samples", "s3a://k:s@b/s.tsv", "assay.rna", "s3a://k:s@b/x", "formula", "~ (1|g)",
                "output", "o"), "test").recorded().get("assay.rna"));
        for (String k : List.of("samples", "formula", "fs.s3a.endpoint", "spark.hadoop.fs.s3a.endpoint", "feature_id_column", "chunk_features")) {
            assertFalse(Redaction.isSecretKey(k), k + " is not a credential");
        }
    }

    /** A directory of the given files (name → content). */
    static Path filled(Path dir, String... nameContent) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < nameContent.length; i += 2) Files.writeString(dir.resolve(nameContent[i]), nameContent[i + 1]);
        return dir;
    }

    @Test
    void overwriteReplacesOnlyAVarpartOutputAndNeverAnInput(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 6, new String[] {"rna"}, 0.0, 3), study);
        Files.writeString(study.resolve("NOTES.txt"), "lab notebook");
        Map<Path, Long> inputs = tree(study, dir.resolve("none"));
        Map<String, String> c = StudyRuns.config(study, study, 2, "rna=rna.tsv.gz");
        c.put("overwrite", "true");
        // the output is the directory of the inputs, the sample sheet itself, or a directory inside an assay's
        for (String[] shape : new String[][] {{study.toString(), "holds the input " + study.resolve("samples.tsv")},
                {study.resolve("samples.tsv").toString(), "is the input " + study.resolve("samples.tsv")},
                {study.resolve("rna.tsv.gz").resolve("out").toString(), "lies inside the input " + study.resolve("rna.tsv.gz")},
                {dir.toString(), "holds the input"},
                {study.resolve("sub").resolve("..").toString(), "holds the input"}}) {
            c.put("output", shape[0]);
            InputException e = assertThrows(InputException.class, () -> StudyRuns.run(spark, c), shape[0]);
            assertTrue(e.getMessage().contains(shape[1]) && e.getMessage().contains("varpart never writes"), e.getMessage());
            assertEquals(inputs, tree(study, dir.resolve("none")), "every input and NOTES.txt kept: " + shape[0]);
        }
        // through a symbolic link to the inputs' directory
        Path link = Files.createSymbolicLink(dir.resolve("link"), study);
        c.put("output", link.toString());
        assertThrows(InputException.class, () -> StudyRuns.run(spark, c));
        assertEquals(inputs, tree(study, dir.resolve("none")));

        // a directory that varpart did not write, or a file, is not replaced
        Path foreign = filled(dir.resolve("foreign"), "run.json", "{}", "NOTES.txt", "mine");
        c.put("output", foreign.toString());
        InputException e = assertThrows(InputException.class, () -> StudyRuns.run(spark, c));
        assertTrue(e.getMessage().contains("holds files that varpart did not write (NOTES.txt)"), e.getMessage());
        Path unmarked = filled(dir.resolve("unmarked"), "fits", "");
        c.put("output", unmarked.toString());
        e = assertThrows(InputException.class, () -> StudyRuns.run(spark, c));
        assertTrue(e.getMessage().contains("has no run.json or _SUCCESS, so it is not recognisably a varpart output"), e.getMessage());
        Path file = filled(dir.resolve("d"), "results.txt", "x").resolve("results.txt");
        c.put("output", file.toString());
        e = assertThrows(InputException.class, () -> StudyRuns.run(spark, c));
        assertTrue(e.getMessage().contains("is a file, not a varpart output"), e.getMessage());
        assertEquals("mine", Files.readString(foreign.resolve("NOTES.txt")));
        assertEquals("x", Files.readString(file));

        // an empty directory, and an earlier varpart output, are replaced; without overwrite the second run says how
        Path out = Files.createDirectories(dir.resolve("out"));
        c.put("output", out.toString());
        StudyRuns.run(spark, c);
        String first = Files.readString(out.resolve("run.json"));
        c.remove("overwrite");
        e = assertThrows(InputException.class, () -> StudyRuns.run(spark, c));
        assertTrue(e.getMessage().contains("It is an earlier varpart output, which --overwrite=true replaces with this run's."), e.getMessage());
        c.put("overwrite", "true");
        StudyRuns.run(spark, c);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(first.equals(Files.readString(out.resolve("run.json"))), "the output was replaced");
    }

    @Test
    void secretsInValuesAreRedactedToo() {
        Map<String, String> c = new LinkedHashMap<>(Map.of("samples", "s.tsv", "assay.rna", "r.tsv", "formula", "~ (1|g)", "output", "o"));
        c.put("spark.driver.extraJavaOptions", "-Dfs.s3a.secret.key=s3a-VALUE-1111 -Dhttp.proxyPassword=proxy-2222 -Xmx2g");
        c.put("spark.executor.extraJavaOptions", "-Dhttp.proxyUser=alice -Dfs.s3a.access.key=AKIA3333");
        c.put("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:postgresql://db:5432/metastore?user=hive&password=jdbc-4444&ssl=true");
        c.put("spark.sql.catalog.x.uri", "jdbc:mysql://hive:mysql-5555@db/metastore");
        c.put("spark.sql.catalog.y.url", "jdbc:sqlserver://db;user=sa;password=sqlserver-6666;encrypt=true");
        c.put("spark.hadoop.custom.option", "https://api/x?api_key=apikey-7777&token=tok-8888");
        Map<String, String> recorded = JobConfig.of(c, "test").recorded();
        String all = String.join("\n", recorded.values());
        for (String secret : List.of("s3a-VALUE-1111", "proxy-2222", "AKIA3333", "jdbc-4444", "mysql-5555", "sqlserver-6666", "apikey-7777", "tok-8888")) {
            assertFalse(all.contains(secret), secret + " in " + all);
        }
        assertEquals("-Dfs.s3a.secret.key=*** -Dhttp.proxyPassword=*** -Xmx2g", recorded.get("spark.driver.extraJavaOptions"));
        assertEquals("-Dhttp.proxyUser=alice -Dfs.s3a.access.key=***", recorded.get("spark.executor.extraJavaOptions"));
        assertEquals("jdbc:postgresql://db:5432/metastore?user=hive&password=***&ssl=true", recorded.get("spark.hadoop.javax.jdo.option.ConnectionURL"));
        assertEquals("jdbc:sqlserver://db;user=sa;password=***;encrypt=true", recorded.get("spark.sql.catalog.y.url"));
        assertEquals("Cannot read s3a://***@b/x: token=***", Redaction.text("Cannot read s3a://k:s@b/x: token=abc"));
        assertEquals("~ (1|g)", recorded.get("formula"), "ordinary values as given");
        // the messages that merely speak of keys and values keep their words
        assertEquals("conf line 3: expected 'key = value', found 'x'", Redaction.text("conf line 3: expected 'key = value', found 'x'"));
    }
}
