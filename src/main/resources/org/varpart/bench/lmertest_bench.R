# Times lme4 and lmerTest on the end-to-end benchmark's own input, for `varpart bench`.
# Usage: Rscript lmertest_bench.R SAMPLES.tsv ASSAY.tsv N_REFIT N_TESTS OUT.tsv
#   SAMPLES.tsv  the study's sample sheet (sample, patient, lab, batch, age, sex)
#   ASSAY.tsv    features x samples, the first column the feature ID
# lme4: one lmer() fit, then refit() with each of the first N_REFIT features (fits only).
# lmerTest: lmer() + summary() (Satterthwaite t tests) + anova() (F tests) + ranova() (the
# likelihood-ratio test of each random term) for each of the first N_TESTS features: what
# varpart's default tests compute. Writes OUT.tsv: name, milliseconds per feature, count.
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
})
args <- commandArgs(trailingOnly = TRUE)
samples <- read.delim(args[1], stringsAsFactors = TRUE)
n_refit <- as.integer(args[3])
n_tests <- as.integer(args[4])
n_read <- max(n_refit, n_tests)
assay <- read.delim(args[2], nrows = n_read, check.names = FALSE)
y <- t(as.matrix(assay[, as.character(samples$sample)]))
form <- y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)
samples$y <- y[, 1]
fit <- lme4::lmer(form, samples, REML = FALSE)
t_refit <- system.time(for (j in seq_len(n_refit)) {
  invisible(deviance(refit(fit, y[, j])))
})[["elapsed"]]
t_tests <- system.time(for (j in seq_len(n_tests)) {
  samples$y <- y[, j]
  m <- lmerTest::lmer(form, samples, REML = FALSE)
  invisible(summary(m))
  invisible(anova(m))
  invisible(ranova(m))
})[["elapsed"]]
out <- data.frame(name = c("lme4_refit", "lmerTest"),
                  ms_per_feature = 1000 * c(t_refit / n_refit, t_tests / n_tests),
                  features = c(n_refit, n_tests))
write.table(out, args[5], sep = "\t", quote = FALSE, row.names = FALSE)
