# Reference bootstrap distributions of the variance fractions (FractionBootstrapTest).
#
# Run from the repository root:  Rscript src/test/resources/bootstrap/make_bootstrap_fixtures.R
# Needs R with lme4. Two features of the shipped example study, fitted by ML with
#   y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch):
# rna_00001 (196 of the 200 samples) and the first protein feature with missing values (each its own
# missingness pattern). For each, lme4's parametric bootstrap, bootMer(use.u = FALSE,
# type = "parametric"): new random effects and residuals drawn from the fit's estimates, the model
# refitted, variancePartition's fractions recomputed (written out below as in
# src/test/resources/lme4/make_fraction_fixtures.R). Writes, beside this script:
#   features.tsv   sample, then each feature's values (NA where missing)
#   bootmer.tsv    feature, component, fraction (lme4's fit), mean, sd, q025, q975 of the
#                  replicates' fractions, nsim (replicates with a refit)
suppressPackageStartupMessages(library(lme4))
here <- "src/test/resources/bootstrap"

vp_fractions <- function(fit) {
  comps <- c()
  vc <- VarCorr(fit)
  for (g in names(vc)) {
    sds <- attr(vc[[g]], "stddev")
    for (col in names(sds)) comps[if (col == "(Intercept)") g else paste(g, col, sep = ".")] <- sds[[col]]^2
  }
  X <- getME(fit, "X")
  beta <- fixef(fit)
  labels <- attr(terms(fit), "term.labels")
  assign <- attr(X, "assign")
  cols <- which(colnames(X) != "(Intercept)")
  pvar <- function(v) mean((v - mean(v))^2)
  parts <- X[, cols, drop = FALSE] %*% diag(beta[cols], nrow = length(cols))
  v <- apply(parts, 2, pvar)
  for (k in seq_along(cols)) comps[labels[assign[cols[k]]]] <- v[k] / sum(v) * pvar(rowSums(parts))
  comps["Residuals"] <- sigma(fit)^2
  comps / sum(comps)
}

samples <- read.delim("examples/study/samples.tsv", stringsAsFactors = TRUE)
rna <- read.delim(gzfile("examples/study/rna.tsv.gz"), check.names = FALSE, row.names = 1)
protein <- read.delim("examples/study/protein.tsv", check.names = FALSE, row.names = 1)
pick <- which(rowSums(is.na(protein)) > 0)[1]
values <- data.frame(sample = samples$sample)
values[["rna_00001"]] <- as.numeric(rna["rna_00001", as.character(samples$sample)])
pname <- rownames(protein)[pick]
values[[pname]] <- NA
values[[pname]][match(colnames(protein), samples$sample)] <- as.numeric(protein[pick, ])
write.table(values, file.path(here, "features.tsv"), sep = "\t", quote = FALSE, row.names = FALSE, na = "NA")

nsim <- 2000
out <- NULL
for (f in c("rna_00001", pname)) {
  d <- samples
  d$y <- values[[f]]
  fit <- lmer(y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch), d, REML = FALSE)
  b <- bootMer(fit, vp_fractions, nsim = nsim, use.u = FALSE, type = "parametric", seed = 20261201)
  est <- vp_fractions(fit)
  for (j in seq_along(est)) {
    x <- b$t[, j]
    x <- x[!is.na(x)]
    out <- rbind(out, data.frame(feature = f, component = names(est)[j], fraction = sprintf("%.10g", est[j]),
                                 mean = sprintf("%.10g", mean(x)), sd = sprintf("%.10g", sd(x)),
                                 q025 = sprintf("%.10g", quantile(x, 0.025)), q975 = sprintf("%.10g", quantile(x, 0.975)),
                                 nsim = length(x)))
  }
  message(f, ": ", nobs(fit), " observations")
}
write.table(out, file.path(here, "bootmer.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
cat(sprintf("R %s, lme4 %s, %d replicates per feature\n", getRversion(), packageVersion("lme4"), nsim))
