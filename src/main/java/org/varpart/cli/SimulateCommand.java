package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.varpart.simulate.StudySimulator;

/** {@code varpart simulate}: writes a study with known variance fractions. */
final class SimulateCommand {
    static final String HELP = """
            Usage: varpart simulate --out DIR [options]

            Writes a simulated multi-omics study with known variance fractions: samples.tsv
            (sample, patient, lab, batch, age, sex), one feature x sample matrix per assay (the
            first gzip-compressed; later assays leave out a tenth of the samples), and truth.tsv
            (assay, feature, component, true_fraction) for the model
              ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)

            Options:
              --out DIR              where to write (created if needed)
              --patients N           patients (default 40)
              --samples-per-patient N  samples of each patient (default 5)
              --labs N               labs (default 4)
              --batches-per-lab N    batches in each lab (default 2)
              --features N           features per assay (default 300)
              --assays a,b           assay names (default rna,protein)
              --missing F            share of missing values (default 0.02)
              --seed S               random seed (default 1)
            """;

    private SimulateCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Set.of("out", "patients", "samples-per-patient", "labs", "batches-per-lab", "features",
                "assays", "missing", "seed", "design"), Set.of("help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        Path dir = Path.of(a.require("out", "the directory to write the study to"));
        StudySimulator.Spec s = new StudySimulator.Spec(
                Integer.parseInt(a.values.getOrDefault("patients", "40")),
                Integer.parseInt(a.values.getOrDefault("samples-per-patient", "5")),
                Integer.parseInt(a.values.getOrDefault("labs", "4")),
                Integer.parseInt(a.values.getOrDefault("batches-per-lab", "2")),
                Integer.parseInt(a.values.getOrDefault("features", "300")),
                a.values.getOrDefault("assays", "rna,protein").split(","),
                Double.parseDouble(a.values.getOrDefault("missing", "0.02")),
                Long.parseLong(a.values.getOrDefault("seed", "1")));
        String[] files = StudySimulator.write(s, dir);
        out.println("varpart: wrote " + s.samples() + " samples and " + s.features() + " features per assay to " + dir);
        out.println("  samples.tsv, " + String.join(", ", files) + ", truth.tsv; formula " + StudySimulator.FORMULA);
        return 0;
    }
}
