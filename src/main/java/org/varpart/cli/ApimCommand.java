package org.varpart.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.varpart.design.Apim;
import org.varpart.io.TableReader;

/** {@code varpart apim}: actor and partner predictors for dyadic data. */
final class ApimCommand {
    static final String HELP = """
            Usage: varpart apim --data FILE --dyad COLUMN --vars x1,x2 --out FILE.csv [--role COLUMN]

            Prepares individual-level dyadic data (one row per person, with a dyad ID such as a
            couple) for the actor-partner interdependence model: for each variable x it adds the
            columns x_actor (the person's own value) and x_partner (the other member's value),
            and writes the table with them as CSV, rows in the same order. A person whose partner
            has no row or no value gets x_partner = NA, so a model that uses it leaves that row
            out. Then fit, e.g.
              varpart fit --data FILE.csv --formula "y ~ x_actor + x_partner + (1 | couple)"

            Options:
              --data FILE     CSV or TSV with a header row, one row per person
              --dyad COLUMN   the dyad ID; a dyad has one or two rows
              --vars x1,x2    the variables to pair, comma-separated
              --role COLUMN   for distinguishable dyads: each member's role; there must be two
                              roles, and the members of a dyad must have different ones
              --out FILE      the CSV file to write
              --help          show this help
            """;

    private ApimCommand() {}

    static int run(String[] argv, PrintStream out) throws IOException {
        Args a = Args.parse(argv, Set.of("data", "dyad", "vars", "role", "out"), Set.of("help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        String data = a.require("data", "the CSV or TSV file with one row per person");
        String dyad = a.require("dyad", "the column with the dyad ID, e.g. couple");
        List<String> vars = Arrays.stream(a.require("vars", "the variables to pair, e.g. stress,support").split(","))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
        Path target = Path.of(a.require("out", "the CSV file to write"));
        Apim.Result r = Apim.pair(TableReader.read(Path.of(data)), dyad, vars, a.get("role"));
        Files.writeString(target, r.table().toCsv(), StandardCharsets.UTF_8);
        out.println("varpart apim: " + r.table().rows() + " rows in " + r.dyads() + " dyads: " + r.pairs() + " with both members, "
                + r.alone() + " rows without a partner (their _partner values are NA)");
        out.println("  added " + String.join(", ", r.added()) + "; wrote " + target);
        return 0;
    }
}
