package org.varpart.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varpart.io.OutputSchemas;

/**
 * The notebooks in notebooks/ use only what the output documents: every column they name (in
 * Spark's {@code F.col}, {@code select}, {@code groupBy}, join keys, and pandas subscripts) is a
 * column of an output table in {@link OutputSchemas} or one the notebook makes itself (an
 * {@code alias}, {@code withColumn} or {@code count()}); every table they read is one the job
 * writes; and every code cell is valid Python.
 */
class NotebooksTest {
    static final Path DIR = Path.of("notebooks");
    static final Set<String> TABLES = Set.of("fractions", "fits", "fixed_effects", "term_tests", "component_tests", "summary",
            "run.json", "report.html");
    /** The fields of run.json (README: the run.json row), as the job writes them. */
    static final Set<String> RUN_JSON = Set.of("varpart_version", "spark_version", "java_version", "started", "finished",
            "wall_seconds", "config", "assays", "status_counts", "name", "path", "samples", "features",
            "fdr", "formula", "method");

    /** Subscripts that are not of a data frame: the dict matplotlib's violinplot returns. */
    static final Set<String> NOT_COLUMNS = Set.of("bodies");

    private static final String LIT = "[\"']([^\"']+)[\"']";
    /** Where a string literal is a column name. */
    private static final List<Pattern> COLUMN_PLACES = List.of(
            Pattern.compile("\\bcol\\(\\s*" + LIT),
            Pattern.compile("\\bF\\.(?:avg|mean|max|min|sum|count|desc|asc|stddev|percentile_approx|countDistinct)\\(\\s*" + LIT),
            Pattern.compile("\\bsort_values\\(\\s*" + LIT),
            Pattern.compile("\\b(?:index|columns|values)=" + LIT),
            Pattern.compile("\\.loc\\[[^\\]]*,\\s*" + LIT + "\\s*\\]"),
            Pattern.compile("\\[\\s*" + LIT + "\\s*\\]"));
    /** Calls whose literal arguments (or list) are all column names. */
    private static final List<Pattern> COLUMN_LISTS = List.of(
            Pattern.compile("\\.(?:select|groupBy|orderBy|sort|drop|dropDuplicates|partitionBy|pivot)\\(([^()]*)\\)"),
            Pattern.compile("\\bon=\\[([^\\]]*)\\]"),
            Pattern.compile("\\bindex=\\[([^\\]]*)\\]"));
    private static final List<Pattern> DERIVED = List.of(
            Pattern.compile("\\.alias\\(\\s*" + LIT),
            Pattern.compile("\\.withColumn\\(\\s*" + LIT),
            Pattern.compile("\\.withColumnRenamed\\(\\s*" + LIT + "\\s*,\\s*" + LIT));
    private static final Pattern ANY_LITERAL = Pattern.compile(LIT);

    /** The notebook's code cells, each as one string. */
    static List<String> codeCells(Path notebook) throws IOException {
        JsonNode nb = new ObjectMapper().readTree(Files.readString(notebook));
        assertEquals(4, nb.path("nbformat").asInt(), notebook + ": nbformat 4");
        List<String> cells = new ArrayList<>();
        for (JsonNode c : nb.path("cells")) {
            StringBuilder src = new StringBuilder();
            c.path("source").forEach(l -> src.append(l.asText()));
            if (c.path("cell_type").asText().equals("code")) {
                assertEquals(0, c.path("outputs").size(), notebook + ": notebooks are kept without outputs");
                cells.add(src.toString());
            }
        }
        return cells;
    }

    static Set<String> documentedColumns() {
        Set<String> all = new TreeSet<>();
        for (String[] t : List.of(OutputSchemas.FITS, OutputSchemas.FRACTIONS, OutputSchemas.FIXED_EFFECTS, OutputSchemas.TERM_TESTS,
                OutputSchemas.COMPONENT_TESTS, OutputSchemas.SUMMARY, OutputSchemas.COUNTS_FITS, OutputSchemas.COUNTS_FIXED_EFFECTS,
                OutputSchemas.COUNTS_SUMMARY, OutputSchemas.MEAN_VARIANCE)) all.addAll(Arrays.asList(t));
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-run-on-databricks.ipynb", "02-explore-results.ipynb"})
    void everyColumnANotebookNamesIsInTheOutputSchema(String name) throws IOException {
        String code = String.join("\n", codeCells(DIR.resolve(name)));
        Set<String> derived = new TreeSet<>(Set.of("count")); // groupBy(...).count() adds "count"
        for (Pattern p : DERIVED) {
            Matcher m = p.matcher(code);
            while (m.find()) derived.add(m.group(m.groupCount()));
        }
        Set<String> named = new TreeSet<>();
        for (Pattern p : COLUMN_PLACES) {
            Matcher m = p.matcher(code);
            while (m.find()) named.add(m.group(1));
        }
        for (Pattern p : COLUMN_LISTS) {
            Matcher m = p.matcher(code);
            while (m.find()) {
                Matcher lit = ANY_LITERAL.matcher(m.group(1));
                while (lit.find()) named.add(lit.group(1));
            }
        }
        Set<String> documented = documentedColumns();
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(documented);
        unknown.removeAll(derived);
        unknown.removeAll(NOT_COLUMNS);
        assertEquals(Set.of(), unknown, name + " names columns that no output table has (documented: " + documented + ")");
        Set<String> used = new TreeSet<>(named);
        used.retainAll(documented);
        assertTrue(used.size() >= 5, name + " names the output's columns: " + used);

        Matcher tables = Pattern.compile("\\{OUTPUT\\}/([A-Za-z_.]+)|\\btable\\(\\s*" + LIT).matcher(code);
        int reads = 0;
        while (tables.find()) {
            String t = tables.group(1) != null ? tables.group(1) : tables.group(2);
            assertTrue(TABLES.contains(t), name + " reads '" + t + "', which the job does not write");
            reads++;
        }
        assertTrue(reads >= 2, name + " reads the output's tables");
        Matcher fields = Pattern.compile("\\.get\\(\\s*" + LIT).matcher(code);
        while (fields.find()) assertTrue(RUN_JSON.contains(fields.group(1)), name + " reads run.json field '" + fields.group(1) + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-run-on-databricks.ipynb", "02-explore-results.ipynb"})
    void everyCodeCellIsValidPython(String name) throws Exception {
        Optional<Path> python = onPath("python3");
        Assumptions.assumeTrue(python.isPresent(), "no python3 on the PATH to parse the notebooks' code with");
        List<String> cells = codeCells(DIR.resolve(name));
        Path dir = Files.createTempDirectory("varpart-notebook");
        try {
            List<String> args = new ArrayList<>(List.of(python.get().toString(), "-c",
                    "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding='utf-8').read(), f)"));
            for (int i = 0; i < cells.size(); i++) {
                Path f = dir.resolve("cell" + i + ".py");
                Files.writeString(f, cells.get(i), StandardCharsets.UTF_8);
                args.add(f.toString());
            }
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), name + ": " + out);
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : (Iterable<Path>) s::iterator) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    static Optional<Path> onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
