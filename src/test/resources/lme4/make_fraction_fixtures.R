# Reference variance fractions: variancePartition's definition (calcVarPart for lmerMod fits,
# as in variancePartition 1.21 and later, which fitExtractVarPartModel applies to every gene)
# evaluated on lme4 fits of the data sets in data/. The Java tests compare varpart's fractions
# with these (VarianceFractionsTest); they do not need R.
#
#   cd src/test/resources/lme4 && Rscript make_fraction_fixtures.R
#
# variancePartition is a Bioconductor package; its definition is short and is written out below
# from its documentation so that the fixtures need only lme4:
#   - each random-effects column contributes its variance (the squared "stddev" attribute of
#     VarCorr), named after the group for an intercept ("patient") and "group.column" otherwise;
#   - each fixed-effect column j other than the intercept has f_j = X_j * beta_j; with v_j the
#     population variance (divide by n) of f_j and V_F that of sum_j f_j, it contributes
#     v_j * V_F / sum(v);
#   - the residual variance sigma^2 is "Residuals";
#   - fractions are the components over their sum.
# variancePartition works per column of X; varpart works per term. They agree whenever every
# fixed term has one column (numeric covariates, two-level factors), which is every model here.
#
# Fits are by ML (REML = FALSE, fitExtractVarPartModel's default) and, for sleepstudy, also by
# REML. Each is fitted with lme4's default optimiser (the numbers variancePartition users see:
# key "vp_fraction_default") and with a tight bobyqa (trust radius 1e-12; key "vp_fraction"),
# the exact optimum the tests hold varpart to.
# Output: fixtures/<model>.<ML|REML>.fractions.tsv with lines key <TAB> component <TAB> value.
suppressPackageStartupMessages(library(lme4))
invisible(Sys.setlocale("LC_COLLATE", "C"))

vp_fractions <- function(fit) {
  comps <- c()
  vc <- VarCorr(fit)
  for (g in names(vc)) {
    sds <- attr(vc[[g]], "stddev")
    for (col in names(sds)) {
      label <- if (col == "(Intercept)") g else paste(g, col, sep = ".")
      comps[label] <- sds[[col]]^2
    }
  }
  X <- getME(fit, "X")
  beta <- fixef(fit)
  labels <- attr(terms(fit), "term.labels")
  assign <- attr(X, "assign")
  stopifnot(!any(duplicated(assign[assign > 0])))  # one column per term: the definitions agree
  cols <- which(colnames(X) != "(Intercept)")
  if (length(cols) > 0) {
    pvar <- function(v) mean((v - mean(v))^2)
    parts <- X[, cols, drop = FALSE] %*% diag(beta[cols], nrow = length(cols))
    v <- apply(parts, 2, pvar)
    total <- pvar(rowSums(parts))
    for (k in seq_along(cols)) comps[labels[assign[cols[k]]]] <- v[k] / sum(v) * total
  }
  comps["Residuals"] <- sigma(fit)^2
  comps / sum(comps)
}

tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
models <- read.delim("models.tsv", stringsAsFactors = FALSE)
cases <- list(c("dyestuff", "ML"), c("penicillin", "ML"), c("pastes", "ML"), c("transforms", "ML"),
              c("crossed_missing", "ML"), c("omics_one", "ML"), c("sleepstudy", "ML"),
              c("sleepstudy", "REML"))
num <- function(x) sprintf("%.17g", as.numeric(x))
for (cs in cases) {
  m <- models[models$name == cs[1], ]
  df <- read.csv(file.path("data", m$data), stringsAsFactors = TRUE)
  reml <- cs[2] == "REML"
  f_tight <- vp_fractions(lmer(as.formula(m$formula), df, REML = reml, control = tight))
  f_default <- vp_fractions(lmer(as.formula(m$formula), df, REML = reml))
  out <- rbind(data.frame(key = "vp_fraction", component = names(f_tight), value = num(f_tight)),
               data.frame(key = "vp_fraction_default", component = names(f_default), value = num(f_default)))
  write.table(out, file.path("fixtures", paste0(cs[1], ".", cs[2], ".fractions.tsv")), sep = "\t",
              quote = FALSE, row.names = FALSE)
  message(cs[1], " ", cs[2], ": ", paste(names(f_tight), signif(f_tight, 6), collapse = ", "))
}
