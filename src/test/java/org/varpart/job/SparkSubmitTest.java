package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.StudySimulator;

/**
 * The application jar through Spark's real submit path: a SPARK_HOME whose jars/ holds the
 * Maven dependencies (Spark, Hadoop, Scala...) but not varpart's own compile-scope ones, which a
 * cluster's Spark lacks; varpart's classes packed into a jar with those (JFreeChart, for the
 * report), as the shade plugin packs the real jar (Spark stays "provided"); and {@code org.apache.spark.deploy.SparkSubmit --master local[2]
 * --class org.varpart.cli.Main app.jar run ...} in a separate JVM, as spark-submit runs it.
 */
class SparkSubmitTest {

    @Test
    void theJarRunsThroughSparkSubmit(@TempDir Path dir) throws Exception {
        Path sparkHome = ChildJvm.sparkHome(dir, "jfreechart");
        Path jars = sparkHome.resolve("jars");
        List<Path> bundled = ChildJvm.classpathJars().stream().filter(p -> p.getFileName().toString().startsWith("jfreechart")).toList();
        Path app = dir.resolve("varpart-app.jar");
        assertEquals(1, bundled.size(), "JFreeChart is a compile-scope dependency: " + bundled);
        packClasses(Path.of("target/classes"), bundled, app);
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(12, 5, 3, 2, 15, new String[] {"rna"}, 0.02, 5), study);
        Path out = dir.resolve("out");

        List<String> cmd = ChildJvm.command("1g", jars + File.separator + "*");
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--class", "org.varpart.cli.Main", app.toString(), "run",
                "--samples=" + study.resolve("samples.tsv"), "--assay.rna=" + study.resolve("rna.tsv.gz"),
                "--formula=" + StudySimulator.FORMULA, "--output=" + out, "--partitions=2", "--progress_seconds=0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spark-submit finished in time");
        String log = Files.readString(dir.resolve("log.txt"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("varpart: 15 features in"), log);
        assertTrue(Files.exists(out.resolve("_SUCCESS")), log);
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"master\": \"local[*]\""), "the config is recorded");
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("data:image/png;base64,") && !report.contains("could not be drawn"),
                "the report's plots are drawn by the jar's JFreeChart, without a display: " + log);
    }

    /** A jar of varpart's own classes and resources and the classes of {@code bundled} jars, with no Spark in it. */
    static void packClasses(Path classes, List<Path> bundled, Path jar) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.varpart.cli.Main");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, mf);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            for (Path b : bundled) {
                try (java.util.jar.JarFile in = new java.util.jar.JarFile(b.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                        if (e.isDirectory() || e.getName().startsWith("META-INF/")) continue;
                        j.putNextEntry(new JarEntry(e.getName()));
                        j.write(in.getInputStream(e).readAllBytes());
                        j.closeEntry();
                    }
                }
            }
        }
        assertTrue(Files.size(jar) < 5_000_000, "the application jar carries no Spark: " + Files.size(jar) + " bytes");
        assertTrue(new String(Files.readAllBytes(jar), StandardCharsets.ISO_8859_1).contains("org/varpart/cli/Main.class"));
    }
}
