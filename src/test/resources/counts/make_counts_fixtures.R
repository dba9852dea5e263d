# Generates the RNA-seq count study in data/ and the reference values in fixtures/ that the
# tests of org.varpart.counts compare against (the tests do not need R):
#
#   cd src/test/resources/counts && Rscript make_counts_fixtures.R
#
# References: edgeR (filterByExpr, calcNormFactors with TMM), limma (voom for a fixed-effects
# formula, squeezeVar), lme4 and lmerTest (weighted fits, Satterthwaite tests), stats (lowess,
# approxfun, p.adjust). variancePartition is not packaged for Debian and is not used, so its
# voomWithDreamWeights(), dream() + eBayes() and the weighted variance fractions of
# fitExtractVarPartModel() are transcribed below from its published algorithm (the package's
# R/voomWithDreamWeights.R, R/fitMixedModel.R, R/dream.R, R/rdf_functions.R, R/calcVarPart.R and
# R/fitMixedModelDE.R): each step is marked with the function it stands for.
#
# Mixed models are fitted with a tight optimiser (minqa's bobyqa down to a trust radius of
# 1e-12), as the lme4 fixtures of this project are, so that the estimates are those of the
# optimum rather than of where lme4's default stopping rule happens to leave them.
# Output format: key <TAB> name <TAB> value, numbers as %.17g.
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(edgeR)
  library(limma)
})
Sys.setlocale("LC_COLLATE", "C")
dir.create("data", showWarnings = FALSE)
dir.create("fixtures", showWarnings = FALSE)
num <- function(x) sprintf("%.17g", as.numeric(x))
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5),
                     check.conv.singular = .makeCC("ignore", tol = 1e-4))
out <- new.env()
start_fixture <- function() out$rows <- list()
add <- function(key, name, value) {
  out$rows[[length(out$rows) + 1]] <- data.frame(key = key, name = name, value = num(value))
}
write_fixture <- function(file) {
  write.table(do.call(rbind, out$rows), file.path("fixtures", file), sep = "\t", quote = FALSE,
              row.names = FALSE, col.names = FALSE)
}

# ---- the study: 12 patients x 4 samples, 4 batches crossed with patients, 3 treatments ------
set.seed(17)
np <- 12; per <- 4; ns <- np * per; G <- 80
samples <- data.frame(
  sample = sprintf("s%02d", seq_len(ns)),
  patient = sprintf("p%02d", rep(seq_len(np), each = per)),
  batch = sprintf("b%d", ((seq_len(ns) * 7) %% 4) + 1),
  treatment = sample(c("placebo", "drugA", "drugB"), ns, replace = TRUE),
  age = rep(round(runif(np, 30, 70)), each = per))
lib <- round(runif(ns, 0.4, 2.5) * 3e5)
base_cpm <- exp(rnorm(G, log(40), 1.6))
pat_sd <- runif(G, 0, 0.6); bat_sd <- runif(G, 0, 0.3)
trt_eff <- cbind(placebo = 0, drugA = rnorm(G, 0, 0.4), drugB = rnorm(G, 0, 0.4))
counts <- matrix(0L, G + 2, ns)
pi <- match(samples$patient, unique(samples$patient)); bi <- match(samples$batch, sort(unique(samples$batch)))
for (g in seq_len(G)) {
  eta <- log(base_cpm[g] * lib / 1e6) + rnorm(np, 0, pat_sd[g])[pi] + rnorm(4, 0, bat_sd[g])[bi] +
    trt_eff[g, samples$treatment] + 0.01 * (samples$age - 50)
  counts[g, ] <- rnbinom(ns, mu = exp(eta), size = 8)
}
# two features that are zero in every sample
rownames(counts) <- sprintf("gene%03d", seq_len(G + 2))
colnames(counts) <- samples$sample
write.csv(samples, "data/samples.csv", row.names = FALSE)
write.csv(data.frame(feature = rownames(counts), counts, check.names = FALSE), "data/counts.csv",
          row.names = FALSE)
samples <- read.csv("data/samples.csv", stringsAsFactors = TRUE)
cm <- read.csv("data/counts.csv", check.names = FALSE)
counts <- as.matrix(cm[, -1]); rownames(counts) <- cm$feature
storage.mode(counts) <- "double"

# ---- edgeR: filterByExpr with the design of the fixed part, TMM after filtering ---------------
design <- model.matrix(~ treatment + age, samples)
dge <- DGEList(counts)
keep <- filterByExpr(dge, design)
start_fixture()
add("min_sample_size", "-", 1 / max(hat(design)))
for (g in rownames(counts)) add("keep", g, as.integer(keep[[g]]))
dge <- dge[keep, , keep.lib.sizes = FALSE]
dge <- calcNormFactors(dge, method = "TMM")
for (s in colnames(counts)) {
  add("lib_size", s, dge$samples[s, "lib.size"])
  add("norm_factor", s, dge$samples[s, "norm.factors"])
}
write_fixture("edger.tsv")
kept <- dge$counts
lib.size <- dge$samples$lib.size * dge$samples$norm.factors

# ---- lowess and approxfun(rule = 2) on points with ties ---------------------------------------
set.seed(5)
lx <- round(runif(150, 0, 10), 1)
ly <- sin(lx) + rnorm(150, 0, 0.3) + ifelse(runif(150) < 0.05, 3, 0)
write.csv(data.frame(x = lx, y = ly), "data/lowess_xy.csv", row.names = FALSE)
lxy <- read.csv("data/lowess_xy.csv")
start_fixture()
for (span in c(0.5, 0.3)) {
  l <- lowess(lxy$x, lxy$y, f = span)
  for (i in seq_along(l$y)) add(paste0("lowess_", span), i, l$y[i])
  f <- suppressWarnings(approxfun(l, rule = 2))
  at <- c(-1, 0, 0.05, 2.35, 5, 7.77, 9.99, 10, 12)
  for (a in at) add(paste0("approx_", span), a, f(a))
}
write_fixture("lowess.tsv")

# ---- limma::voom with the fixed-effects formula (the trend without mixed models) --------------
v <- voom(dge, design, span = 0.5)
start_fixture()
for (g in rownames(kept)) for (j in seq_len(ns)) add("weight", paste(g, colnames(kept)[j], sep = "|"), v$weights[g == rownames(kept), j])
write_fixture("voom_fixed.tsv")

# ---- voomWithDreamWeights (transcription) ----------------------------------------------------
# voomWithDreamWeights(counts, formula, data, lib.size, span = 0.5): log-CPM with prior count 0.5,
# a first round of ML fits with unit weights (fitVarPartModel with rescaleWeights = TRUE; run_lmm
# then refits from the optimum, which the tight optimiser makes unnecessary), sx = mean log-CPM +
# mean(log2(lib.size + 1)) - log2(1e6), sy = sqrt(sigma), all-zero features left out of the
# trend, lowess(sx, sy, f = span), approxfun(rule = 2), w = 1 / trend(fitted log-count)^4.
form <- ~ treatment + age + (1 | patient) + (1 | batch)
fit_one <- function(y, w, reml) {
  fd <- samples
  fd$y.local <- y
  fd$w.local <- w / mean(w)           # run_lmm's rescaleWeights
  lmerTest::lmer(y.local ~ treatment + age + (1 | patient) + (1 | batch), data = fd,
                 weights = w.local, REML = reml, control = tight)
}
E <- t(log2(t(kept + 0.5) / (lib.size + 1) * 1e6))
Gk <- nrow(E)
sd1 <- amean <- numeric(Gk)
fitted1 <- matrix(NA_real_, Gk, ns)
for (g in seq_len(Gk)) {
  fit <- fit_one(E[g, ], rep(1, ns), FALSE)
  sd1[g] <- sigma(fit)
  amean[g] <- mean(E[g, ])
  fitted1[g, ] <- predict(fit)
}
sx <- amean + mean(log2(lib.size + 1)) - log2(1e6)
sy <- sqrt(sd1)
allzero <- rowSums(kept) == 0
trend <- lowess(sx[!allzero], sy[!allzero], f = 0.5)
ftrend <- suppressWarnings(approxfun(trend, rule = 2))
fitted.count <- 1e-6 * t(t(2^fitted1) * (lib.size + 1))
W <- 1 / ftrend(log2(fitted.count))^4
dim(W) <- dim(fitted1)
start_fixture()
for (g in seq_len(Gk)) {
  gn <- rownames(kept)[g]
  add("sx", gn, sx[g])
  add("sqrt_sd", gn, sy[g])
  for (j in seq_len(ns)) add("weight", paste(gn, colnames(kept)[j], sep = "|"), W[g, j])
}
write_fixture("voom_dream.tsv")
# the same log-CPM and weights as a log-scale assay with precision weights (weights.<name> = FILE):
# the job given these two files must reproduce dream.tsv below, which is their lme4/lmerTest
# reference as well
tsv <- function(m, file) write.table(data.frame(feature = rownames(kept), matrix(num(m), nrow(m),
  dimnames = list(NULL, colnames(kept))), check.names = FALSE), file, sep = "\t", quote = FALSE, row.names = FALSE)
tsv(E, "data/logcpm.tsv")
tsv(W, "data/weights.tsv")

# ---- dream() + eBayes() (transcription), and the weighted fractions ---------------------------
# dream: REML fit with the voom weights divided by their mean; lmerTest's Satterthwaite t tests of
# each coefficient and of the contrast; rdf.merMod's residual df n - 2 tr(H) + sum(H^2), H the hat
# matrix of the weighted fit (lme4's hatvalues code with fullHatMatrix); eBayes for MArrayLM2:
# limma::squeezeVar(sigma^2, rdf), t = beta / (SE sqrt(s2.post) / sigma), df = Satterthwaite df +
# df.prior, two-sided p from t; Benjamini-Hochberg per coefficient across features.
# Fractions: variancePartition's getVarianceComponents on the weighted ML fit, the fixed part per
# term (a factor's columns together) with weighted population variances.
rdf_of <- function(fit) {
  n <- nobs(fit)
  sqrtW <- Diagonal(x = sqrt(weights(fit, type = "prior")))
  H <- with(getME(fit, c("L", "Lambdat", "Zt", "RX", "X", "RZX")), {
    CL <- solve(L, solve(L, Lambdat %*% Zt %*% sqrtW, system = "P"), system = "L")
    CR <- solve(t(RX), t(X) %*% sqrtW - crossprod(RZX, CL))
    as.matrix(crossprod(CL) + crossprod(CR))
  })
  n - 2 * sum(diag(H)) + sum(H * H)
}
wvar <- function(x, w) sum(w * (x - sum(w * x) / sum(w))^2) / sum(w)
contrast <- c("(Intercept)" = 0, treatmentdrugB = 1, treatmentplacebo = -1, age = 0)
tests <- list(); sigma2 <- rdf <- numeric(Gk)
start_fixture()
for (g in seq_len(Gk)) {
  gn <- rownames(kept)[g]
  fit <- fit_one(E[g, ], W[g, ], TRUE)
  add("reml_objective", gn, REMLcrit(fit))
  add("reml_sigma2", gn, sigma(fit)^2)
  th <- getME(fit, "theta")
  for (i in seq_along(th)) add("reml_theta", paste(gn, names(th)[i], sep = "|"), th[i])
  sigma2[g] <- sigma(fit)^2
  rdf[g] <- rdf_of(fit)
  add("rdf", gn, rdf[g])
  ct <- as.data.frame(summary(fit)$coefficients)
  L <- diag(length(contrast)); colnames(L) <- names(contrast)
  rows <- lapply(names(contrast), function(cf) {
    r <- contest(fit, L[, cf], joint = FALSE)
    data.frame(feature = gn, coef = cf, est = r$Estimate, se = r[["Std. Error"]], df = r$df,
               t = r[["t value"]], p = r[["Pr(>|t|)"]])
  })
  r <- contest(fit, contrast, joint = FALSE)
  rows[[length(rows) + 1]] <- data.frame(feature = gn, coef = "treatmentdrugB - treatmentplacebo",
                                         est = r$Estimate, se = r[["Std. Error"]], df = r$df,
                                         t = r[["t value"]], p = r[["Pr(>|t|)"]])
  tests[[g]] <- do.call(rbind, rows)
  mf <- fit_one(E[g, ], W[g, ], FALSE)
  add("ml_objective", gn, deviance(mf))
  w <- weights(mf, type = "prior")
  X <- getME(mf, "X"); asg <- attr(X, "assign"); b <- fixef(mf)
  vc <- as.data.frame(VarCorr(mf))
  comp <- setNames(vc$vcov[vc$grp != "Residual"], vc$grp[vc$grp != "Residual"])
  parts <- lapply(setdiff(unique(asg), 0), function(a) drop(X[, asg == a, drop = FALSE] %*% b[asg == a]))
  names(parts) <- attr(terms(mf), "term.labels")[setdiff(unique(asg), 0)]
  v <- sapply(parts, wvar, w = w)
  vf <- wvar(Reduce(`+`, parts), w)
  comp <- c(comp, v / sum(v) * vf, Residuals = sigma(mf)^2)
  for (k in names(comp)) add("fraction", paste(gn, k, sep = "|"), comp[[k]] / sum(comp))
}
tests <- do.call(rbind, tests)
sq <- squeezeVar(sigma2, rdf)
add("df_prior", "-", sq$df.prior)
add("var_prior", "-", sq$var.prior)
for (g in seq_len(Gk)) add("s2_post", rownames(kept)[g], sq$var.post[g])
tests$s2post <- sq$var.post[match(tests$feature, rownames(kept))]
tests$sigma2 <- sigma2[match(tests$feature, rownames(kept))]
tests$mod_t <- tests$est / (tests$se * sqrt(tests$s2post / tests$sigma2))
tests$mod_df <- tests$df + sq$df.prior
tests$mod_p <- 2 * pt(abs(tests$mod_t), tests$mod_df, lower.tail = FALSE)
tests$mod_q <- ave(tests$mod_p, tests$coef, FUN = function(p) p.adjust(p, "BH"))
for (i in seq_len(nrow(tests))) {
  key <- paste(tests$feature[i], tests$coef[i], sep = "|")
  for (col in c("est", "se", "df", "t", "p", "mod_t", "mod_df", "mod_p", "mod_q")) add(col, key, tests[[col]][i])
}
write_fixture("dream.tsv")
writeLines(c(R.version.string, paste("edgeR", packageVersion("edgeR")), paste("limma", packageVersion("limma")),
             paste("lme4", packageVersion("lme4")), paste("lmerTest", packageVersion("lmerTest"))),
           "fixtures/VERSIONS.txt")
