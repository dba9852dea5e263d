package org.varpart.cli;

import java.io.PrintStream;
import java.util.Set;
import org.varpart.job.PlanCheck;

/** {@code varpart check}: the driver's checks of a run and the collinearity table, without fitting. */
final class CheckCommand {
    static final String HELP = """
            Usage: varpart check [CONFIG] [--key=value ...]

            Runs every check 'varpart run' makes before fitting (files, columns, sample IDs, the
            formula, each assay's design) and prints the notes, the warnings and, per assay, how
            well the model can tell each pair of formula variables apart (the canonical
            correlation of variancePartition's canCorPairs, as TSV: assay, variable1, variable2,
            value, n_obs; above 0.999 the split of variance between the two is arbitrary).
            Nothing is fitted or written. Exit 0 when the run could start, 2 when it could not.
            CONFIG and the keys are those of 'varpart run'.
            """;

    private CheckCommand() {}

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parseKeys(argv, Set.of("overwrite", "resume", "drop_unmatched_samples"));
        if (args.has("help")) {
            out.print(HELP);
            return 0;
        }
        RunCommand.Session session = RunCommand.Session.of(args);
        try {
            PlanCheck.run(session.spark(), session.config(), out);
            return 0;
        } finally {
            session.close();
        }
    }
}
