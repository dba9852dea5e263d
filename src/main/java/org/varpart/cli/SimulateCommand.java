package org.varpart.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.varpart.report.FitSummaryText;
import org.varpart.simulate.ClassicDesign;
import org.varpart.simulate.StudySimulator;
import org.varpart.simulate.Truth;

/** {@code varpart simulate}: writes a study with known variance fractions, or one classic design. */
final class SimulateCommand {
    static final String HELP = """
            Usage: varpart simulate --out DIR [options]
                   varpart simulate --design NAME [--out FILE.csv] [--seed S]

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
              --null-share F         probability that each of a feature's age, sex, lab and
                                     batch effects is absent (true fraction 0), to check the
                                     tests' calibration against truth.tsv (default 0)
              --seed S               random seed (default 1)
              --counts NAME          also write NAME.tsv.gz, raw RNA-seq counts of every
                                     sample (negative binomial with the study's effects and
                                     library sizes that vary by sample), for counts.NAME

            With --design, writes one of the classic designs of the README's worked examples
            instead: a CSV file with one row per measurement (default NAME.csv), the true
            parameters beside it (NAME.truth.tsv: kind, group, term, value) and prints them.
            The designs:
            %s
            """.formatted(designList());

    private SimulateCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        if (GwasCommand.isGwasDesign(argv)) return GwasCommand.simulate(argv, out);
        Args a = Args.parse(argv, Set.of("out", "patients", "samples-per-patient", "labs", "batches-per-lab", "features",
                "assays", "missing", "null-share", "seed", "design", "counts"), Set.of("help"));
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        if (a.has("design")) return simulateDesign(a, out);
        Path dir = Path.of(a.require("out", "the directory to write the study to"));
        StudySimulator.Spec s = new StudySimulator.Spec(
                Integer.parseInt(a.values.getOrDefault("patients", "40")),
                Integer.parseInt(a.values.getOrDefault("samples-per-patient", "5")),
                Integer.parseInt(a.values.getOrDefault("labs", "4")),
                Integer.parseInt(a.values.getOrDefault("batches-per-lab", "2")),
                Integer.parseInt(a.values.getOrDefault("features", "300")),
                a.values.getOrDefault("assays", "rna,protein").split(","),
                Double.parseDouble(a.values.getOrDefault("missing", "0.02")),
                Long.parseLong(a.values.getOrDefault("seed", "1")),
                Double.parseDouble(a.values.getOrDefault("null-share", "0")));
        String[] files = StudySimulator.write(s, dir);
        out.println("varpart: wrote " + s.samples() + " samples and " + s.features() + " features per assay to " + dir);
        out.println("  samples.tsv, " + String.join(", ", files) + ", truth.tsv; formula " + StudySimulator.FORMULA);
        if (a.has("counts")) {
            String file = org.varpart.simulate.CountsSimulator.write(dir, a.values.get("counts"), s.features(), s.seed() + 1);
            out.println("  " + file + ": raw counts of every sample (give it as counts." + a.values.get("counts") + ")");
        }
        return 0;
    }

    private static String designList() {
        StringBuilder sb = new StringBuilder();
        for (ClassicDesign d : ClassicDesign.values()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %s%n            %s%n", d.label(), d.description(), d.formula()));
        }
        return sb.toString().stripTrailing();
    }

    /** {@code --design NAME}: one classic design's data and true parameters. */
    private static int simulateDesign(Args a, PrintStream out) throws IOException {
        ClassicDesign design;
        try {
            design = ClassicDesign.byLabel(a.get("design"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--design: " + e.getMessage());
        }
        for (String k : a.values.keySet()) {
            if (!Set.of("design", "out", "seed").contains(k)) throw new Args.UsageException("--" + k + " does not apply to --design");
        }
        long seed = Long.parseLong(a.values.getOrDefault("seed", Long.toString(ClassicDesign.DEFAULT_SEED)));
        Path csv = Path.of(a.values.getOrDefault("out", design.label() + ".csv"));
        String stem = csv.getFileName().toString().replaceFirst("\\.(csv|txt)$", "");
        Path truthFile = csv.resolveSibling(stem + ".truth.tsv");
        ClassicDesign.Simulated sim = design.simulate(seed);
        if (csv.getParent() != null) Files.createDirectories(csv.getParent());
        Files.writeString(csv, sim.csv(), StandardCharsets.UTF_8);
        Files.writeString(truthFile, truthTsv(sim.truth()), StandardCharsets.UTF_8);
        out.println("varpart: wrote " + csv + " (" + sim.table().rows() + " rows) and " + truthFile + ", seed " + seed);
        out.println(design.description());
        out.println("Simulated from: " + design.formula());
        out.print(truthText(sim.truth()));
        out.println("Fit it:");
        for (String step : design.howToFit(csv.toString())) out.println("  " + step);
        return 0;
    }

    static String truthTsv(Truth truth) {
        StringBuilder sb = new StringBuilder("kind\tgroup\tterm\tvalue\n");
        for (Truth.Parameter p : truth.parameters()) {
            sb.append(p.kind()).append('\t').append(p.group()).append('\t').append(p.term()).append('\t')
                    .append(plain(p.value())).append('\n');
        }
        return sb.toString();
    }

    /** The true values laid out as fit's summary lays out the estimates. */
    static String truthText(Truth truth) {
        List<String[]> fixed = new ArrayList<>();
        List<String[]> random = new ArrayList<>();
        random.add(new String[] {"Groups", "Name", "Std.Dev.", "Corr"});
        String lastGroup = null;
        for (Truth.Parameter p : truth.parameters()) {
            switch (p.kind()) {
                case "fixed" -> fixed.add(new String[] {p.term(), plain(p.value())});
                case "sd" -> {
                    random.add(new String[] {p.group().equals(lastGroup) ? "" : p.group(), p.term(), plain(p.value()), ""});
                    lastGroup = p.group();
                }
                case "corr" -> random.get(random.size() - 1)[3] = plain(p.value());
                default -> random.add(new String[] {"Residual", "", plain(p.value()), ""});
            }
        }
        return "True values:\nRandom effects:\n" + FitSummaryText.table(random.toArray(new String[0][]), 2)
                + "Fixed effects:\n" + FitSummaryText.table(fixed.toArray(new String[0][]), 1);
    }

    private static String plain(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
