package org.varpart.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.varpart.gwas.GwasConfig;
import org.varpart.gwas.GwasJob;
import org.varpart.gwas.GwasSimulator;
import org.varpart.job.Redaction;

/** {@code varpart gwas}: genome-wide association with a GRM; and {@code simulate --design gwas}, a cohort to try it on. */
final class GwasCommand {
    /** The GWAS job's progress, notes and warnings (INFO and WARN). */
    private static final org.slf4j.Logger JOB_LOG = org.slf4j.LoggerFactory.getLogger(GwasJob.class);

    static final String DEFAULT_CONFIG = "conf/gwas-example.conf";
    static final String HELP = """
            Usage: varpart gwas [CONFIG] [--key=value ...]

            Tests every SNP of a PLINK 1 fileset for association with each phenotype, in a linear
            mixed model whose random effect follows the genetic relationship matrix (GEMMA's
            -gk 1 and -lmm 4: Wald, likelihood-ratio and score tests), beside the naive least-
            squares test (PLINK 2's --glm). Writes associations, heritability and summary as
            Parquet, run.json and report.html. CONFIG is a key = value file (default:
            conf/gwas-example.conf, the shipped example cohort).

            Keys:
            %s
            varpart gwas --bench [--samples N] [--snps M] [--no-gemma] times the whole run on a
            simulated cohort (default 1,200 x 20,000) on local[2], Spark's start included, beside
            GEMMA (-gk 1 and -lmm 4) in the same run when it is installed; wall and CPU time of
            both, the load average, and an estimate of both before it starts.
            """;
    static final String SIMULATE_HELP = """
            Usage: varpart simulate --design gwas --out DIR [--samples N] [--snps M] [--chromosomes C]
                                    [--causal K] [--fst F] [--seed S]

            Writes a cohort in PLINK format (DIR/cohort.bed/.bim/.fam), its sample sheet
            (DIR/samples.tsv: sample, family, population, age, sex, trait, trait_b) and the truth
            (DIR/truth.tsv): two populations (Balding-Nichols, Fst F, default 0.05), families of
            siblings, an environment that follows ancestry in 'trait' (the confounder; 'trait_b'
            has none), a polygenic background and K causal SNPs (default 5). Defaults: 1,200
            samples, 20,000 SNPs on 10 chromosomes, seed 1.
            """;

    private GwasCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        if (argv.length > 0 && argv[0].equals("--bench")) {
            Args a = Args.parse(java.util.Arrays.copyOfRange(argv, 1, argv.length), Set.of("samples", "snps"), Set.of("no-gemma"));
            org.varpart.gwas.GwasBenchmark.run(Integer.parseInt(a.values.getOrDefault("samples", "1200")),
                    Integer.parseInt(a.values.getOrDefault("snps", "20000")), !a.has("no-gemma"), out, LogLines.to(JOB_LOG));
            return 0;
        }
        String config = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.printf(HELP, GwasConfig.documentation());
                return 0;
            }
            if (a.startsWith("--")) {
                String kv = a.substring(2);
                int eq = kv.indexOf('=');
                if (eq > 0) overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                else if (kv.equals("overwrite")) overrides.put(kv, "true");
                else if (i + 1 < argv.length) overrides.put(kv, argv[++i]);
                else throw new Args.UsageException("--" + kv + " needs a value");
            } else if (config == null) {
                config = a;
            } else {
                throw new Args.UsageException("one config file only; found '" + config + "' and '" + a + "'");
            }
        }
        if (config == null && java.nio.file.Files.exists(Path.of(DEFAULT_CONFIG)) && !overrides.containsKey("genotypes")) config = DEFAULT_CONFIG;
        boolean own = RunCommand.existing().isEmpty();
        // the config is read with a plain Hadoop configuration: no Spark work before it is checked
        GwasConfig cfg = GwasConfig.load(config, overrides, new org.apache.hadoop.conf.Configuration());
        // each task one BLAS thread: the cores are shared out by Spark's tasks
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(cfg.sparkSettings());
        settings.putIfAbsent("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        // as run: an existing session is used and left running; only one varpart starts on local is quietened
        SparkSession spark = own ? Sessions.start("varpart gwas", cfg.get("master"), settings)
                : Sessions.adopt(RunCommand.existing().get(), cfg.sparkSettings());
        try {
            // progress, notes and warnings go to the log; stdout gets the result only
            GwasJob.Outcome o = GwasJob.run(spark, cfg, LogLines.to(JOB_LOG));
            out.printf(Locale.ROOT, "varpart: %d SNPs x %d samples in %.1f s%n", o.snps(), o.samples(), o.seconds());
            o.lambdas().forEach((k, v) -> out.printf(Locale.ROOT, "varpart: lambda_GC %s = %s%n", k, v == null ? "NA" : String.format(Locale.ROOT, "%.3f", v)));
            out.println("varpart: results in " + Redaction.text(o.output()) + " (associations, heritability, summary, run.json; open report.html in a browser)");
            return 0;
        } finally {
            if (own && !Main.onDatabricks()) spark.stop();
        }
    }

    /** Whether {@code simulate}'s arguments ask for the GWAS cohort. */
    static boolean isGwasDesign(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--design=gwas") || (argv[i].equals("--design") && i + 1 < argv.length && argv[i + 1].equals("gwas"))) return true;
        }
        return false;
    }

    static int simulate(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Set.of("design", "out", "samples", "snps", "chromosomes", "causal", "fst", "seed"), Set.of("help"));
        if (a.has("help")) {
            out.print(SIMULATE_HELP);
            return 0;
        }
        Path dir = Path.of(a.require("out", "the directory to write the cohort to"));
        GwasSimulator.Spec s = new GwasSimulator.Spec(Integer.parseInt(a.values.getOrDefault("samples", "1200")),
                Integer.parseInt(a.values.getOrDefault("snps", "20000")), Integer.parseInt(a.values.getOrDefault("chromosomes", "10")),
                Integer.parseInt(a.values.getOrDefault("causal", "5")), Double.parseDouble(a.values.getOrDefault("fst", "0.05")),
                Long.parseLong(a.values.getOrDefault("seed", "1")));
        GwasSimulator.write(s, dir);
        out.println("varpart: wrote " + s.samples() + " samples x " + s.snps() + " SNPs to " + dir
                + " (cohort.bed/.bim/.fam, samples.tsv, truth.tsv); analyse with: varpart gwas --genotypes=" + dir.resolve("cohort")
                + " --samples=" + dir.resolve("samples.tsv") + " --phenotypes=trait --formula='~ age + sex' --output=OUT");
        return 0;
    }
}
