package org.varpart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/code-map.md, checked on the code of src/main (comments and string
 * literals left out, so that only references the compiler sees count, imported or written out in
 * full): the numeric core never uses Spark or Hadoop; {@code design} never uses {@code io};
 * {@code job} never uses {@code report} or {@code cli}; nothing uses {@code cli}; every package
 * uses only packages below it in {@link #LAYERS}, so that there is no cycle; no main source
 * file is much longer than 300 lines; every main file opens with what it is for; the
 * {@code docs/} sections the code cites exist; and the code map has a line for every main class.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of("src/main/java/org/varpart");

    /** The packages from the bottom up ("" is the root package, home of {@link InputException}). */
    static final List<String> LAYERS = List.of("", "formula", "design", "lmm", "stats", "counts", "io", "simulate", "job", "report",
            "gwas", "bench", "cli");
    /** The packages that are a library without Spark: a test, a notebook or another JVM program calls them directly. */
    static final Set<String> CORE = Set.of("", "formula", "design", "lmm", "stats");
    /** The longest main source file allowed ("about 300 lines"). */
    static final int MAX_LINES = 320;

    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.varpart\\.(?:([a-z]\\w*)\\.)?[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package org\\.varpart(?:\\.(\\w+))?;", Pattern.MULTILINE);

    /** One main source file: its package ("" for the root), its code without comments and literals, its line count. */
    record Source(Path path, String pkg, String code, long lines) {
        /** The other packages of varpart this file refers to. */
        Set<String> uses() {
            Set<String> out = new TreeSet<>();
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String p = m.group(1) == null ? "" : m.group(1);
                if (!p.equals(pkg)) out.add(p);
            }
            return out;
        }

        boolean mentions(String prefix) {
            return code.contains(prefix);
        }
    }

    private static List<Source> sources;

    @BeforeAll
    static void read() throws IOException {
        sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                Matcher m = PACKAGE.matcher(text);
                assertTrue(m.find(), p + " has no package line");
                sources.add(new Source(p, m.group(1) == null ? "" : m.group(1), code(text), text.lines().count()));
            }
        }
        assertTrue(sources.size() > 100, "the main sources were not found under " + MAIN.toAbsolutePath());
    }

    /** Java text with comments, string and character literals (text blocks included) blanked out. */
    static String code(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') i++;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (text.startsWith("\"\"\"", i)) {
                int j = i + 3;
                while (j < n && !text.startsWith("\"\"\"", j)) j += text.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(n, j + 3);
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') j += text.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(n, j + 1);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void theCodeReaderSeesReferencesButNotCommentsOrStrings() {
        String text = "package org.varpart.job;\n// org.varpart.report.Report\n/** {@link org.varpart.cli.Main} */\n"
                + "class A { String s = \"org.varpart.cli.Main\"; String t = \"\"\"\n org.varpart.cli.Main \"\"\";\n"
                + " char q = '\"'; Object o = org.varpart.report.Report.FILE; }\n";
        Source s = new Source(Path.of("A.java"), "job", code(text), 1);
        assertEquals(Set.of("report"), s.uses());
        assertEquals(Set.of("gwas", ""), new Source(Path.of("B.java"), "job",
                code("import org.varpart.gwas.GwasJob;\nimport org.varpart.InputException;\n"), 1).uses());
    }

    @Test
    void everyPackageIsALayer() {
        for (Source s : sources) assertTrue(LAYERS.contains(s.pkg()), s.path() + ": the package '" + s.pkg() + "' is not in LAYERS");
    }

    @Test
    void theNumericCoreUsesNeitherSparkNorHadoop() {
        List<String> bad = new ArrayList<>();
        for (Source s : sources) {
            if (!CORE.contains(s.pkg())) continue;
            for (String other : List.of("org.apache.spark", "org.apache.hadoop", "scala.")) {
                if (s.mentions(other)) bad.add(s.path() + " uses " + other);
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void namedRulesHold() {
        List<String> bad = new ArrayList<>();
        for (Source s : sources) {
            Set<String> uses = s.uses();
            if (s.pkg().equals("design") && uses.contains("io")) bad.add(s.path() + ": design uses io (io reads text into design's tables)");
            if (s.pkg().equals("job") && uses.contains("report")) bad.add(s.path() + ": job uses report (the cli adds the report)");
            if (!s.pkg().equals("cli") && uses.contains("cli")) bad.add(s.path() + ": uses cli, which nothing may use");
        }
        assertEquals(List.of(), bad);
    }

    /** Every package uses only packages below it in {@link #LAYERS}; the package graph has no cycle. */
    @Test
    void packagesUseOnlyLowerLayers() {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (Source s : sources) {
            for (String used : s.uses()) {
                graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(used);
                if (LAYERS.indexOf(used) >= LAYERS.indexOf(s.pkg())) {
                    bad.add(s.path() + ": '" + s.pkg() + "' uses '" + used + "', which is not below it");
                }
            }
        }
        assertEquals(List.of(), bad, "package graph: " + graph);
        assertFalse(graph.isEmpty());
    }

    @Test
    void noMainSourceFileIsMuchOver300Lines() {
        List<String> bad = new ArrayList<>();
        for (Source s : sources) if (s.lines() > MAX_LINES) bad.add(s.path() + ": " + s.lines() + " lines");
        assertEquals(List.of(), bad);
    }

    /** Every {@code docs/FILE.md#section} that a main file cites is a heading of that file (GitHub's anchors). */
    @Test
    void citedDocumentSectionsExist() throws IOException {
        Pattern cite = Pattern.compile("docs/([\\w-]+\\.md)(?:#([\\w-]+))?");
        List<String> bad = new ArrayList<>();
        int cited = 0;
        for (Source s : sources) {
            Matcher m = cite.matcher(Files.readString(s.path(), StandardCharsets.UTF_8));
            while (m.find()) {
                cited++;
                Path doc = Path.of("docs", m.group(1));
                if (!Files.exists(doc)) {
                    bad.add(s.path() + " cites " + m.group() + ", which does not exist");
                } else if (m.group(2) != null && !anchors(doc).contains(m.group(2))) {
                    bad.add(s.path() + " cites " + m.group() + ": no such heading");
                }
            }
        }
        assertEquals(List.of(), bad);
        assertTrue(cited > 0, "no citation found");
    }

    /** The anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(Path doc) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#")) continue;
            String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT);
            out.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return out;
    }

    /** docs/code-map.md gives every main class a line, and names no class that does not exist. */
    @Test
    void theCodeMapNamesEveryClass() throws IOException {
        String map = Files.readString(Path.of("docs/code-map.md"), StandardCharsets.UTF_8);
        Set<String> classes = new TreeSet<>();
        for (Source s : sources) classes.add(s.path().getFileName().toString().replace(".java", ""));
        List<String> missing = new ArrayList<>();
        for (String c : classes) if (!map.contains("`" + c + "`")) missing.add(c);
        assertEquals(List.of(), missing, "classes without a line in docs/code-map.md");
        Set<String> listed = new TreeSet<>();
        // the class lines follow the rules, from the first package's heading on
        Matcher m = Pattern.compile("(?m)^- `(\\w+)`").matcher(map.substring(map.indexOf("\n## (root)")));
        while (m.find()) listed.add(m.group(1));
        listed.removeAll(classes);
        assertEquals(Set.of(), listed, "lines of docs/code-map.md for classes that do not exist");
    }

    @Test
    void everyMainFileOpensWithWhatItIsFor() throws IOException {
        Pattern type = Pattern.compile("^(public |final |abstract |sealed |non-sealed )*(class|interface|record|enum|@interface) ",
                Pattern.MULTILINE);
        List<String> bad = new ArrayList<>();
        for (Source s : sources) {
            String text = Files.readString(s.path(), StandardCharsets.UTF_8);
            Matcher m = type.matcher(text);
            if (!m.find()) {
                bad.add(s.path() + ": no top-level type");
                continue;
            }
            String before = text.substring(0, m.start()).strip();
            while (before.endsWith(")") || before.matches("(?s).*@\\w+$")) before = before.replaceAll("(?s)\\s*@\\w+(\\([^)]*\\))?$", "").strip();
            if (!before.endsWith("*/") || before.lastIndexOf("/**") < 0) bad.add(s.path() + ": no opening Javadoc before its type");
        }
        assertEquals(List.of(), bad);
    }
}
