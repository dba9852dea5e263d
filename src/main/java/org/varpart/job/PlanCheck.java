package org.varpart.job;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code varpart check} does: every check a run makes before its first Spark job
 * ({@link Plan}: files, columns, sample IDs, the formula, each assay's design, the text assays'
 * cells), then prints the notes, the warnings and each assay's collinearity table as TSV, without
 * fitting anything and without writing anything. A problem with the whole run is the same
 * {@link org.varpart.InputException} that {@code run} would raise.
 */
public final class PlanCheck {
    private PlanCheck() {}

    /** Checks the run of {@code cfg} and prints what a run would print before fitting, with the collinearity table. */
    public static void run(SparkSession spark, JobConfig cfg, PrintStream out) {
        Plan plan = Plan.of(spark, cfg);
        java.util.List<CountsStage.Prepared> weighted = CountsStage.prepare(spark, plan);
        plan.print(out);
        out.println("varpart: collinearity of the formula's variables (canonical correlation, as variancePartition's canCorPairs):");
        out.print(CollinearityTable.tsv(plan, CountsStage.models(weighted)));
        out.println("varpart: the plan is fine" + (plan.warnings().isEmpty() ? "" : " (" + plan.warnings().size() + " warning(s) above)")
                + "; nothing was fitted or written");
    }
}
