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
import org.varpart.design.InputException;
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
}
