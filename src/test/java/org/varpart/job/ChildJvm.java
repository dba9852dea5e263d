package org.varpart.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a class in a JVM of its own, with the test classpath and the options Spark needs on Java 17. */
final class ChildJvm {
    private ChildJvm() {}

    /** The java command, JVM options and classpath, ready for the main class and its arguments. */
    static List<String> command(String heap, String classpath) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(Files.readString(Path.of("target/classes/org/varpart/jvm-options.txt")).trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx" + heap, "-cp", classpath));
        return cmd;
    }

    /** {@code varpart run ARGS} in a new JVM (Spark embedded, as submit/varpart runs it), output to {@code log}. */
    static Process varpartRun(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = command("1g", System.getProperty("java.class.path"));
        cmd.add("org.varpart.cli.Main");
        cmd.add("run");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The jars of the test classpath (Spark, Hadoop, Scala, varpart's dependencies), JUnit's left out. */
    static List<Path> classpathJars() {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !p.getFileName().toString().startsWith("junit")) out.add(p);
        }
        return out;
    }

    /**
     * A SPARK_HOME whose jars/ links the jars of the test classpath, as spark-submit and a
     * standalone worker expect to find them; jars whose names start with one of {@code leaveOut}
     * are not linked.
     */
    static Path sparkHome(Path dir, String... leaveOut) throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path p : classpathJars()) {
            String name = p.getFileName().toString();
            if (List.of(leaveOut).stream().anyMatch(name::startsWith)) continue;
            Path link = jars.resolve(name);
            if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
        }
        return home;
    }
}
