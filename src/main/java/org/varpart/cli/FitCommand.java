package org.varpart.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.FitJson;
import org.varpart.io.RanefCsv;
import org.varpart.io.TableReader;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.MixedModel;
import org.varpart.report.FitSummaryText;
import org.varpart.stats.ModelComparison;
import org.varpart.stats.Significance;

/** {@code varpart fit}: one linear mixed model on one data file. */
final class FitCommand {
    static final String HELP = """
            Usage: varpart fit --data FILE --formula "y ~ x + (1 | g)" [options]

            Fits one linear mixed model, as lme4's lmer() does, and prints a summary laid out
            like lme4's summary().

            Options:
              --data FILE       CSV or TSV (optionally .gz) with a header row; NA, NaN and empty
                                cells are missing, and rows missing a model variable are dropped
              --formula F       lme4 formula, e.g. "Reaction ~ Days + (Days | Subject)"
              --ml              fit by maximum likelihood (default: REML, as lme4)
              --json OUT.json   also write the results as JSON
              --ranef OUT.csv   also write the conditional modes (BLUPs) with their conditional
                                standard deviations, one row per group, term and level
              --compare F2      also compare with a second, nested model of the same data by a
                                likelihood-ratio test, laid out like lme4's anova(m1, m2): npar,
                                AIC, BIC, logLik, deviance, Chisq, Df, Pr(>Chisq). As lme4 does,
                                a REML fit is refitted by ML for the comparison; both models must
                                use the same rows and one must be nested in the other
              --no-refit        with --compare: compare the fits as they are (REML criteria for
                                REML fits, lme4's refit = FALSE); only for models with the same
                                fixed effects that differ in their random effects
              --no-tests        leave out the significance tests (Satterthwaite df and p-values
                                of the fixed effects, F tests of terms, likelihood-ratio tests
                                of the random effects), which refit the model once per term
              --help            show this help

            Exit codes: 0 fitted (status ok, singular or not_converged); 1 the model could not
            be fitted (the message says why); 2 bad arguments or input.
            """;

    private FitCommand() {}

    static int run(String[] argv, PrintStream out) throws IOException {
        Args a = Args.parse(argv, Set.of("data", "formula", "json", "ranef", "compare"),
                Set.of("ml", "reml", "no-tests", "no-refit", "help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        String data = a.require("data", "the CSV or TSV file with the data");
        String formula = a.require("formula", "the model, e.g. \"y ~ x + (1 | g)\"");
        ModelSpec spec = ModelSpec.parse(formula);
        DataTable table = TableReader.read(Path.of(data));
        Design design = DesignBuilder.build(spec, table);
        FitOptions options = a.has("ml") ? FitOptions.mlDefaults() : FitOptions.remlDefaults();
        if (a.has("no-refit") && !a.has("compare")) throw new Args.UsageException("--no-refit applies only with --compare");
        String dataName = Path.of(data).getFileName().toString();
        ModelComparison.Result comparison = null;
        if (a.has("compare")) {
            Design other = DesignBuilder.build(ModelSpec.parse(a.get("compare")), table);
            try {
                comparison = ModelComparison.compare("m1", design, "m2", other, options, !a.has("no-refit"));
            } catch (IllegalStateException e) {
                out.println("No comparison: " + e.getMessage());
                return 1;
            }
        }
        FitResult r = MixedModel.fit(design, options);
        if (design.dropped() > 0) {
            out.println(design.dropped() + " of " + table.rows() + " rows dropped for a missing value in a model variable.");
        }
        Significance tests = r.status().hasEstimates() && !a.has("no-tests") ? Significance.compute(design, r, options) : null;
        out.print(FitSummaryText.format(r, design, dataName, tests));
        if (comparison != null) out.print("\n" + FitSummaryText.formatComparison(comparison, dataName));
        if (a.has("json")) {
            Files.writeString(Path.of(a.get("json")), FitJson.write(r, design, tests, comparison) + "\n", StandardCharsets.UTF_8);
        }
        if (a.has("ranef") && r.status().hasEstimates()) {
            Files.writeString(Path.of(a.get("ranef")), RanefCsv.write(r), StandardCharsets.UTF_8);
        }
        return r.status().hasEstimates() ? 0 : 1;
    }
}
