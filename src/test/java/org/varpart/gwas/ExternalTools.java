package org.varpart.gwas;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds and runs the reference tools (GEMMA, PLINK 2) of the GWAS tests. */
final class ExternalTools {
    private ExternalTools() {}

    /** The tool's path on the PATH, if any. */
    static Optional<String> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p.toString());
        }
        return Optional.empty();
    }

    /** Runs a command in {@code dir}; fails with its output when it exits non-zero. */
    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "tool", ".log");
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException(String.join(" ", command) + " exited with " + rc + ":\n" + Files.readString(log));
    }

    /** Whitespace-separated rows of a text file, the header included. */
    static List<String[]> rows(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) out.add(line.trim().split("\\s+"));
        return out;
    }
}
