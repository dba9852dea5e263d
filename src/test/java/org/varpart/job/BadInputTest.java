package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;
import org.varpart.formula.FormulaException;
import org.varpart.simulate.StudySimulator;

/**
 * Every run-level bad input of the README's table: the run fails before any Spark job (a Parquet
 * assay's key check excepted, which is one job over its ID columns), with one message naming the
 * file, line, column and value, and writes nothing anywhere.
 */
class BadInputTest {
    static SparkSession spark;
    static SparkJobs jobs;
    @TempDir
    static Path dir;
    static Path study;
    /** The assay as plain TSV lines: header, then 20 features over 48 samples. */
    static List<String> lines;
    static List<String> sheet;
    static final Map<String, String> REPORT = new TreeMap<>();
    static int outputs;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkTestSession.get();
        jobs = SparkJobs.on(spark);
        study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(12, 4, 3, 2, 20, new String[] {"rna"}, 0.0, 5), study);
        lines = StudyRuns.gunzipLines(study.resolve("rna.tsv.gz"));
        sheet = Files.readAllLines(study.resolve("samples.tsv"));
    }

    @AfterAll
    static void report() {
        System.out.println("bad inputs tried: " + REPORT.size());
        REPORT.forEach((k, v) -> System.out.println("  " + k + " -> " + v));
    }

    static Map<String, String> config(Path assay) {
        return StudyRuns.config(study, dir.resolve("out-" + outputs++), 2, "rna=" + assay);
    }

    static Path file(String name, List<String> content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** The assay's lines with line {@code no} (1-based; 1 is the header) replaced. */
    static List<String> withLine(int no, String text) {
        List<String> l = new ArrayList<>(lines);
        l.set(no - 1, text);
        return l;
    }

    static String[] cells(int no) {
        return lines.get(no - 1).split("\t", -1);
    }

    static Map<Path, Long> everything() throws IOException {
        Map<Path, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) m.put(p, Files.isRegularFile(p) ? Files.size(p) : -1L);
        }
        return m;
    }

    /**
     * Runs {@code c}, which must fail with a message holding every fragment, after {@code sparkJobs}
     * Spark jobs (-1: the checks of a Parquet assay, which read its ID columns with Spark), leaving
     * every file and directory as it was.
     */
    static String fails(String label, Map<String, String> c, int sparkJobs, String... fragments) throws IOException {
        Map<Path, Long> before = everything();
        RuntimeException thrown = null;
        int started = -1;
        try {
            started = jobs.during(() -> StudyRuns.run(spark, c));
        } catch (SparkJobs.Counted e) {
            thrown = (RuntimeException) e.getCause();
            started = e.jobs;
        }
        if (thrown == null) fail(label + ": the run succeeded");
        assertTrue(thrown instanceof InputException || thrown instanceof FormulaException, label + ": " + thrown);
        String m = thrown.getMessage();
        for (String f : fragments) assertTrue(m.contains(f), label + ": '" + f + "' not in: " + m);
        if (sparkJobs >= 0) assertEquals(sparkJobs, started, label + ": Spark jobs before the failure");
        assertEquals(before, everything(), label + ": nothing written");
        REPORT.put(label, m.replace('\n', ' ').replace(dir.toString(), "DIR"));
        return m;
    }

    @Test
    void missingOrUnreadableFiles() throws IOException {
        Path nope = dir.resolve("nope.tsv");
        fails("missing assay file", config(nope), 0, "The assay file " + nope + " does not exist.");
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", dir.resolve("no-sheet.tsv").toString());
        fails("missing sample sheet", c, 0, "The sample sheet " + dir.resolve("no-sheet.tsv") + " does not exist.");
        Path folder = Files.createDirectories(dir.resolve("folder.tsv"));
        fails("assay path is a directory", config(folder), 0, folder + " is a directory; give the file.");
        Path fake = dir.resolve("fake.tsv.gz");
        Files.write(fake, lines);
        fails("a .gz that is not gzip", config(fake), 0, "Cannot read " + fake + ": not a gzip file", "not what its name says");
    }

    @Test
    void emptyMatrices() throws IOException {
        Path empty = file("empty.tsv", List.of());
        fails("empty file", config(empty), 0, empty + " is empty");
        Path header = file("header-only.tsv", List.of(lines.get(0)));
        fails("header and no data lines", config(header), 0, header + " has a header but no data lines");
        Path blank = file("blank-first.tsv", withLine(1, " "));
        fails("blank header line", config(blank), 0, blank + " line 1 is blank");
        Path csv = file("comma.tsv", List.of(lines.get(0).replace('\t', ','), lines.get(1).replace('\t', ',')));
        fails("comma-separated file read as TSV", config(csv), 0, csv + " line 1: the header has 1 field(s)", "is it comma-separated?");
    }

    @Test
    void rowLengthsThatDifferFromTheHeader() throws IOException {
        String[] c5 = cells(5);
        Path shortLine = file("short-line.tsv", withLine(5, String.join("\t", java.util.Arrays.copyOf(c5, c5.length - 1))));
        fails("a line with a field too few", config(shortLine), 0, shortLine + " line 5, column 49 (sample S0048)",
                "the line has 48 fields but the header (line 1) has 49", "column 49 (sample S0048) has no value");
        Path longLine = file("long-line.tsv", withLine(7, lines.get(6) + "\t7.25"));
        fails("a line with a field too many", config(longLine), 0, longLine + " line 7, column 50",
                "the line has 50 fields but the header (line 1) has 49", "the first extra value is '7.25'");
    }

    @Test
    void aCarriageReturnInsideALine() throws IOException {
        String[] c = cells(6);
        c[2] = c[2] + "\r";
        Path bad = file("carriage-return.tsv", withLine(6, String.join("\t", c)));
        fails("a carriage return inside a line", config(bad), 0, bad + " line 6, column 3: a carriage return (\\r) inside the line");
    }

    @Test
    void aCellThatIsNotANumber() throws IOException {
        String[] c = cells(4);
        c[10] = "1,25";
        Path bad = file("comma-decimal.tsv", withLine(4, String.join("\t", c)));
        fails("a non-numeric cell", config(bad), 0, bad + " line 4, column 11 (sample S0010): the value '1,25' is not a number",
                "missing values are NA, NaN or empty cells");
        String[] d = cells(9);
        d[3] = "n/a";
        Path na = file("other-missing-token.tsv", withLine(9, String.join("\t", d)));
        fails("a missing-value token that is not documented", config(na), 0, na + " line 9, column 4 (sample S0003): the value 'n/a' is not a number");
    }

    @Test
    void duplicateIds() throws IOException {
        String[] c = cells(8);
        c[0] = cells(3)[0];
        Path dupFeature = file("dup-feature.tsv", withLine(8, String.join("\t", c)));
        fails("duplicate feature IDs", config(dupFeature), 0, dupFeature + " line 8, column 1: the feature ID '" + c[0]
                + "' appears twice (first on line 3)");
        String[] h = cells(1);
        h[5] = h[3];
        Path dupSample = file("dup-sample.tsv", withLine(1, String.join("\t", h)));
        fails("duplicate sample IDs in the matrix", config(dupSample), 0, dupSample + " line 1, column 6: the sample ID '" + h[3]
                + "' appears twice (first in column 4)");
        List<String> s = new ArrayList<>(sheet);
        s.add(s.get(2));
        Path dupSheet = file("dup-sheet.tsv", s);
        Map<String, String> cfg = config(study.resolve("rna.tsv.gz"));
        cfg.put("samples", dupSheet.toString());
        fails("duplicate sample IDs in the sheet", cfg, 0, dupSheet + " line " + s.size() + ", column sample: the sample ID '"
                + s.get(2).split("\t")[0] + "' appears twice (first on line 3)");
        Path emptyId = file("empty-id.tsv", withLine(6, "\t" + lines.get(5).substring(lines.get(5).indexOf('\t') + 1)));
        fails("empty feature ID", config(emptyId), 0, emptyId + " line 6, column 1: the feature ID is empty");
        Path twice = file("two-headers.tsv", withLine(12, lines.get(0)));
        fails("the header again (files joined)", config(twice), 0, twice + " line 12: the header line appears again");
    }

    /** The warnings other than the collinearity ones. */
    private static List<String> withoutCollinearity(List<String> warnings) {
        return warnings.stream().filter(x -> !x.contains("the model cannot separate")).toList();
    }

    @Test
    void samplesInTheMatrixButNotInTheSheetAndTheReverse() throws IOException {
        Path shortSheet = file("short-sheet.tsv", sheet.subList(0, sheet.size() - 3));
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", shortSheet.toString());
        fails("matrix samples missing from the sheet", c, 0, "assay rna (" + study.resolve("rna.tsv.gz")
                + "): 3 sample(s) are not in the sample sheet: S0046, S0047, S0048", "set drop_unmatched_samples = true");
        // with the option the same run plans with a warning that counts them (the run itself: VarPartJobTest)
        c.put("drop_unmatched_samples", "true");
        // (the study's batches are nested in its labs: the collinearity warnings are VarPartJob's and IntervalsAndCollinearityTest's)
        List<String> warnings = withoutCollinearity(Plan.of(spark, JobConfig.of(c, "test")).warnings());
        assertEquals(List.of("assay rna: 3 sample(s) not in the sample sheet are left out: S0046, S0047, S0048"), warnings);
        REPORT.put("matrix samples missing from the sheet, drop_unmatched_samples = true", "warning: " + warnings.get(0));
        // sheet samples that no assay measures: a warning listing them, the run goes on
        List<String> longer = new ArrayList<>(sheet);
        longer.add("S9001\tP001\tlab1\tlab1_b1\t40.0\tF");
        longer.add("S9002\tP002\tlab2\tlab2_b1\t41.0\tM");
        Path longSheet = file("long-sheet.tsv", longer);
        Map<String, String> r = config(study.resolve("rna.tsv.gz"));
        r.put("samples", longSheet.toString());
        int[] started = new int[1];
        List<String> w = new ArrayList<>();
        started[0] = jobs.during(() -> w.addAll(Plan.of(spark, JobConfig.of(r, "test")).warnings()));
        w.removeIf(x -> x.contains("the model cannot separate"));
        assertEquals(List.of("2 sample(s) of the sample sheet " + longSheet + " are in no assay and are not used: S9001, S9002"), w);
        assertEquals(0, started[0], "planning starts no Spark job");
        REPORT.put("sheet samples in no assay", "warning: " + w.get(0).replace(dir.toString(), "DIR"));
    }

    @Test
    void formulas() throws IOException {
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ age + (1 | patient) + (1 | lab");
        fails("a formula that does not parse", c, 0, "(1 | lab", "^");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ age + weight + (1 | patient)");
        fails("a formula naming an unknown column", c, 0, "the column 'weight' is not in the sample sheet " + study.resolve("samples.tsv"),
                "its columns are: sample, patient, lab, batch, age, sex");
        List<String> s = new ArrayList<>();
        for (String l : sheet) {
            String[] f = l.split("\t");
            if (!f[0].equals("sample")) f[2] = "lab1";
            s.add(String.join("\t", f));
        }
        Path oneLab = file("one-lab.tsv", s);
        c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", oneLab.toString());
        fails("a grouping factor with one level", c, 0, "assay rna: the grouping factor 'lab' has a single level (lab1)", "at least two levels");
    }

    @Test
    void hostileFormulasAreParsedNeverRun() throws IOException {
        Path canary = dir.resolve("pwned");
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ system(\"touch " + canary + "\") + (1 | patient)");
        fails("formula with system(\"...\")", c, 0, "The character '\"' cannot appear in a formula", "^");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ age + $(touch " + canary + ") + (1 | patient)");
        fails("formula with $(...)", c, 0, "The character '$' cannot appear in a formula");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ age; q() + (1 | patient)");
        fails("formula with ';'", c, 0, "The character ';' cannot appear in a formula");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ `touch " + canary + "` + (1 | patient)");
        fails("formula with a backtick-quoted name", c, 0, "the column 'touch " + canary + "' is not in the sample sheet");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ system(age) + (1 | patient)");
        fails("formula calling an unknown function", c, 0, "The function 'system' is not supported", "^");
        assertFalse(Files.exists(canary), "nothing was run");
    }

    @Test
    void aTruncatedGzip() throws IOException {
        byte[] whole = Files.readAllBytes(study.resolve("rna.tsv.gz"));
        Path cut = dir.resolve("cut.tsv.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        fails("a truncated .gz", config(cut), 0, cut + ": the compressed file ends unexpectedly", "it is truncated or damaged");
    }

    @Test
    void anOutputThatExists() throws IOException {
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        Path out = Files.createDirectories(Path.of(c.get("output")));
        Files.writeString(out.resolve("keep.txt"), "an earlier result");
        fails("the output exists, no --overwrite", c, 0, "The output " + out + " exists; choose another output, or pass --overwrite=true");
        assertEquals("an earlier result", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void linesThatWouldCostTooMuch() throws IOException {
        Path huge = dir.resolve("one-huge-line.tsv");
        try (Writer w = Files.newBufferedWriter(huge)) {
            w.write(lines.get(0) + "\n" + lines.get(1) + "\n");
            char[] block = new char[1 << 20];
            java.util.Arrays.fill(block, '7');
            for (int i = 0; i < 17; i++) w.write(block);
            w.write("\n");
        }
        long t0 = System.nanoTime();
        fails("a line of 17 million characters", config(huge), 0, huge + " line 3: longer than 16777216 characters");
        Path wide = dir.resolve("million-columns.tsv");
        try (Writer w = Files.newBufferedWriter(wide)) {
            w.write(lines.get(0) + "\n" + lines.get(1) + "\nf_wide");
            for (int i = 1; i < 1_000_000; i++) w.write("\t1");
            w.write("\n");
        }
        fails("a line of a million fields", config(wide), 0, wide + " line 3, column 50", "the line has 1000000 fields but the header (line 1) has 49",
                "the first extra value is '1'");
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "bounded cost");
        assertFalse(REPORT.isEmpty());
    }

    @Test
    void parquetAssays() throws IOException {
        String[] h = cells(1);
        StructType wideText = new StructType().add("id", "string");
        StructType wideNumbers = new StructType().add("id", "string");
        for (int j = 1; j < h.length; j++) {
            wideText = wideText.add(h[j], j == 7 ? "string" : "double");
            wideNumbers = wideNumbers.add(h[j], "double");
        }
        List<Row> text = new ArrayList<>(), numbers = new ArrayList<>(), longRows = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            String[] c = cells(i);
            Object[] t = new Object[c.length], v = new Object[c.length];
            t[0] = v[0] = i == 4 ? cells(2)[0] : c[0]; // feature 4 repeats feature 2's ID
            for (int j = 1; j < c.length; j++) {
                v[j] = Double.parseDouble(c[j]);
                t[j] = j == 7 ? c[j] : v[j];
                longRows.add(RowFactory.create(c[0], h[j], v[j]));
            }
            text.add(RowFactory.create(t));
            numbers.add(RowFactory.create(v));
        }
        longRows.add(RowFactory.create(cells(3)[0], h[9], 1.5)); // a second value for one feature and sample
        Path textColumn = dir.resolve("text-column.parquet"), dupIds = dir.resolve("dup-ids.parquet");
        Path dupPairs = dir.resolve("dup-pairs.parquet"), none = dir.resolve("no-rows.parquet");
        spark.createDataFrame(text, wideText).write().parquet(textColumn.toString());
        spark.createDataFrame(numbers, wideNumbers).write().parquet(dupIds.toString());
        spark.createDataFrame(longRows, new StructType().add("feature", "string").add("sample", "string").add("value", "double"))
                .write().parquet(dupPairs.toString());
        spark.createDataFrame(new ArrayList<Row>(), wideNumbers).write().parquet(none.toString());

        fails("Parquet wide: a sample column of text", config(textColumn), -1, textColumn + ", column '" + h[7] + "': the type is string, not a number");
        fails("Parquet wide: duplicate feature IDs", config(dupIds), -1, dupIds + ": feature '" + cells(2)[0] + "' appears in 2 rows",
                "feature IDs must be unique");
        Map<String, String> c = config(dupPairs);
        c.put("format.rna", "parquet_long");
        fails("Parquet long: two values for one feature and sample", c, -1, dupPairs + ": feature '" + cells(3)[0] + "', sample '" + h[9]
                + "' appears in 2 rows", "a feature has one value per sample");
        fails("Parquet: no rows", config(none), -1, none + " has no rows");
    }

    /** The sheet with the cell of {@code column} replaced on its data line {@code row} (1-based, the header being row 0). */
    static List<String> sheetWith(String column, int row, String value) {
        List<String> s = new ArrayList<>(sheet);
        int j = java.util.Arrays.asList(s.get(0).split("\t")).indexOf(column);
        String[] f = s.get(row).split("\t", -1);
        f[j] = value;
        s.set(row, String.join("\t", f));
        return s;
    }

    static Map<String, String> withSheet(String name, List<String> content) throws IOException {
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", file(name, content).toString());
        return c;
    }

    @Test
    void aNumericCovariateWithAStrayCellIsAnErrorNeverASilentFactor() throws IOException {
        Path sheetFile = dir.resolve("age-null.tsv");
        fails("a covariate with one cell 'NULL'", withSheet("age-null.tsv", sheetWith("age", 17, "NULL")), 0,
                sheetFile + " line 18, column age: the value 'NULL' is not a number, though 47 of the column's other values are",
                "Missing values are written NA, NaN or as an empty cell, and nothing else");
        fails("a covariate with a decimal comma", withSheet("age-comma.tsv", sheetWith("age", 5, "61,5")), 0,
                "line 6, column age: the value '61,5' is not a number");
        // the same column is fine as a grouping factor, and a column used through factor() is categorical by the user's word
        Map<String, String> c = withSheet("age-null-unused.tsv", sheetWith("age", 17, "NULL"));
        c.put("formula", "~ factor(age) + (1 | patient) + (1 | lab)");
        assertEquals(1, Plan.of(spark, JobConfig.of(c, "test")).models().size());
    }

    @Test
    void aNonFiniteCovariateIsAnError() throws IOException {
        fails("a covariate 'Inf'", withSheet("age-inf.tsv", sheetWith("age", 3, "Inf")), 0,
                "line 4, column age: the value 'Inf' is infinite; a covariate must be finite");
        fails("a covariate '1e400'", withSheet("age-huge.tsv", sheetWith("age", 9, "1e400")), 0,
                "line 10, column age: the value '1e400' is too large for double precision");
        Map<String, String> c = withSheet("age-zero.tsv", sheetWith("age", 2, "0"));
        c.put("formula", "~ log(age) + (1 | patient)");
        fails("a covariate transformed to -Inf", c, 0, "line 3: the fixed-effects column 'log(age)' is -Infinity there");
    }

    @Test
    void formulasThatWouldCorruptTheTables() throws IOException {
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ age + (1 | patient) + (1 | patient)");
        fails("the same random term twice", c, 0, "random intercept of 'patient' twice", "Write each random term once");
        List<String> s = new ArrayList<>(sheet);
        s.set(0, s.get(0).replace("\tage\t", "\tResiduals\t"));
        c = withSheet("residuals-column.tsv", s);
        c.put("formula", "~ Residuals + (1 | patient)");
        fails("a covariate named Residuals", c, 0, "the fixed term 'Residuals' and the residual variance would both be the component 'Residuals'",
                "reserved for the residual variance");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", "~ lab + (1 | lab) + (1 | patient)");
        fails("a fixed and a random term of one name", c, 0, "the fixed term 'lab' and the random effect of 'lab' would both be the component 'lab'");
        List<String> oneSex = new ArrayList<>();
        for (String l : sheet) oneSex.add(l.startsWith("sample") ? l : l.replaceAll("\t[FM]$", "\tF"));
        fails("a fixed factor with one level", withSheet("one-sex.tsv", oneSex), 0,
                "The categorical covariate 'sex' has a single level (F) among the observations used", "Leave it out of the formula");
        StringBuilder huge = new StringBuilder("~ age");
        for (int i = 0; i < 3000; i++) huge.append(" + age");
        huge.append(" + (1 | patient)");
        c = config(study.resolve("rna.tsv.gz"));
        c.put("formula", huge.toString());
        fails("a formula of 3000 terms", c, 0, "The formula has more than 1000 operators");
    }

    @Test
    void aModelWithNoMoreObservationsThanParametersIsRefusedBeforeFitting() throws IOException {
        // four samples, three of one patient and one of another: 4 observations for (Intercept), age, θ and σ²
        Map<String, String> patientOf = new java.util.HashMap<>();
        for (String l : sheet.subList(1, sheet.size())) patientOf.put(l.split("\t")[0], l.split("\t")[1]);
        String[] h = cells(1);
        List<Integer> keep = new ArrayList<>(List.of(0));
        String first = patientOf.get(h[1]);
        for (int j = 1; j < h.length && keep.size() < 4; j++) if (patientOf.get(h[j]).equals(first)) keep.add(j);
        for (int j = 1; j < h.length; j++) {
            if (!patientOf.get(h[j]).equals(first)) {
                keep.add(j);
                break;
            }
        }
        List<String> small = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t");
            List<String> g = new ArrayList<>();
            for (int j : keep) g.add(f[j]);
            small.add(String.join("\t", g));
        }
        Map<String, String> c = config(file("four-samples.tsv", small));
        c.put("formula", "~ age + (1 | patient)");
        fails("as many parameters as observations", c, 0, "assay rna: 4 observations for 4 parameters (2 fixed-effects coefficients, 1 variance"
                + " parameters and the residual variance): no feature can be fitted");
        c.put("formula", "~ 1 + (1 | sample)");
        fails("a grouping factor with a level per observation", c, 0, "the grouping factor 'sample' has 4 levels for 4 observations");
    }

    @Test
    void inputsThatAreNotUtf8() throws IOException {
        List<String> s = sheetWith("lab", 5, "Köln");
        Path latin1 = dir.resolve("latin1-sheet.tsv");
        Files.write(latin1, s, java.nio.charset.StandardCharsets.ISO_8859_1);
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", latin1.toString());
        fails("a Latin-1 sample sheet", c, 0, latin1 + " line 6, column 3: the byte 0xF6 is not valid UTF-8 there (in Latin-1 it would be 'ö')",
                "iconv -f latin1 -t utf8");
        Path latin1Assay = dir.resolve("latin1-assay.tsv");
        Files.write(latin1Assay, withLine(4, "Gen_Müller" + lines.get(3).substring(lines.get(3).indexOf('\t'))), java.nio.charset.StandardCharsets.ISO_8859_1);
        fails("a Latin-1 feature ID", config(latin1Assay), 0, latin1Assay + " line 4, column 1: the byte 0xFC is not valid UTF-8");
        Path utf16 = dir.resolve("utf16-sheet.tsv");
        Files.write(utf16, sheet, java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] b = Files.readAllBytes(utf16);
        byte[] bom = new byte[b.length + 2];
        bom[0] = (byte) 0xFF;
        bom[1] = (byte) 0xFE;
        System.arraycopy(b, 0, bom, 2, b.length);
        Files.write(utf16, bom);
        c.put("samples", utf16.toString());
        fails("a UTF-16 sample sheet", c, 0, utf16 + " is UTF-16 text", "iconv -f UTF-16 -t UTF-8");
        // a byte-order mark before UTF-8 is fine
        Path withBom = dir.resolve("bom-sheet.tsv");
        Files.write(withBom, ("\uFEFF" + String.join("\n", sheet) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        c.put("samples", withBom.toString());
        assertEquals(1, Plan.of(spark, JobConfig.of(c, "test")).models().size());
    }

    @Test
    void fileShapesThatNeedAClearMessage() throws IOException {
        byte[] gz = Files.readAllBytes(study.resolve("rna.tsv.gz"));
        Path plain = dir.resolve("gzip-inside.tsv");
        Files.write(plain, gz);
        fails("gzip data named .tsv", config(plain), 0, plain + " is gzip-compressed, but its name does not end in .gz", "Rename it to gzip-inside.tsv.gz");
        Path upper = dir.resolve("RNA.TSV.GZ");
        Files.write(upper, gz);
        fails("gzip data named .GZ", config(upper), 0, upper + " is gzip-compressed", "Rename it to RNA.TSV.gz");
        Path xlsx = dir.resolve("sheet.csv");
        Files.write(xlsx, new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0});
        Map<String, String> c = config(study.resolve("rna.tsv.gz"));
        c.put("samples", xlsx.toString());
        fails("an Excel workbook named .csv", c, 0, xlsx + " is a ZIP archive (an Excel workbook is one), not text");

        Path rHeader = file("write-table.tsv", withLine(1, lines.get(0).substring(lines.get(0).indexOf('\t') + 1)));
        fails("R's write.table header", config(rHeader), 0, rHeader + " line 2: the line has 49 fields but the header (line 1) has 48",
                "the header has no name for the feature-ID column", "col.names = NA");
        List<String> s = new ArrayList<>(sheet);
        s.set(0, s.get(0).substring(s.get(0).indexOf('\t') + 1));
        Path rSheet = file("write-table-sheet.tsv", s);
        c.put("samples", rSheet.toString());
        fails("R's write.table header on the sheet", c, 0, rSheet + " line 2: has 6 fields but the header has 5", "R's write.table");

        List<String> csv = new ArrayList<>();
        for (String l : lines) csv.add(l.replace('\t', ','));
        String[] cell = csv.get(4).split(",");
        cell[3] = "\"1,5\"";
        csv.set(4, String.join(",", cell));
        Path quoted = file("quoted-value.csv", csv);
        fails("a quoted value holding the delimiter", config(quoted), 0, quoted + " line 5, column", "only the feature ID may be quoted");

        String esc = "\u001b[2J\u001b[31mred";
        List<String> a = withLine(5, esc + lines.get(4).substring(lines.get(4).indexOf('\t')));
        a.set(8, esc + lines.get(8).substring(lines.get(8).indexOf('\t')));
        String m = fails("an ANSI escape sequence in a feature ID", config(file("ansi.tsv", a)), 0, "the feature ID '" + esc + "' appears twice");
        String shown = Redaction.text(m);
        assertFalse(shown.contains("\u001b"), "no control character reaches the terminal: " + shown);
        assertTrue(shown.contains("'\\u001b[2J\\u001b[31mred'"), shown);
    }

    @Test
    void rowsDroppedForAMissingValueInTheSheetAreCounted() throws IOException {
        List<String> s = sheetWith("age", 4, "NA");
        String[] f = s.get(9).split("\t", -1);
        f[1] = "";
        s.set(9, String.join("\t", f));
        Map<String, String> c = withSheet("two-missing.tsv", s);
        Plan plan = Plan.of(spark, JobConfig.of(c, "test"));
        assertTrue(plan.notes().contains("assay rna: 2 of 48 samples are left out of every fit for a missing value in a model variable of the sample sheet"),
                plan.notes().toString());
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
        Path record = dir.resolve("run-record.json");
        RunRecord.write(fs, new org.apache.hadoop.fs.Path(record.toString()), plan, Map.of("rna", 20L), Map.of("ok", 20L),
                java.time.Instant.now(), 1.0, spark.version(), 0);
        assertTrue(Files.readString(record).contains("\"samples_dropped_for_missing_values\": 2"), Files.readString(record));
        REPORT.put("rows with a missing covariate or grouping value", "note: " + plan.notes().get(plan.notes().size() - 1));
    }

    @Test
    void anAssayMostOfWhoseFeaturesHaveTooFewValuesIsRefusedBeforeFitting() throws IOException {
        // 11 of the 20 features keep only their first 7 values: 7 observations at most, for 7 parameters
        List<String> sparse = new ArrayList<>(lines);
        for (int i = 2; i <= 12; i++) {
            String[] c = cells(i);
            for (int j = 8; j < c.length; j++) c[j] = "NA";
            sparse.set(i - 1, String.join("\t", c));
        }
        Path file = file("mostly-sparse.tsv", sparse);
        fails("most features with no more values than parameters", config(file), 0, "assay rna (" + file + "): 11 of its 20 features have at most 7"
                + " values present, and the model has 7 parameters (3 fixed-effects coefficients, 3 variance parameters and the residual variance)");
        // fewer than half: the run goes on, and those features get their status
        Path some = dir.resolve("some-sparse.tsv");
        List<String> half = new ArrayList<>(sparse.subList(0, 6));
        half.addAll(lines.subList(6, lines.size()));
        Files.write(some, half);
        assertEquals(1, Plan.of(spark, JobConfig.of(config(some), "test")).models().size());
    }
}
