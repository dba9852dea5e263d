# Times lme4 on the benchmark's data, for `varpart bench` (which writes the inputs and reads the
# output). Usage: Rscript lme4_bench.R DIR N_LMER
#   DIR/samples.csv   the sample sheet (sample, patient, lab, batch, age, sex)
#   DIR/features.csv  one column per feature, one row per sample (same order as the sheet)
# Writes DIR/lme4.tsv: feature, deviance (ML), and the timings in the first lines as comments.
suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
n_lmer <- as.integer(args[2])
samples <- read.csv(file.path(dir, "samples.csv"), stringsAsFactors = TRUE)
y <- as.matrix(read.csv(file.path(dir, "features.csv")))
form <- y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)
samples$y <- y[, 1]
# lmer(): the whole fit per feature, on the first n_lmer features
t_lmer <- system.time(for (j in seq_len(n_lmer)) {
  samples$y <- y[, j]
  lmer(form, samples, REML = FALSE)
})[["elapsed"]]
# refit(): the same model with a new response, for every feature
samples$y <- y[, 1]
fit <- lmer(form, samples, REML = FALSE)
dev <- numeric(ncol(y))
t_refit <- system.time(for (j in seq_len(ncol(y))) {
  dev[j] <- deviance(refit(fit, y[, j]))
})[["elapsed"]]
con <- file(file.path(dir, "lme4.tsv"), "w")
writeLines(sprintf("# lmer_ms_per_feature\t%.6f", 1000 * t_lmer / n_lmer), con)
writeLines(sprintf("# refit_ms_per_feature\t%.6f", 1000 * t_refit / ncol(y)), con)
writeLines(sprintf("# lme4\t%s", as.character(packageVersion("lme4"))), con)
writeLines("feature\tdeviance", con)
writeLines(sprintf("%d\t%.17g", seq_len(ncol(y)), dev), con)
close(con)
