package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/**
 * {@link BlockFitter#fit(String, double[], double[])}: a fit started at a given θ (the bootstrap
 * starts each replicate at the feature's θ̂) reaches the optimum the moment-based start reaches.
 */
class StartFromThetaTest {

    /** 30 groups × 4 observations, 6 batches crossed: y = 1 + group (sd 1) + batch (sd 0.7) + noise. */
    static Design design(double[] y) {
        int n = 120;
        String[] g = new String[n], b = new String[n];
        for (int i = 0; i < n; i++) {
            g[i] = String.format(Locale.ROOT, "G%02d", i / 4);
            b[i] = "B" + (i * 7 % 6);
        }
        List<String[]> cols = new ArrayList<>(List.of(g, b));
        DataTable t = DataTable.fromText("study", List.of("g", "b"), cols);
        return DesignBuilder.build(ModelSpec.parse("y ~ 1 + (1 | g) + (1 | b)"), t, "y", y);
    }

    @Test
    void startingAtTheOptimumOrElsewhereReachesTheSameOptimum() {
        SplittableRandom r = new SplittableRandom(3);
        double[] y = new double[120], ug = new double[30], ub = new double[6];
        for (int i = 0; i < 30; i++) ug[i] = r.nextGaussian();
        for (int i = 0; i < 6; i++) ub[i] = 0.7 * r.nextGaussian();
        for (int i = 0; i < 120; i++) y[i] = 1 + ug[i / 4] + ub[i * 7 % 6] + r.nextGaussian();
        Design d = design(y);
        for (FitOptions o : List.of(FitOptions.mlDefaults(), FitOptions.remlDefaults())) {
            BlockFitter f = new BlockFitter(d, o.withoutConditionalVariances());
            FitResult moment = f.fit("y", y);
            FitResult atOptimum = f.fit("y", y, moment.theta());
            FitResult below = f.fit("y", y, new double[] {-1, 3}); // −1 is raised to its bound 0
            for (FitResult x : List.of(atOptimum, below)) {
                assertEquals(moment.objective(), x.objective(), 1e-7, o.criterion());
                assertArrayEquals(moment.theta(), x.theta(), 1e-3, o.criterion());
                assertEquals(moment.status(), x.status());
            }
            assertThrows(IllegalArgumentException.class, () -> f.fit("y", y, new double[] {1}));
        }
    }
}
