package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.varpart.job.JobConfig;
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
        Path config = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(HELP);
                return 0;
            }
            if (a.startsWith("--")) {
                String kv = a.substring(2);
                int eq = kv.indexOf('=');
                if (eq > 0) overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                else if (i + 1 < argv.length) overrides.put(kv, argv[++i]);
                else throw new Args.UsageException("--" + kv + " needs a value");
            } else if (config == null) {
                config = Path.of(a);
            } else {
                throw new Args.UsageException("one config file only; found '" + config + "' and '" + a + "'");
            }
        }
        boolean ownInputs = overrides.containsKey("samples") || overrides.keySet().stream().anyMatch(k -> k.startsWith("assay."));
        if (config == null && Files.exists(Path.of(RunCommand.DEFAULT_CONFIG)) && !ownInputs) config = Path.of(RunCommand.DEFAULT_CONFIG);
        JobConfig cfg = JobConfig.load(config, overrides);
        boolean own = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = RunCommand.session(cfg);
        try {
            PlanCheck.run(spark, cfg, out);
            return 0;
        } finally {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }
}
