package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varpart.InputException;
import org.varpart.design.Design;

/**
 * filterByExpr and TMM against edgeR ({@code fixtures/edger.tsv}): the kept features exactly, the
 * design's minimum group size 1e-10 relative, library sizes exactly and normalisation factors
 * 1e-8 relative; and the count checks' messages.
 */
class EdgeRTest {
    private static final CountsFixtures F = CountsFixtures.load();
    private static final Map<String, Map<String, Double>> REF = CountsFixtures.read("edger.tsv");

    @Test
    void filterByExprKeepsWhatEdgeRKeeps() {
        Design d = F.design(new double[F.samples.length]);
        double[] lib = LogCpm.columnTotals(F.counts, F.samples.length);
        FilterByExpr filter = new FilterByExpr(d.x(), d.n(), d.p(), lib);
        CountsFixtures.assertRelative(REF.get("min_sample_size").get("-"), 1 / FilterByExpr.maxLeverage(d.x(), d.n(), d.p()), 1e-10,
                "1 / max leverage");
        int kept = 0;
        for (int i = 0; i < F.features.length; i++) {
            boolean expected = REF.get("keep").get(F.features[i]) == 1.0;
            assertEquals(expected, filter.keep(F.counts[i]), F.features[i]);
            if (expected) kept++;
        }
        assertTrue(kept > 20 && kept < F.features.length, "the fixture filters some features and keeps most: " + kept);
    }

    @Test
    void tmmFactorsMatchCalcNormFactors() {
        double[][] kept = F.kept(REF.get("keep"));
        double[] lib = LogCpm.columnTotals(kept, F.samples.length);
        double[] nf = Tmm.normFactors(kept, lib);
        for (int j = 0; j < F.samples.length; j++) {
            assertEquals(REF.get("lib_size").get(F.samples[j]), lib[j], 0.0, "library size of " + F.samples[j]);
            CountsFixtures.assertRelative(REF.get("norm_factor").get(F.samples[j]), nf[j], 1e-8, "TMM factor of " + F.samples[j]);
        }
    }

    @Test
    void quantileAndRanksFollowR() {
        // R: quantile(c(1, 2, 2, 7), 0.75) = 3.25; rank(c(3, 1, 3, 2)) = 3.5 1 3.5 2
        assertEquals(3.25, Tmm.quantile7(new double[] {7, 2, 1, 2}, 0.75), 1e-15);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {3.5, 1, 3.5, 2}, Ranks.average(new double[] {3, 1, 3, 2}));
    }

    @Test
    void badCountsNameFileLineColumnAndValue() {
        CountChecks.checkRow("counts.tsv", 5, 2, "gene1", new String[] {"a", "b"}, new double[] {0, 12});
        InputException neg = assertThrows(InputException.class,
                () -> CountChecks.checkRow("counts.tsv", 5, 2, "gene1", new String[] {"a", "b"}, new double[] {3, -1}));
        assertTrue(neg.getMessage().startsWith("counts.tsv, line 5, column 3 (sample b, feature gene1): the value -1 is a negative number"),
                neg.getMessage());
        InputException frac = assertThrows(InputException.class,
                () -> CountChecks.checkValue("c.csv", 9, 4, "s1", "g", 2.5));
        assertTrue(frac.getMessage().contains("line 9, column 4") && frac.getMessage().contains("2.5 is not a whole number"), frac.getMessage());
        InputException na = assertThrows(InputException.class, () -> CountChecks.checkValue("c.csv", 2, 2, "s1", "g", Double.NaN));
        assertTrue(na.getMessage().contains("NA is a missing value"), na.getMessage());
        CountChecks.checkWeight("w.tsv", 3, 2, "s1", "g", 0.25);
        InputException w = assertThrows(InputException.class, () -> CountChecks.checkWeight("w.tsv", 3, 5, "s4", "g", 0));
        assertTrue(w.getMessage().startsWith("w.tsv, line 3, column 5 (sample s4, feature g): the weight 0 is not a positive finite number"),
                w.getMessage());
    }
}
