package org.varpart.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varpart.Fixtures;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;

class VarianceFractionsTest {

    /** The design of a formula on a data set of the lme4 fixtures. */
    static Design design(String formula, String data) {
        return DesignBuilder.build(ModelSpec.parse(formula), TableReader.read(Fixtures.ROOT.resolve("data").resolve(data)));
    }

    /** One number per component, by the component's name. */
    static Map<String, Double> byName(List<VarianceFractions.Component> comps, java.util.function.ToDoubleFunction<VarianceFractions.Component> value) {
        return comps.stream().collect(Collectors.toMap(VarianceFractions.Component::name, value::applyAsDouble));
    }

    /**
     * Sleepstudy, REML, against lme4 with a tight optimiser (R: variance components and fixed part
     * of {@code lmer(Reaction ~ Days + (Days|Subject), sleepstudy, control = lmerControl(optimizer =
     * "bobyqa", optCtrl = list(rhoend = 1e-12)))}, combined as in docs/model.md#variance-fractions):
     * 0.27746512 0.01589826 0.40974666 0.29688995, to 1e-6 absolute. (With lme4's default
     * optimiser, which stops where Subject's variance is 612.10 instead of 612.09, the same
     * definition gives 0.27746866 0.01589822 0.40974491 0.29688822: lme4's own error, 3.5e-6.)
     * Each component's variance is also checked against the quantity it is defined from: the
     * diagonal of Σ for the random columns, σ̂² for the residuals, and the population variance of
     * Days·β̂_Days for the one fixed term.
     */
    @Test
    void sleepstudyGoldenValues() {
        Design d = design("Reaction ~ Days + (Days | Subject)", "sleepstudy.csv");
        FitResult r = MixedModel.fit(d, FitOptions.remlDefaults());
        List<VarianceFractions.Component> comps = VarianceFractions.compute(d, r);
        Map<String, Double> f = byName(comps, VarianceFractions.Component::fraction);
        assertEquals(0.27746512, f.get("Subject"), 1e-6);
        assertEquals(0.01589826, f.get("Subject.Days"), 1e-6);
        assertEquals(0.40974666, f.get("Days"), 1e-6);
        assertEquals(0.29688995, f.get("Residuals"), 1e-6);
        Map<String, Double> v = byName(comps, VarianceFractions.Component::variance);
        assertEquals(r.varComps().get(0).variance(0), v.get("Subject"), 0);
        assertEquals(r.varComps().get(0).variance(1), v.get("Subject.Days"), 0);
        assertEquals(r.sigma2(), v.get("Residuals"), 0);
        double[] days = new double[d.n()];
        for (int i = 0; i < d.n(); i++) days[i] = d.x(i, 1) * r.beta()[1];
        assertEquals(VarianceFractions.populationVariance(days), v.get("Days"), 1e-12 * v.get("Days"));
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
        Design d = design(m.formula(), m.data());
        FitResult r = MixedModel.fit(d, criterion.equals("ML") ? FitOptions.mlDefaults() : FitOptions.remlDefaults());
        Map<String, Double> expected = Fixtures.Fixture.read(Fixtures.ROOT.resolve("fixtures")
                .resolve(model + "." + criterion + ".fractions.tsv")).all("vp_fraction");
        Map<String, Double> actual = byName(VarianceFractions.compute(d, r), VarianceFractions.Component::fraction);
        assertEquals(expected.keySet(), actual.keySet(), "components");
        expected.forEach((c, f) -> assertEquals(f, actual.get(c), 1e-6, c));
    }

    @Test
    void categoricalFixedTermsAreSummedAndShareTheFixedVariance() {
        Design d = design("y ~ age * sex + treatment + (1 | subject)", "categorical.csv");
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
