# Generates fixtures/weighted_tests.tsv: the F tests of the fixed terms and the likelihood-ratio
# tests of the random-effects components of dream's weighted REML fits, which a counts assay's
# term_tests and component_tests rows report. The inputs are the log-CPM and voom weights that
# make_counts_fixtures.R wrote (data/logcpm.tsv, data/weights.tsv); run that script first when
# the study changes. The tests do not need R:
#
#   cd src/test/resources/counts && Rscript make_weighted_tests_fixtures.R
#
# References: lmerTest's anova (type III, Satterthwaite's df) and ranova on lmer(weights = w), the
# weights divided by their mean as variancePartition's run_lmm does. ranova refits each reduced
# model with update(), which keeps the weights; the script checks that by refitting the reduced
# models itself with the same weights and comparing the REML criteria. The optimiser is as tight
# as in make_counts_fixtures.R. Output format: key <TAB> name <TAB> value, numbers as %.17g.
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
})
Sys.setlocale("LC_COLLATE", "C")
num <- function(x) sprintf("%.17g", as.numeric(x))
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5),
                     check.conv.singular = .makeCC("ignore", tol = 1e-4))
samples <- read.csv("data/samples.csv", stringsAsFactors = TRUE)
E <- read.delim("data/logcpm.tsv", check.names = FALSE, row.names = 1)
W <- read.delim("data/weights.tsv", check.names = FALSE, row.names = 1)
stopifnot(identical(colnames(E), as.character(samples$sample)), identical(rownames(E), rownames(W)))
rows <- list()
add <- function(key, name, value) rows[[length(rows) + 1]] <<- data.frame(key = key, name = name, value = num(value))
full_formula <- y.local ~ treatment + age + (1 | patient) + (1 | batch)
reduced <- list(patient = y.local ~ treatment + age + (1 | batch), batch = y.local ~ treatment + age + (1 | patient))
for (g in rownames(E)) {
  fd <- samples
  fd$y.local <- as.numeric(E[g, ])
  w <- as.numeric(W[g, ])
  fd$w.local <- w / mean(w)
  fit <- lmerTest::lmer(full_formula, data = fd, weights = w.local, REML = TRUE, control = tight)
  add("reml_objective", g, REMLcrit(fit))
  a <- anova(fit, type = 3, ddf = "Satterthwaite")
  for (term in rownames(a)) {
    key <- paste(g, term, sep = "|")
    add("num_df", key, a[term, "NumDF"])
    add("den_df", key, a[term, "DenDF"])
    add("f", key, a[term, "F value"])
    add("f_p", key, a[term, "Pr(>F)"])
  }
  r <- ranova(fit)
  for (comp in names(reduced)) {
    own <- lmer(reduced[[comp]], data = fd, weights = w.local, REML = TRUE, control = tight)
    label <- paste0("(1 | ", comp, ")")
    row <- which(rownames(r) == label)
    stopifnot(length(row) == 1)
    # ranova's reduced fit uses lme4's default optimiser: its criterion must agree with the tight
    # refit of the same reduced model with the same weights (so update() kept the weights)
    stopifnot(abs(r$logLik[row] - as.numeric(logLik(own))) < 1e-4)
    key <- paste(g, comp, sep = "|")
    add("lrt", key, REMLcrit(own) - REMLcrit(fit))
    add("lrt_df", key, r$Df[row])
    add("ranova_lrt", key, r$LRT[row])
    add("ranova_p", key, r[["Pr(>Chisq)"]][row])
  }
}
write.table(do.call(rbind, rows), file.path("fixtures", "weighted_tests.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE, col.names = FALSE)
