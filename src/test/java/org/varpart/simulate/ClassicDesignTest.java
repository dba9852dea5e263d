package org.varpart.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.varpart.Fixtures;
import org.varpart.design.Apim;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;
import org.varpart.lmm.VarComp;

/**
 * The classic designs: the simulator still writes, byte for byte, the data the lme4 fixtures were
 * computed on (so the README's examples are the fixtures' fits), and the fits recover the true
 * parameters: each fixed effect within 3 standard errors, each random-effect standard deviation
 * within 40% of its true value (plus 2% of the residual SD, for a true value of zero), each
 * correlation within 0.35 and the residual SD within 10%. The bounds are loose where the design
 * has few groups; the seed is fixed, so the test is exact about what it checks.
 */
class ClassicDesignTest {

    private static Fixtures.Model fixtureOf(ClassicDesign d) {
        return Fixtures.model(d.label());
    }

    @TestFactory
    Stream<DynamicTest> writesTheFixtureDataAndRecoversTheTruth() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ClassicDesign d : ClassicDesign.values()) {
            tests.add(DynamicTest.dynamicTest(d.label() + " data", () -> sameData(d)));
            tests.add(DynamicTest.dynamicTest(d.label() + " recovered", () -> recovers(d)));
        }
        return tests.stream();
    }

    private static void sameData(ClassicDesign d) throws Exception {
        String committed = Files.readString(Fixtures.ROOT.resolve("data").resolve(d.label() + ".csv"), StandardCharsets.UTF_8);
        assertEquals(committed, d.simulate(ClassicDesign.DEFAULT_SEED).csv(),
                "varpart simulate --design " + d.label() + " no longer writes the fixture data");
        assertEquals(d.formula(), fixtureOf(d).formula(), "the fixture fits the model the data were simulated from");
    }

    private static void recovers(ClassicDesign d) {
        Fixtures.Model m = fixtureOf(d);
        Design design = DesignBuilder.build(ModelSpec.parse(m.formula()), TableReader.read(m.dataPath()));
        FitResult r = MixedModel.fit(design, FitOptions.remlDefaults());
        Truth truth = d.simulate(ClassicDesign.DEFAULT_SEED).truth();
        double sigma = Math.sqrt(r.sigma2());
        int checked = 0;
        for (Truth.Parameter p : truth.parameters()) {
            switch (p.kind()) {
                case "fixed" -> {
                    int j = Arrays.asList(r.fixedNames()).indexOf(p.term());
                    assertTrue(j >= 0, "no coefficient " + p.term() + " in " + Arrays.toString(r.fixedNames()));
                    assertTrue(Math.abs(r.beta()[j] - p.value()) <= 3 * r.stdError(j),
                            p.term() + ": " + r.beta()[j] + " (SE " + r.stdError(j) + ") vs true " + p.value());
                }
                case "sd" -> {
                    double sd = varComp(r, p.group(), p.term(), null);
                    assertTrue(Math.abs(sd - p.value()) <= 0.4 * p.value() + 0.02 * sigma,
                            "SD of " + p.group() + " " + p.term() + ": " + sd + " vs true " + p.value());
                }
                case "corr" -> {
                    String[] ab = p.term().split("\\|");
                    double c = varComp(r, p.group(), ab[0], ab[1]);
                    assertEquals(p.value(), c, 0.35, "correlation in " + p.group());
                }
                default -> assertEquals(p.value(), sigma, 0.1 * p.value(), "residual SD");
            }
            checked++;
        }
        assertEquals(truth.parameters().size(), checked);
    }

    /** The SD of a term's column, or with {@code other} the correlation of the two columns. */
    private static double varComp(FitResult r, String group, String column, String other) {
        for (VarComp v : r.varComps()) {
            if (!v.group().equals(group)) continue;
            int a = Arrays.asList(v.columns()).indexOf(column);
            if (a < 0) continue;
            if (other == null) return v.sd(a);
            return v.correlation(Arrays.asList(v.columns()).indexOf(other), a);
        }
        throw new AssertionError("no variance component " + group + " " + column);
    }

    @Test
    void theApimHelperWritesTheCouplesFixture() throws Exception {
        DataTable people = TableReader.read(Fixtures.ROOT.resolve("data").resolve("couples.csv"));
        Apim.Result r = Apim.pair(people, "couple", List.of("stress"), "role");
        String committed = Files.readString(Fixtures.ROOT.resolve("data").resolve("couples_apim.csv"), StandardCharsets.UTF_8);
        assertEquals(committed, r.table().toCsv());
        assertEquals(120, r.dyads());
        assertEquals(r.table().rows(), 2 * r.pairs() + r.alone());
    }

    @Test
    void theSchoolsFitIsSingularAtTheDistrictsAsTheyTrulyDoNotDiffer() {
        Fixtures.Model m = fixtureOf(ClassicDesign.SCHOOLS);
        Design design = DesignBuilder.build(ModelSpec.parse(m.formula()), TableReader.read(m.dataPath()));
        for (FitOptions o : List.of(FitOptions.remlDefaults(), FitOptions.mlDefaults())) {
            FitResult r = MixedModel.fit(design, o);
            assertTrue(r.singular() && r.status().hasEstimates(), r.status() + ": " + r.message());
            assertEquals(0, varComp(r, "district", "(Intercept)", null), 1e-6);
            assertTrue(r.message().contains("boundary (singular) fit"), r.message());
        }
    }

    @Test
    void seedsAndNames() {
        ClassicDesign d = ClassicDesign.byLabel("tumour");
        assertEquals(d.simulate(7).csv(), d.simulate(7).csv());
        assertNotEquals(d.simulate(7).csv(), d.simulate(8).csv());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassicDesign.byLabel("mice"));
        assertTrue(e.getMessage().contains("tumour, qol, practice, schools, couples"), e.getMessage());
    }
}
