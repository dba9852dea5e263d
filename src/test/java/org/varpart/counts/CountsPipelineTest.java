package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varpart.formula.ModelSpec;
import org.varpart.stats.VarianceFractions;

/**
 * The whole path from raw counts, every stage fed by varpart's own previous stage, against the
 * fixtures. Each stage is checked on the reference's inputs in {@link EdgeRTest},
 * {@link VoomTest} and {@link DreamTest} at the tolerances; here the differences of the
 * earlier stages carry forward (the weights differ from the reference's by up to ~1e-7 relative),
 * so the later quantities are compared one decade looser: weights 1e-6 relative, d₀ and s₀² 1e-5
 * relative, moderated t 1e-5 relative, moderated p 1e-3 relative, fractions 1e-5 absolute.
 */
class CountsPipelineTest {
    @Test
    void fromCountsToModeratedTests() {
        CountsFixtures f = CountsFixtures.load();
        Contrast c = Contrast.parse("drugB_vs_placebo", "treatmentdrugB - treatmentplacebo");
        CountsPipeline.Result r = CountsPipeline.run(f.features, f.counts, f.sheet, ModelSpec.parse(CountsFixtures.FORMULA),
                CountsPipeline.Options.defaults(List.of(c)));
        Map<String, Map<String, Double>> edger = CountsFixtures.read("edger.tsv");
        Map<String, Map<String, Double>> voom = CountsFixtures.read("voom_dream.tsv");
        Map<String, Map<String, Double>> dream = CountsFixtures.read("dream.tsv");
        for (int j = 0; j < f.samples.length; j++) {
            CountsFixtures.assertRelative(edger.get("norm_factor").get(f.samples[j]), r.normFactors()[j], 1e-8, "TMM " + f.samples[j]);
        }
        CountsFixtures.assertRelative(dream.get("df_prior").get("-"), r.prior().df(), 1e-5, "d0");
        CountsFixtures.assertRelative(dream.get("var_prior").get("-"), r.prior().var(), 1e-5, "s0^2");
        int kept = 0, tests = 0;
        for (CountsPipeline.Feature feat : r.features()) {
            assertEquals(edger.get("keep").get(feat.id()) == 1.0, feat.kept(), "kept " + feat.id());
            if (!feat.kept()) continue;
            kept++;
            for (int j = 0; j < f.samples.length; j++) {
                String key = feat.id() + "|" + f.samples[j];
                CountsFixtures.assertRelative(voom.get("weight").get(key), feat.weights()[j], 1e-6, "weight " + key);
            }
            for (VarianceFractions.Component comp : feat.fractions()) {
                assertEquals(dream.get("fraction").get(feat.id() + "|" + comp.name()), comp.fraction(), 1e-5, "fraction " + comp.name());
            }
            for (CountsPipeline.Moderated m : feat.moderated()) {
                String key = feat.id() + "|" + (m.test().contrast() ? "treatmentdrugB - treatmentplacebo" : m.test().name());
                CountsFixtures.assertRelative(dream.get("mod_t").get(key), m.t(), 1e-5, "moderated t " + key);
                CountsFixtures.assertRelative(dream.get("mod_p").get(key), m.p(), 1e-3, "moderated p " + key);
                CountsFixtures.assertRelative(dream.get("mod_q").get(key), m.q(), 1e-3, "moderated q " + key);
                tests++;
            }
        }
        assertTrue(kept > 20, "features kept: " + kept);
        assertEquals(kept * 5, tests, "four coefficients and one contrast per kept feature");
    }
}
