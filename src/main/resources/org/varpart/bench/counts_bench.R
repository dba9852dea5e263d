# Times the R pipeline of an RNA-seq counts assay per feature, for `varpart bench --counts` (which
# writes the inputs and reads the output). Usage: Rscript counts_bench.R DIR
#   DIR/samples.tsv  the study's sample sheet (sample, patient, lab, batch, age, sex)
#   DIR/counts.tsv   a subset of the study's count features (feature, then one column per sample)
#   DIR/lib.tsv      each sample's library size (column total x TMM factor) of the whole study
# The steps are those of the project's R transcription of voomWithDreamWeights, dream and eBayes
# (src/test/resources/counts/make_counts_fixtures.R), per feature: a first, unweighted ML fit
# (lmer + refit from its optimum, as variancePartition's run_lmm), the lowess trend and the
# weights, a weighted ML fit (the fractions), a weighted REML lmerTest fit with a Satterthwaite
# t test (contest) per coefficient, and the residual df from the full hat matrix; limma's
# squeezeVar across the subset. filterByExpr and TMM are left out (they cost little per feature).
# Writes DIR/counts_r.tsv: the CPU (user + system) milliseconds per feature of each step.
suppressPackageStartupMessages({ library(lme4); library(lmerTest); library(limma) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
samples <- read.delim(file.path(dir, "samples.tsv"), stringsAsFactors = TRUE)
cm <- read.delim(file.path(dir, "counts.tsv"), check.names = FALSE)
counts <- as.matrix(cm[, -1]); rownames(counts) <- cm[[1]]
counts <- counts[, as.character(samples$sample), drop = FALSE]
lib.size <- read.delim(file.path(dir, "lib.tsv"))$lib[match(as.character(samples$sample), read.delim(file.path(dir, "lib.tsv"))$sample)]
G <- nrow(counts); ns <- ncol(counts)
cpu <- function(expr) { t <- system.time(expr); t[["user.self"]] + t[["sys.self"]] }
E <- t(log2(t(counts + 0.5) / (lib.size + 1) * 1e6))
fit_one <- function(y, w, reml, test = FALSE) {
  fd <- samples; fd$y.local <- y; fd$w.local <- w / mean(w)
  f <- y.local ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)
  if (test) lmerTest::lmer(f, data = fd, weights = w.local, REML = reml)
  else lme4::lmer(f, data = fd, weights = w.local, REML = reml)
}
sd1 <- amean <- numeric(G); fitted1 <- matrix(NA_real_, G, ns)
t_first <- cpu(for (g in seq_len(G)) {
  fit <- fit_one(E[g, ], rep(1, ns), FALSE)
  fit <- refit(fit, E[g, ])
  sd1[g] <- sigma(fit); amean[g] <- mean(E[g, ]); fitted1[g, ] <- predict(fit)
})
t_trend <- cpu({
  sx <- amean + mean(log2(lib.size + 1)) - log2(1e6)
  trend <- lowess(sx, sqrt(sd1), f = 0.5)
  ftrend <- suppressWarnings(approxfun(trend, rule = 2))
  W <- 1 / ftrend(log2(1e-6 * t(t(2^fitted1) * (lib.size + 1))))^4
  dim(W) <- dim(fitted1)
})
t_ml <- cpu(for (g in seq_len(G)) fit_one(E[g, ], W[g, ], FALSE))
rdf_of <- function(fit) {
  sqrtW <- Diagonal(x = sqrt(weights(fit, type = "prior")))
  H <- with(getME(fit, c("L", "Lambdat", "Zt", "RX", "X", "RZX")), {
    CL <- solve(L, solve(L, Lambdat %*% Zt %*% sqrtW, system = "P"), system = "L")
    CR <- solve(t(RX), t(X) %*% sqrtW - crossprod(RZX, CL))
    as.matrix(crossprod(CL) + crossprod(CR))
  })
  nobs(fit) - 2 * sum(diag(H)) + sum(H * H)
}
sigma2 <- rdf <- numeric(G)
t_dream <- 0; t_rdf <- 0
for (g in seq_len(G)) {
  t_dream <- t_dream + cpu({
    fit <- fit_one(E[g, ], W[g, ], TRUE, test = TRUE)
    L <- diag(length(fixef(fit)))
    for (k in seq_len(ncol(L))) contest(fit, L[, k], joint = FALSE)
    sigma2[g] <- sigma(fit)^2
  })
  t_rdf <- t_rdf + cpu(rdf[g] <- rdf_of(fit))
}
t_sq <- cpu(squeezeVar(sigma2, rdf))
ms <- function(t) 1000 * t / G
con <- file(file.path(dir, "counts_r.tsv"), "w")
writeLines(sprintf("%s\t%.6f", c("first_pass", "trend", "weighted_ml", "dream", "rdf", "squeeze"),
                   c(ms(t_first), ms(t_trend), ms(t_ml), ms(t_dream), ms(t_rdf), ms(t_sq))), con)
close(con)
