package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.varpart.design.DataTable;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;

/**
 * The collinearity table against variancePartition's canCorPairs, transcribed in R with
 * {@code stats::cancor} ({@code src/test/resources/collinearity/make_collinearity_fixtures.R}):
 * the example study on all its samples and on the protein assay's, and a simulated study whose
 * batch is nearly nested in lab, with missing values in four covariates. Values to 1e-10, the
 * number of rows of each pair exactly.
 */
class CollinearityTest {
    static final Path DIR = Path.of("src/test/resources/collinearity");
    static final String EXAMPLE = "~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)";
    static final String NESTED = "~ age + sex + treatment + rin + dose + (1 | patient) + (1 | lab) + (1 | batch) + (1 | plate)";

    /** R's rows of one study, keyed "variable1|variable2": {value, n_obs}. */
    static Map<String, double[]> expected(String study) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(DIR.resolve("expected.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (!f[0].equals(study)) continue;
            double v = f[3].equals("NA") ? Double.NaN : Double.parseDouble(f[3]);
            out.put(f[1] + "|" + f[2], new double[] {v, Double.parseDouble(f[4])});
        }
        return out;
    }

    static void assertMatches(String study, String formula, DataTable samples) throws IOException {
        Map<String, double[]> want = expected(study);
        List<Collinearity.Pair> got = Collinearity.pairs(ModelSpec.parse(formula), samples);
        assertEquals(want.size(), got.size(), study + ": number of pairs");
        for (Collinearity.Pair p : got) {
            double[] w = want.get(p.variable1() + "|" + p.variable2());
            if (w == null) throw new AssertionError(study + ": R has no pair " + p);
            assertEquals(w[0], p.value(), 1e-10, study + " " + p);
            assertEquals((int) w[1], p.nObs(), study + " rows of " + p);
        }
    }

    @Test
    void exampleStudyMatchesCanCorPairs() throws IOException {
        assertMatches("example", EXAMPLE, TableReader.read(Path.of("examples/study/samples.tsv")));
    }

    @Test
    void proteinAssaySamplesMatchCanCorPairs() throws IOException {
        DataTable all = TableReader.read(Path.of("examples/study/samples.tsv"));
        String header = Files.readAllLines(Path.of("examples/study/protein.tsv")).get(0);
        Set<String> used = new HashSet<>(Arrays.asList(header.split("\t")).subList(1, header.split("\t").length));
        String[] ids = all.column("sample").text();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) if (used.contains(ids[i])) rows.add(i);
        assertEquals(181, rows.size());
        assertMatches("example_protein", EXAMPLE, all.select(rows.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Missing values leave rows out pair by pair; a numeric grouping column (plate) is a factor. */
    @Test
    void nearlyNestedBatchMatchesCanCorPairs() throws IOException {
        assertMatches("nested", NESTED, TableReader.read(DIR.resolve("nested_samples.tsv")));
    }

    /**
     * The warnings: age and sex are functions of patient (exactly 1), dose is nearly a linear
     * function of rin (0.99989); batch nearly nested in lab (0.97) stays under the threshold.
     */
    @Test
    void warnsAboutPairsTheModelCannotSeparate() {
        List<Collinearity.Pair> pairs = Collinearity.pairs(ModelSpec.parse(NESTED), TableReader.read(DIR.resolve("nested_samples.tsv")));
        List<String> flagged = Collinearity.collinear(pairs).stream().map(p -> p.variable1() + "|" + p.variable2()).toList();
        assertEquals(List.of("age|patient", "sex|patient", "rin|dose"), flagged);
        Collinearity.Pair rinDose = Collinearity.collinear(pairs).get(2);
        assertTrue(rinDose.warning().startsWith("the model cannot separate rin and dose: their canonical correlation is 0.99989"),
                rinDose.warning());
        Collinearity.Pair labBatch = pairs.stream().filter(p -> p.variable1().equals("lab") && p.variable2().equals("batch"))
                .findFirst().orElseThrow();
        assertFalse(labBatch.collinear());
    }

    /** A variable missing on every row makes its pairs undefined; a formula naming no column is an error, not a NaN. */
    @Test
    void undefinedPairsAndBadFormulas() {
        DataTable t = DataTable.fromText("t", List.of("a", "b", "g"), List.of(
                new String[] {"1", "2", "3", "4"}, new String[] {"NA", "NA", "NA", "NA"}, new String[] {"x", "y", "x", "y"}));
        List<Collinearity.Pair> p = Collinearity.pairs(ModelSpec.parse("~ a + b + (1 | g)"), t);
        assertEquals(3, p.size());
        assertTrue(Double.isNaN(p.get(0).value()), p.get(0).toString());
        assertEquals(0, p.get(0).nObs());
        assertTrue(Double.isNaN(p.get(2).value()), p.get(2).toString());
        // a = 1, 2, 3, 4 against g = x, y, x, y: |r| of a with g's indicator, 1/√5
        assertEquals("g", p.get(1).variable2());
        assertEquals(1 / Math.sqrt(5), p.get(1).value(), 1e-14);
        assertEquals(4, p.get(1).nObs());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.varpart.formula.FormulaException.class,
                () -> Collinearity.pairs(ModelSpec.parse("~ a + nope + (1 | g)"), t));
        assertTrue(e.getMessage().contains("The column 'nope' is not in t"), e.getMessage());
    }

    /** A factor given by its codes gives what its indicator columns give, against numbers and against another factor. */
    @Test
    void factorCodesAgreeWithIndicatorColumns() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int n = 300;
        int[] f = new int[n], g = new int[n];
        double[][] x = new double[2][n];
        for (int i = 0; i < n; i++) {
            f[i] = i % 7;
            g[i] = rnd.nextInt(5);
            x[0][i] = f[i] * 0.3 + rnd.nextDouble();
            x[1][i] = rnd.nextDouble();
        }
        double[][] fi = indicators(f, 7), gi = indicators(g, 5);
        assertEquals(Collinearity.value(fi, x), Collinearity.value(f, x), 1e-13);
        assertEquals(Collinearity.value(fi, gi), Collinearity.value(f, g), 1e-13);
        assertEquals(1.0, Collinearity.value(f, f), 1e-13);
    }

    static double[][] indicators(int[] codes, int levels) {
        double[][] out = new double[levels][codes.length];
        for (int i = 0; i < codes.length; i++) out[codes[i]][i] = 1;
        return out;
    }

    /** Definitions: |r| for two numeric columns, Cramér's V for two factors, NaN for a constant. */
    @Test
    void reducesToCorrelationAndCramersV() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {2, 1, 4, 3, 6, 8};
        double mx = 3.5, my = 4;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < 6; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        assertEquals(Math.abs(sxy / Math.sqrt(sxx * syy)), Collinearity.value(new double[][] {x}, new double[][] {y}), 1e-14);
        // a 2 × 2 table with counts {{3, 1}, {1, 3}}: Cramér's V = |ad − bc| / √(row and column totals) = 8/16
        double[][] a = {{1, 1, 1, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1, 1, 1}};
        double[][] b = {{1, 1, 1, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 0, 1, 1, 1}};
        assertEquals(0.5, Collinearity.value(a, b), 1e-14);
        assertTrue(Double.isNaN(Collinearity.value(new double[][] {{2, 2, 2}}, new double[][] {{1, 2, 3}})));
    }
}
