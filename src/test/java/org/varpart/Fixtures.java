package org.varpart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;

/**
 * Reference values produced by lme4/lmerTest with {@code src/test/resources/lme4/make_fixtures.R}
 * (the tests do not need R). A fixture file has lines {@code key<TAB>name<TAB>value}.
 */
public final class Fixtures {
    public static final Path ROOT = Path.of("src/test/resources/lme4");

    /** One model of {@code models.tsv}. */
    public record Model(String name, String data, String formula) {
        public Path dataPath() {
            return ROOT.resolve("data").resolve(data);
        }

        /** The model's design on its data, and its fit by {@code REML} or {@code ML} with the default options. */
        public Fitted fit(String criterion) {
            Design d = DesignBuilder.build(ModelSpec.parse(formula), TableReader.read(dataPath()));
            FitOptions options = criterion.equals("REML") ? FitOptions.remlDefaults() : FitOptions.mlDefaults();
            return new Fitted(d, options, MixedModel.fit(d, options));
        }

        public Fixture fixture(String criterion) {
            return Fixture.read(ROOT.resolve("fixtures").resolve(name + "." + criterion + ".tsv"));
        }

        @Override
        public String toString() {
            return name + ": " + formula;
        }
    }

    /**
     * One likelihood-ratio comparison of {@code comparisons.tsv}: anova(m1, m2) of the models
     * {@code formula1} (m1) and {@code formula2} (m2) of one data set, with lme4's {@code refit}.
     */
    public record Comparison(String name, String data, String formula1, String formula2, boolean refit) {
        public Path dataPath() {
            return ROOT.resolve("data").resolve(data);
        }

        public Fixture fixture() {
            return Fixture.read(ROOT.resolve("fixtures").resolve(name + ".anova.tsv"));
        }

        @Override
        public String toString() {
            return name + ": " + formula1 + " vs " + formula2;
        }
    }

    /** A fixture model's design, the options it was fitted with and the fit: the setup every fixture test shares. */
    public record Fitted(Design design, FitOptions options, FitResult fit) {}

    /**
     * One model fitted by one criterion, with lme4's (and lmerTest's) values for it: what each
     * fixture test compares.
     */
    public record Case(Model model, String criterion, Fixture fixture, Fitted fitted) {
        public Design design() {
            return fitted.design();
        }

        public FitResult fit() {
            return fitted.fit();
        }

        public FitOptions options() {
            return fitted.options();
        }
    }

    /** The fixture tests of every model, by REML and by ML: one dynamic test per model and criterion. */
    public static java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> perModelAndCriterion(
            String what, java.util.function.Consumer<Case> check) {
        List<org.junit.jupiter.api.DynamicTest> tests = new java.util.ArrayList<>();
        for (Model m : models()) {
            for (String crit : List.of("REML", "ML")) {
                tests.add(org.junit.jupiter.api.DynamicTest.dynamicTest(m.name() + " " + crit + (what.isEmpty() ? "" : " " + what),
                        () -> check.accept(new Case(m, crit, m.fixture(crit), m.fit(crit)))));
            }
        }
        return tests.stream();
    }

    /** The values of one fixture file, by key and name. */
    public static final class Fixture {
        private final Map<String, Map<String, Double>> values = new LinkedHashMap<>();

        public static Fixture read(Path p) {
            Fixture f = new Fixture();
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) continue;
                    String[] t = line.split("\t", -1);
                    double v = t[2].equals("NA") || t[2].equals("NaN") ? Double.NaN : Double.parseDouble(t[2]);
                    f.values.computeIfAbsent(t[0], k -> new LinkedHashMap<>()).put(t[1], v);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return f;
        }

        /** The single value of a key without a name. */
        public double get(String key) {
            return get(key, "-");
        }

        public double get(String key, String name) {
            Map<String, Double> m = values.get(key);
            if (m == null || !m.containsKey(name)) throw new AssertionError("fixture has no " + key + " " + name);
            return m.get(name);
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }

        public boolean has(String key, String name) {
            return values.containsKey(key) && values.get(key).containsKey(name);
        }

        /** All names and values of a key, in file order. */
        public Map<String, Double> all(String key) {
            return values.getOrDefault(key, Map.of());
        }
    }

    public static List<Model> models() {
        return rows("models.tsv").stream().map(t -> new Model(t[0], t[1], t[2])).toList();
    }

    public static List<Comparison> comparisons() {
        return rows("comparisons.tsv").stream()
                .map(t -> new Comparison(t[0], t[1], t[2], t[3], Boolean.parseBoolean(t[4].toLowerCase(java.util.Locale.ROOT))))
                .toList();
    }

    /** The fields of a TSV file's lines after its header, blank and # lines left out. */
    private static List<String[]> rows(String file) {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve(file), StandardCharsets.UTF_8);
            List<String[]> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank() || line.startsWith("#")) continue;
                out.add(line.split("\t", -1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Model model(String name) {
        return models().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no model " + name + " in models.tsv"));
    }

    private Fixtures() {}
}
