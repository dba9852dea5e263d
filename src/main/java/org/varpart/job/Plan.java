package org.varpart.job;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.design.ReTerm;
import org.varpart.formula.FormulaException;
import org.varpart.formula.ModelSpec;
import org.varpart.io.AssayReader;
import org.varpart.lmm.FitOptions;

/**
 * The plan of a run: everything checked on the driver before any Spark job — the formula, the
 * sample sheet, every assay (text assays read whole once), the match of assay samples to the
 * sheet, and the design of each assay — with the notes and warnings to print before fitting.
 * A problem with the whole run stops it here, with one message.
 */
record Plan(JobConfig config, ModelSpec spec, DataTable sheet, List<AssayReader.Assay> assays,
            List<AssayModel> models, List<String> notes, List<String> warnings) {

    /** Prints the notes and warnings, as they may be shown. */
    void print(PrintStream log) {
        notes.forEach(n -> log.println("varpart: " + Redaction.text(n)));
        warnings.forEach(w -> log.println("varpart: warning: " + Redaction.text(w)));
    }

    /** The paths of every input of the run: the sample sheet and the assays. */
    static List<String> inputs(JobConfig cfg) {
        List<String> in = new ArrayList<>();
        in.add(cfg.samples());
        in.addAll(cfg.assays().values());
        in.addAll(cfg.counts().values());
        in.addAll(cfg.weights().values());
        return in;
    }

    /**
     * Refuses a text assay most of whose features have no more values present than the model has
     * parameters: none of them could be fitted. The count of values present is taken over all the
     * assay's samples, so it never understates a feature's observations; the check is
     * conservative.
     */
    static void checkMostlyIdentifiable(AssayReader.Assay assay, AssayModel model) {
        if (assay.observed() == null || assay.featureCount() <= 0) return;
        int params = FeatureFitter.parameters(model.complete());
        long few = 0;
        for (int k = 0; k <= Math.min(params, assay.observed().length - 1); k++) few += assay.observed()[k];
        if (2 * few > assay.featureCount()) {
            throw new InputException("assay " + assay.name() + " (" + assay.path() + "): " + few + " of its " + assay.featureCount()
                    + " features have at most " + params + " values present, and the model has " + params + " parameters ("
                    + model.complete().p() + " fixed-effects coefficients, " + (params - model.complete().p() - 1)
                    + " variance parameters and the residual variance): most features could not be fitted. Simplify the formula,"
                    + " or leave out the features with too many missing values.");
        }
    }

    /** All the checks that need no Spark job: files, columns, IDs, samples, formula, designs. */
    static Plan of(SparkSession spark, JobConfig cfg) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String formula = cfg.formula().strip();
        if (!formula.startsWith("~")) {
            throw new InputException("formula: give the right-hand side only, starting with '~' (the response is each feature), e.g. ~ age + (1 | patient); found '" + formula + "'.");
        }
        // each feature is the response; its name is never looked up in the sheet
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(VarPartJob.RESPONSE + " " + formula);
        } catch (FormulaException e) {
            throw e.withoutPrefix(VarPartJob.RESPONSE + " ");
        }
        DataTable sheet = AssayReader.readTable(hadoop, cfg.samples(), "sample sheet");
        for (String c : spec.columns().subList(1, spec.columns().size())) {
            if (!sheet.has(c)) {
                throw new InputException("formula: the column '" + c + "' is not in the sample sheet " + cfg.samples()
                        + "; its columns are: " + String.join(", ", sheet.names()) + ".");
            }
        }
        Map<String, Integer> rowOf = sampleRows(sheet, cfg.sampleIdColumn(), cfg.samples());
        AssayReader.ParquetColumns pc = cfg.parquetColumns();
        FitOptions options = (cfg.reml() ? FitOptions.remlDefaults() : FitOptions.mlDefaults()).withoutConditionalVariances();
        List<AssayReader.Assay> assays = new ArrayList<>();
        List<AssayModel> models = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> measured = new HashSet<>();
        for (Map.Entry<String, String> a : cfg.assays().entrySet()) {
            if (cfg.weights().containsKey(a.getKey())) continue; // the weighted path (CountsStage)
            long t0 = System.nanoTime();
            AssayReader.Assay assay = AssayReader.open(spark, a.getKey(), a.getValue(), cfg.format(a.getKey()), pc);
            notes.add(String.format(Locale.ROOT, "assay %s (%s): %s%d samples, checked in %.1f s", a.getKey(), a.getValue(),
                    assay.featureCount() >= 0 ? assay.featureCount() + " features x " : "", assay.samples().size(), (System.nanoTime() - t0) / 1e9));
            AssayModel model = assayModel(a.getKey(), a.getValue(), spec, sheet, rowOf, assay.samples(), options,
                    cfg.tests(), cfg.dropUnmatchedSamples(), warnings);
            model = model.withIntervals(IntervalSettings.of(cfg));
            List<org.varpart.stats.Collinearity.Pair> pairs = CollinearityTable.pairs(spec, model.samples());
            warnings.addAll(CollinearityTable.warnings(a.getKey(), pairs));
            warnings.addAll(CollinearityTable.rankWarnings(a.getKey(), model.complete(), pairs));
            models.add(model);
            checkMostlyIdentifiable(assay, model);
            if (model.complete().dropped() > 0) {
                notes.add("assay " + a.getKey() + ": " + model.complete().dropped() + " of " + model.columns().length
                        + " samples are left out of every fit for a missing value in a model variable of the sample sheet");
            }
            assays.add(assay);
            measured.addAll(assay.samples());
        }
        List<String> unused = new ArrayList<>();
        for (String id : sheet.column(cfg.sampleIdColumn()).text()) {
            if (!measured.contains(id)) unused.add(id);
        }
        if (!unused.isEmpty()) {
            warnings.add(unused.size() + " sample(s) of the sample sheet " + cfg.samples() + " are in no assay and are not used: " + firstFew(unused));
        }
        return new Plan(cfg, spec, sheet, assays, models, notes, warnings);
    }

    /**
     * Matches an assay's samples to the sheet and builds what its tasks need. Samples missing
     * from the sheet are an error listing them, or, when {@code dropUnmatched}, a warning.
     *
     * @param rowOf the sheet's row of each sample ID
     */
    static AssayModel assayModel(String name, String path, ModelSpec spec, DataTable sheet, Map<String, Integer> rowOf,
                                 List<String> assaySamples, FitOptions options, boolean tests, boolean dropUnmatched,
                                 List<String> warnings) {
        List<Integer> cols = new ArrayList<>(), rows = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (int j = 0; j < assaySamples.size(); j++) {
            Integer r = rowOf.get(assaySamples.get(j));
            if (r == null) {
                unmatched.add(assaySamples.get(j));
            } else {
                cols.add(j);
                rows.add(r);
            }
        }
        if (!unmatched.isEmpty()) {
            String list = firstFew(unmatched);
            if (!dropUnmatched) {
                throw new InputException("assay " + name + " (" + path + "): " + unmatched.size()
                        + " sample(s) are not in the sample sheet: " + list
                        + ". Add them to the sheet, or set drop_unmatched_samples = true to leave them out.");
            }
            warnings.add("assay " + name + ": " + unmatched.size() + " sample(s) not in the sample sheet are left out: " + list);
        }
        if (cols.isEmpty()) throw new InputException("assay " + name + ": none of its samples is in the sample sheet.");
        DataTable samples = sheet.select(rows.stream().mapToInt(Integer::intValue).toArray());
        Design complete;
        try {
            complete = completeDesign(spec, samples, name);
        } catch (InputException e) {
            throw CollinearityTable.explain(e, spec, samples);
        }
        return new AssayModel(name, spec, samples, cols.stream().mapToInt(Integer::intValue).toArray(), complete, options, tests);
    }

    /** Up to ten IDs for a message, and "..." when there are more. */
    static String firstFew(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(10, ids.size()))) + (ids.size() > 10 ? ", ..." : "");
    }

    /** Each sample ID's row in the sheet; missing or repeated IDs are an error naming the line. */
    static Map<String, Integer> sampleRows(DataTable sheet, String idColumn, String source) {
        if (!sheet.has(idColumn)) {
            throw new InputException("The sample sheet " + source + " has no column '" + idColumn
                    + "' (sample_id_column); its columns are: " + String.join(", ", sheet.names()) + ".");
        }
        Map<String, Integer> rowOf = new HashMap<>();
        String[] ids = sheet.column(idColumn).text();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) throw new InputException(source + " line " + sheet.line(i) + ", column " + idColumn + ": the sample ID is missing.");
            Integer prev = rowOf.put(ids[i], i);
            if (prev != null) {
                throw new InputException(source + " line " + sheet.line(i) + ", column " + idColumn + ": the sample ID '" + ids[i]
                        + "' appears twice (first on line " + sheet.line(prev) + ").");
            }
        }
        return rowOf;
    }

    /** The design of a feature observed in every sample; problems with the model on this assay stop the run here. */
    static Design completeDesign(ModelSpec spec, DataTable samples, String assay) {
        double[] ones = new double[samples.rows()];
        Arrays.fill(ones, 1.0);
        Design d;
        try {
            d = DesignBuilder.build(spec, samples, VarPartJob.RESPONSE, ones);
        } catch (InputException e) {
            throw new InputException("assay " + assay + ": " + e.getMessage(), e);
        }
        if (d.terms().isEmpty()) {
            throw new InputException("formula: there is no random-effects term; add at least one, such as (1 | patient).");
        }
        for (ReTerm t : d.terms()) {
            if (t.levels() < 2) {
                throw new InputException("assay " + assay + ": the grouping factor '" + t.group() + "' has a single level ("
                        + t.level(0) + ") among the samples used; a random effect needs at least two levels.");
            }
            if (t.levels() >= d.n()) {
                throw new InputException("assay " + assay + ": the grouping factor '" + t.group() + "' has " + t.levels() + " levels for "
                        + d.n() + " observations; its variance cannot be told apart from the residual variance (lme4 refuses it too)."
                        + " A random effect needs fewer levels than observations.");
            }
        }
        checkComponentNames(d);
        int params = FeatureFitter.parameters(d);
        if (d.n() <= params) {
            throw new InputException("assay " + assay + ": " + d.n() + " observations for " + params + " parameters (" + d.p()
                    + " fixed-effects coefficients, " + (params - d.p() - 1) + " variance parameters and the residual variance):"
                    + " no feature can be fitted. The model needs more observations than parameters; simplify the formula.");
        }
        return d;
    }

    /**
     * The components of the variance partition must have distinct names: a fixed term, a random
     * component and {@code Residuals} share the {@code component} column of the tables.
     */
    static void checkComponentNames(Design d) {
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put(org.varpart.stats.VarianceFractions.RESIDUALS, "the residual variance");
        for (ReTerm t : d.terms()) {
            for (String c : t.columnNames()) {
                String name = c.equals("(Intercept)") ? t.group() : t.group() + "." + c;
                String prev = seen.putIfAbsent(name, "the random effect of '" + t.group() + "'");
                if (prev != null) throw componentClash(name, prev, "the random effect of '" + t.group() + "'");
            }
        }
        for (String term : d.fixedTerms()) {
            if (term.equals("(Intercept)")) continue;
            String prev = seen.putIfAbsent(term, "the fixed term '" + term + "'");
            if (prev != null) throw componentClash(term, prev, "the fixed term '" + term + "'");
        }
    }

    private static InputException componentClash(String name, String first, String second) {
        return new InputException("formula: " + second + " and " + first + " would both be the component '" + name
                + "' of the tables" + (name.equals(org.varpart.stats.VarianceFractions.RESIDUALS) ? " ('" + name + "' is reserved for the residual variance)" : "")
                + "; rename the column in the sample sheet.");
    }
}
