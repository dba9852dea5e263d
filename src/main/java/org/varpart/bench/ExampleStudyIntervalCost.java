package org.varpart.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.FractionBootstrap;

/**
 * The cost per feature of {@code ci = true} on the example study (its rna assay, the job's
 * formula and criterion): each feature is fitted on its own observations, then bootstrapped with
 * the given number of replicates, in this thread's CPU time, one core. Run by hand:
 * {@code java -cp target/classes:<dependencies> org.varpart.bench.ExampleStudyIntervalCost [replicates] [features]}.
 */
public final class ExampleStudyIntervalCost {
    static final String FORMULA = "~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)";

    private ExampleStudyIntervalCost() {}

    public static void main(String[] args) throws IOException {
        int replicates = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        DataTable sheet = TableReader.read(Path.of("examples/study/samples.tsv"));
        Map<String, Integer> row = new HashMap<>();
        String[] ids = sheet.column("sample").text();
        for (int i = 0; i < ids.length; i++) row.put(ids[i], i);
        ModelSpec spec = ModelSpec.parse("feature " + FORMULA);
        FitOptions options = FitOptions.mlDefaults().withoutConditionalVariances();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long fitNanos = 0, ciNanos = 0;
        int features = 0, bootstrapped = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Path.of("examples/study/rna.tsv.gz"))), StandardCharsets.UTF_8))) {
            String[] header = r.readLine().split("\t");
            int[] rows = new int[header.length - 1];
            for (int j = 1; j < header.length; j++) rows[j - 1] = row.get(header[j]);
            DataTable samples = sheet.select(rows);
            String line;
            while ((line = r.readLine()) != null && features < limit) {
                String[] cells = line.split("\t");
                double[] y = new double[rows.length];
                for (int j = 0; j < y.length; j++) y[j] = DataTable.parseNumber(cells[j + 1]);
                features++;
                long t0 = cpu.getCurrentThreadCpuTime();
                Design d;
                try {
                    d = DesignBuilder.build(spec, samples, "feature", y);
                } catch (InputException e) {
                    continue;
                }
                BlockFitter fitter = new BlockFitter(d, options);
                double[] ys = new double[d.n()];
                for (int i = 0; i < ys.length; i++) ys[i] = y[d.row(i)];
                FitResult fit = fitter.fit(cells[0], ys);
                long t1 = cpu.getCurrentThreadCpuTime();
                fitNanos += t1 - t0;
                if (!fit.status().hasEstimates()) continue;
                BlockFitter reml = new BlockFitter(d, options.withReml(true));
                FractionBootstrap.run(FractionBootstrap.Method.LOGIT_BASIC, fitter, reml, fit, ys, replicates,
                                FractionBootstrap.seed(1, "rna\t" + cells[0]))
                        .intervals(0.95, FractionBootstrap.Method.LOGIT_BASIC);
                ciNanos += cpu.getCurrentThreadCpuTime() - t1;
                bootstrapped++;
            }
        }
        System.out.printf(Locale.ROOT, "example study, rna assay: %d features, %d bootstrapped with %d replicates; one core: "
                        + "fit (design included) %.2f ms per feature, intervals %.1f ms per feature (%.3f ms per replicate)%n",
                features, bootstrapped, replicates, fitNanos / 1e6 / features, ciNanos / 1e6 / bootstrapped,
                ciNanos / 1e6 / bootstrapped / replicates);
    }
}
