package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's sample handling, without Spark: {@code .fam} samples missing from the sheet are
 * left out with a warning, samples without the phenotype or a covariate are left out of that
 * phenotype only (and counted), and a GRM file is read in {@code .fam} order and cut to the
 * samples used.
 */
class GwasPlanTest {
    @TempDir
    Path dir;

    @Test
    void samplesAreMatchedAndCounted() throws Exception {
        GwasSimulator.write(new GwasSimulator.Spec(30, 20, 2, 1, 0.1, 4), dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("samples.tsv")));
        lines.remove(5); // S00005
        lines.remove(5); // S00006
        String[] f = lines.get(10).split("\t");
        f[3] = "NA"; // an age missing: left out of the phenotypes whose formula uses age
        lines.set(10, String.join("\t", f));
        Files.write(dir.resolve("samples.tsv"), lines);
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 30; j++) k.append(j == 0 ? "" : " ").append(i == j ? 1 + i : 0.5);
            k.append('\n');
        }
        Files.writeString(dir.resolve("k.txt"), k);
        GwasConfig cfg = GwasConfig.of(Map.of("genotypes", dir.resolve("cohort").toString(), "samples", dir.resolve("samples.tsv").toString(),
                "phenotypes", "trait, trait_b", "formula", "~ age", "output", dir.resolve("out").toString(), "grm", dir.resolve("k.txt").toString()), "test");
        GwasPlan plan = GwasPlan.of(cfg, new Configuration());
        assertEquals(28, plan.grmSamples().length);
        assertTrue(plan.warnings().get(0).startsWith("2 sample(s) of ") && plan.warnings().get(0).endsWith("S00005, S00006"), plan.warnings().toString());
        for (GwasPlan.Phenotype p : plan.phenotypes()) {
            assertEquals(1, p.left(), p.name());
            assertEquals(27, p.rows().length);
            assertEquals(2, p.c(), "intercept and age");
        }
        // the GRM's diagonal of the samples used: .fam rows 0-3, then 6 on (1 + row)
        double[] grm = plan.grmFile();
        double[] diag = new double[5];
        for (int i = 0; i < 5; i++) diag[i] = grm[i * 28 + i];
        assertArrayEquals(new double[] {1, 2, 3, 4, 7}, diag);
        assertEquals(0.5, grm[1], 0);
    }
}
