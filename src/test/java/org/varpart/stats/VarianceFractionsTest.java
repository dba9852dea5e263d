package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varpart.Fixtures;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;

class VarianceFractionsTest {

    /**
     * Sleepstudy, REML. The golden values of ALGORITHMS.md §5 come from lme4's default optimiser,
     * which stops where Subject's variance is 612.10 instead of 612.09; with a tight optimiser
     * the same definition gives the second set (R: variance components and fixed part of
     * {@code lmer(Reaction ~ Days + (Days|Subject), sleepstudy, control = lmerControl(optimizer =
     * "bobyqa", optCtrl = list(rhoend = 1e-12)))}, combined as in §5):
     * 0.27746512 0.01589826 0.40974666 0.29688995. varpart matches the latter to 1e-6 and the
     * golden values to 1e-5, the size of the default optimiser's own error.
     */
    @Test
    void sleepstudyGoldenValues() {
        Design d = DesignBuilder.build(ModelSpec.parse("Reaction ~ Days + (Days | Subject)"),
                DataTable.read(Fixtures.ROOT.resolve("data/sleepstudy.csv")));
        FitResult r = MixedModel.fit(d, FitOptions.remlDefaults());
        Map<String, Double> f = VarianceFractions.compute(d, r).stream()
                .collect(Collectors.toMap(VarianceFractions.Component::name, VarianceFractions.Component::fraction));
        assertEquals(0.27746512, f.get("Subject"), 1e-6);
        assertEquals(0.01589826, f.get("Subject.Days"), 1e-6);
        assertEquals(0.40974666, f.get("Days"), 1e-6);
        assertEquals(0.29688995, f.get("Residuals"), 1e-6);
        assertEquals(0.27746866, f.get("Subject"), 1e-5);
        assertEquals(0.01589822, f.get("Subject.Days"), 1e-5);
        assertEquals(0.40974491, f.get("Days"), 1e-5);
        assertEquals(0.29688822, f.get("Residuals"), 1e-5);
        assertEquals(1.0, f.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
    }

    /**
     * variancePartition's fractions (calcVarPart of fitExtractVarPartModel, written out in
     * {@code make_fraction_fixtures.R}) on lme4's tight optimum, for every model whose fixed
     * terms have one column each (there the per-column and per-term definitions agree): random
     * intercepts (crossed, nested, with missing values), a random slope, numeric covariates,
     * transformations and a two-level factor; ML as fitExtractVarPartModel fits, and REML.
     * Tolerance 1e-6 absolute on each fraction.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"dyestuff, ML", "penicillin, ML", "pastes, ML", "transforms, ML", "crossed_missing, ML",
            "omics_one, ML", "sleepstudy, ML", "sleepstudy, REML"})
    void equalVariancePartitionsFractionsOfLme4sFit(String model, String criterion) {
        Fixtures.Model m = Fixtures.model(model);
        Design d = DesignBuilder.build(ModelSpec.parse(m.formula()), DataTable.read(m.dataPath()));
        FitResult r = MixedModel.fit(d, criterion.equals("ML") ? FitOptions.mlDefaults() : FitOptions.remlDefaults());
        Map<String, Double> expected = Fixtures.Fixture.read(Fixtures.ROOT.resolve("fixtures")
                .resolve(model + "." + criterion + ".fractions.tsv")).all("vp_fraction");
        Map<String, Double> actual = VarianceFractions.compute(d, r).stream()
                .collect(Collectors.toMap(VarianceFractions.Component::name, VarianceFractions.Component::fraction));
        assertEquals(expected.keySet(), actual.keySet(), "components");
        expected.forEach((c, f) -> assertEquals(f, actual.get(c), 1e-6, c));
    }

    @Test
    void categoricalFixedTermsAreSummedAndShareTheFixedVariance() {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ age * sex + treatment + (1 | subject)"),
                DataTable.read(Fixtures.ROOT.resolve("data/categorical.csv")));
        FitResult r = MixedModel.fit(d, FitOptions.mlDefaults());
        List<VarianceFractions.Component> comps = VarianceFractions.compute(d, r);
        assertEquals(List.of("subject", "age", "sex", "treatment", "age:sex", "Residuals"),
                comps.stream().map(VarianceFractions.Component::name).toList());
        // the fixed components add up to the variance of the whole fixed part
        double[] fixedPart = new double[d.n()];
        for (int j = 1; j < d.p(); j++) for (int i = 0; i < d.n(); i++) fixedPart[i] += d.x(i, j) * r.beta()[j];
        double fixedSum = comps.subList(1, 5).stream().mapToDouble(VarianceFractions.Component::variance).sum();
        assertEquals(VarianceFractions.populationVariance(fixedPart), fixedSum, 1e-10 * fixedSum);
        assertEquals(r.varComps().get(0).variance(0), comps.get(0).variance(), 0);
        assertEquals(r.sigma2(), comps.get(5).variance(), 0);
    }
}
