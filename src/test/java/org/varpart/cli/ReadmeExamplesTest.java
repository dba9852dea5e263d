package org.varpart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the README's worked examples as a new user would and checks that they print what the
 * README shows. In each example (a {@code ###} part of the section "Worked examples: the classic
 * designs"), every code-block line {@code $ submit/varpart ...} is run in order in a fresh
 * directory, and the lines shown after it must appear in its output in the same order; a line
 * {@code ...} stands for lines left out. A code block without commands shows the first lines of
 * the file the example's last {@code --ranef} option wrote, which must be those lines.
 */
class ReadmeExamplesTest {
    private static final String SECTION = "## Worked examples: the classic designs";
    private static final Set<String> FILE_OPTIONS = Set.of("--data", "--out", "--ranef", "--json");

    /** One command and the output lines the README shows for it; a null command for a file excerpt. */
    record Step(String command, List<String> shown) {}

    @TestFactory
    Stream<DynamicTest> workedExamplesPrintWhatTheReadmeShows() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has the section " + SECTION);
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String[] examples = readme.substring(start, end < 0 ? readme.length() : end).split("\n### ");
        for (int e = 1; e < examples.length; e++) {
            String title = examples[e].substring(0, examples[e].indexOf('\n'));
            List<Step> steps = steps(examples[e]);
            tests.add(DynamicTest.dynamicTest(title, () -> run(steps)));
        }
        assertEquals(5, tests.size(), "five worked examples");
        return tests.stream();
    }

    /** The commands of an example's code blocks with the lines shown after each. */
    static List<Step> steps(String example) {
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        Step current = null;
        for (String line : example.split("\n")) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                current = null;
                continue;
            }
            if (!inBlock) continue;
            if (line.startsWith("$ ")) {
                assertTrue(line.startsWith("$ submit/varpart "), "a README command runs submit/varpart: " + line);
                current = new Step(line.substring("$ submit/varpart ".length()), new ArrayList<>());
                steps.add(current);
            } else {
                if (current == null) {
                    current = new Step(null, new ArrayList<>());
                    steps.add(current);
                }
                current.shown().add(line);
            }
        }
        assertTrue(!steps.isEmpty(), "the example has commands");
        return steps;
    }

    private static void run(List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("varpart-readme");
        try {
            Path ranef = null;
            for (Step s : steps) {
                if (s.command() == null) {
                    assertTrue(ranef != null, "a file excerpt follows a command with --ranef");
                    List<String> head = Files.readAllLines(ranef, StandardCharsets.UTF_8).subList(0, s.shown().size());
                    assertEquals(s.shown(), head, "the first lines of " + ranef.getFileName());
                    continue;
                }
                List<String> args = arguments(s.command(), dir);
                if (args.contains("--ranef")) ranef = Path.of(args.get(args.indexOf("--ranef") + 1));
                FitCommandTest.Run r = FitCommandTest.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), s.command() + "\n" + r.err());
                String out = r.out().replace(dir + java.io.File.separator, "");
                assertShown(s, out.split("\n"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Every line shown appears in the output, in order; "..." skips any lines. */
    private static void assertShown(Step s, String[] output) {
        int at = 0;
        for (String want : s.shown()) {
            if (want.equals("...")) continue;
            int found = -1;
            for (int i = at; i < output.length; i++) {
                if (output[i].stripTrailing().equals(want.stripTrailing())) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                fail("varpart " + s.command() + "\nthe README shows the line\n" + want + "\nwhich is not in the output after line "
                        + at + ":\n" + String.join("\n", output));
            }
            at = found + 1;
        }
    }

    /** The command's words (double quotes group), with its files placed in {@code dir}. */
    static List<String> arguments(String command, Path dir) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : command.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) words.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) words.add(cur.toString());
        for (int i = 0; i + 1 < words.size(); i++) {
            if (FILE_OPTIONS.contains(words.get(i))) words.set(i + 1, dir.resolve(words.get(i + 1)).toString());
        }
        int design = words.indexOf("--design");
        if (words.get(0).equals("simulate") && design >= 0 && !words.contains("--out")) {
            words.add("--out");
            words.add(dir.resolve(words.get(design + 1) + ".csv").toString());
        }
        return words;
    }
}
