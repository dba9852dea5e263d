package org.varpart.cli;

import java.io.PrintStream;
import java.util.Arrays;
import org.varpart.InputException;
import org.varpart.formula.FormulaException;
import org.varpart.job.Redaction;

/** The {@code varpart} command: dispatches to the subcommands. */
public final class Main {
    static final String HELP = """
            Usage: varpart <command> [options]     (varpart <command> --help for its options)

            Commands:
              run       the variance-partition job over whole assays, on Spark (embedded locally;
                        conf/example.conf and the shipped example study when given nothing)
              check     the run's checks and the formula variables' collinearity, without fitting
              report    report.html (plots, fit statuses, the run) of an existing output directory
              simulate  write a study with known variance fractions, or a classic design's data
              fit       fit one linear mixed model to a CSV file and print an lme4-style summary
              apim      add actor and partner columns to dyadic data (couples) for fit
              bench     time the per-feature fitting against lme4 on the reference design
              gwas      genome-wide association with a genetic relationship matrix (as GEMMA)

            varpart partitions the variance of omics features with linear mixed models (lme4's
            model, the same answers) on Apache Spark.
            """;

    /** Held so that the level set below is not lost when the logger is collected. */
    private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        // netlib logs a warning when it falls back to its pure-Java BLAS; that fallback is fine here
        NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
        int code = run(args, System.out, System.err);
        // A Databricks jar task must return rather than exit; a failure is an exception there.
        if (onDatabricks()) {
            if (code != 0) throw new IllegalStateException(failure(args, code));
            return;
        }
        // In cluster deploy mode (YARN's ApplicationMaster runs main in a thread of its own) a
        // System.exit, even with 0, ends the application before it reports its final status, and
        // YARN records it as FAILED: a success returns; a failure still exits with its code.
        if (code == 0 && "cluster".equals(System.getProperty("spark.submit.deployMode"))) return;
        System.exit(code);
    }

    /** The one-line failure a Databricks task reports: the command and its arguments, credentials hidden. */
    static String failure(String[] args, int code) {
        StringBuilder sb = new StringBuilder("varpart");
        String previous = "";
        for (String a : args) {
            int eq = a.indexOf('=');
            // --key=value and "--key value" both hide a credential-like key's value
            String shown = a.startsWith("--") && eq > 2 ? "--" + a.substring(2, eq) + "=" + Redaction.value(a.substring(2, eq), a.substring(eq + 1))
                    : previous.startsWith("--") && previous.indexOf('=') < 0 && Redaction.isSecretKey(previous.substring(2)) ? "***" : Redaction.text(a);
            sb.append(' ').append(shown);
            previous = a;
        }
        return sb.append(" failed (exit code ").append(code).append("; the driver's log has the details)").toString();
    }

    /** Whether this JVM is a Databricks cluster's driver, which owns the Spark session. */
    static boolean onDatabricks() {
        return System.getenv("DATABRICKS_RUNTIME_VERSION") != null;
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(HELP);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "fit":
                    return FitCommand.run(rest, out);
                case "bench":
                    return BenchCommand.run(rest, out);
                case "run":
                    return RunCommand.run(rest, out);
                case "check":
                    return CheckCommand.run(rest, out);
                case "report":
                    return ReportCommand.run(rest, out);
                case "apim":
                    return ApimCommand.run(rest, out);
                case "simulate":
                    return SimulateCommand.run(rest, out);
                case "gwas":
                    return GwasCommand.run(rest, out);
                default:
                    err.println("varpart: unknown command '" + args[0] + "'.\n");
                    err.print(HELP);
                    return 2;
            }
        } catch (Args.UsageException e) {
            err.println("varpart " + args[0] + ": " + e.getMessage() + " (see varpart " + args[0] + " --help)");
            return 2;
        } catch (FormulaException | InputException | java.io.IOException e) {
            Failure.Explained known = Failure.known(e);
            err.println("varpart " + args[0] + ": " + Redaction.text(known != null ? known.message() : e.getMessage()));
            return known != null ? known.code() : 2;
        } catch (NumberFormatException e) {
            err.println("varpart " + args[0] + ": not a number: " + e.getMessage());
            return 2;
        } catch (Exception | StackOverflowError e) {
            Failure.Explained x = Failure.explain(e);
            // the whole story (redacted) in the driver's log: at ERROR for a failure varpart could not
            // explain, at DEBUG for one it could; one line on stderr
            if (x.code() == Failure.UNEXPECTED) LOG.error("varpart " + Redaction.escapeControls(args[0]) + " failed", Redacted.of(e));
            else LOG.debug("varpart " + Redaction.escapeControls(args[0]) + " failed", Redacted.of(e));
            err.println("varpart " + args[0] + ": " + Redaction.text(x.message()));
            return x.code();
        }
    }
}
