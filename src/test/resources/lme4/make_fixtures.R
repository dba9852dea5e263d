# Generates the data sets in data/ and the lme4/lmerTest reference values in fixtures/ that
# varpart's engine tests compare against (the tests themselves do not need R).
#
#   cd src/test/resources/lme4 && Rscript make_fixtures.R
#
# Every model is fitted on data read back from the CSV the Java tests read, so factor levels are
# R's sorted levels after read.csv and the numbers are exactly the CSV text. Collation is C.
# Output format (fixtures/<model>.<REML|ML>.tsv): key <TAB> name <TAB> value, numbers as %.17g.
#
# Each model is fitted twice: with lme4's defaults, whose objective ("objective_default") and
# evaluation count are recorded as the figure to match or beat, and with a tight optimiser
# (minqa's bobyqa down to a trust radius of 1e-12), whose values are the reference for the
# estimates: where the default fit stops a little early, the estimates move by more than the
# tests' tolerances while the objective changes by less than 1e-8 relative.
#
# The classic designs of the README's worked examples (tumour, qol, practice, schools, couples)
# are not generated here: their data are varpart's own simulations, written by
#   varpart simulate --design NAME --out data/NAME.csv          (default seed)
#   varpart apim --data data/couples.csv --dyad couple --vars stress --role role --out data/couples_apim.csv
# and only read and fitted here (the tests check that varpart still writes the same files). For
# them, likelihood-ratio comparisons of nested models as lme4's anova(m1, m2) gives them are
# written to fixtures/<name>.anova.tsv and listed in comparisons.tsv.
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(splines)
})
Sys.setlocale("LC_COLLATE", "C")
dir.create("data", showWarnings = FALSE)
dir.create("fixtures", showWarnings = FALSE)

write_data <- function(df, file) {
  write.csv(df, file.path("data", file), row.names = FALSE, na = "NA")
  read.csv(file.path("data", file), stringsAsFactors = TRUE)
}

read_data <- function(file) read.csv(file.path("data", file), stringsAsFactors = TRUE)

num <- function(x) sprintf("%.17g", as.numeric(x))

fixture_lines <- function(fit, csv_rows) {
  out <- list()
  add <- function(key, name, value) out[[length(out) + 1]] <<- data.frame(key = key, name = name, value = num(value))
  add("n_obs", "-", nobs(fit))
  add("objective", "-", if (isREML(fit)) REMLcrit(fit) else deviance(fit))
  add("log_likelihood", "-", as.numeric(logLik(fit)))
  add("aic", "-", AIC(fit))
  add("bic", "-", BIC(fit))
  add("sigma2", "-", sigma(fit)^2)
  add("singular", "-", as.integer(isSingular(fit)))
  th <- getME(fit, "theta")
  for (i in seq_along(th)) add("theta", i, th[i])
  b <- fixef(fit)
  se <- sqrt(diag(as.matrix(vcov(fit))))
  V <- as.matrix(vcov(fit))
  for (n in names(b)) {
    add("beta", n, b[[n]])
    add("se", n, se[[n]])
  }
  for (r in rownames(V)) for (c in colnames(V)) add("vcov", paste(r, c, sep = "|"), V[r, c])
  vc <- as.data.frame(VarCorr(fit))
  for (i in seq_len(nrow(vc))) {
    if (vc$grp[i] == "Residual") {
      add("varcomp", "Residual|-", vc$vcov[i])
    } else if (is.na(vc$var2[i])) {
      add("varcomp", paste(vc$grp[i], vc$var1[i], sep = "|"), vc$vcov[i])
      add("sd", paste(vc$grp[i], vc$var1[i], sep = "|"), vc$sdcor[i])
    } else {
      add("corr", paste(vc$grp[i], vc$var1[i], vc$var2[i], sep = "|"), vc$sdcor[i])
    }
  }
  ng <- ngrps(fit)
  for (g in names(ng)) add("ngroups", g, ng[[g]])
  re <- ranef(fit, condVar = TRUE)
  for (g in names(re)) {
    m <- re[[g]]
    pv <- attr(m, "postVar")
    # several terms on one factor, as (x || g) gives, come as a list of arrays, one per term
    pvs <- if (is.list(pv)) pv else list(pv)
    cols <- unlist(lapply(seq_along(pvs), function(t) rep(t, dim(pvs[[t]])[1])))
    within <- unlist(lapply(pvs, function(a) seq_len(dim(a)[1])))
    for (j in seq_len(ncol(m))) for (l in seq_len(nrow(m))) {
      key <- paste(g, colnames(m)[j], rownames(m)[l], sep = "|")
      add("ranef", key, m[l, j])
      add("condsd", key, sqrt(pvs[[cols[j]]][within[j], within[j], l]))
    }
  }
  f <- fitted(fit)
  r <- residuals(fit)
  for (i in seq_along(f)) {
    add("fitted", csv_rows[i], f[i])
    add("residual", csv_rows[i], r[i])
  }
  tryCatch({
    co <- summary(fit)$coefficients
    for (n in rownames(co)) {
      add("sat_df", n, co[n, "df"])
      add("t_value", n, co[n, "t value"])
      add("p_value", n, co[n, "Pr(>|t|)"])
    }
  }, error = function(e) message("  summary df: ", conditionMessage(e)))
  tryCatch({
    a <- anova(fit)
    for (n in rownames(a)) {
      add("anova_numdf", n, a[n, "NumDF"])
      add("anova_dendf", n, a[n, "DenDF"])
      add("anova_f", n, a[n, "F value"])
      add("anova_p", n, a[n, "Pr(>F)"])
    }
  }, error = function(e) message("  anova: ", conditionMessage(e)))
  tryCatch({
    rv <- ranova(fit)
    for (n in rownames(rv)[-1]) {
      add("ranova_lrt", n, rv[n, "LRT"])
      add("ranova_df", n, rv[n, "Df"])
      add("ranova_p", n, rv[n, "Pr(>Chisq)"])
      # the boundary-corrected p-value varpart reports: the 50:50 mixture of chi^2_{k-1} and
      # chi^2_k tails of the same statistic (chi^2_0 is a point mass at 0)
      k <- rv[n, "Df"]
      if (!is.na(k) && k > 0) {
        lower <- if (k == 1) as.numeric(rv[n, "LRT"] <= 0) else pchisq(rv[n, "LRT"], k - 1, lower.tail = FALSE)
        add("ranova_p_mixture", n, 0.5 * lower + 0.5 * rv[n, "Pr(>Chisq)"])
      }
    }
  }, error = function(e) message("  ranova: ", conditionMessage(e)))
  do.call(rbind, out)
}

models <- data.frame(name = character(), data = character(), formula = character())
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))

run_model <- function(name, df, file, formula) {
  models[nrow(models) + 1, ] <<- c(name, file, formula)
  mf <- model.frame(lme4::subbars(as.formula(formula)), df, na.action = na.omit)
  csv_rows <- as.integer(rownames(mf))
  for (reml in c(TRUE, FALSE)) {
    crit <- if (reml) "REML" else "ML"
    message(name, " ", crit)
    # ranova() refits from the call, so the data must be found by name where it looks
    assign("fixture_data", df, envir = globalenv())
    default <- eval(bquote(lmerTest::lmer(.(as.formula(formula)), data = fixture_data, REML = .(reml))),
                    envir = globalenv())
    fit <- eval(bquote(lmerTest::lmer(.(as.formula(formula)), data = fixture_data, REML = .(reml),
                                      control = tight)), envir = globalenv())
    lines <- fixture_lines(fit, csv_rows)
    lines <- rbind(lines, data.frame(key = c("objective_default", "evaluations_default"), name = "-",
                                     value = num(c(if (reml) REMLcrit(default) else deviance(default),
                                                   default@optinfo$feval))))
    lines <- rbind(lines, data.frame(key = "dropped_na", name = "-", value = num(nrow(df) - length(csv_rows))))
    write.table(lines, file.path("fixtures", paste0(name, ".", crit, ".tsv")), sep = "\t",
                quote = FALSE, row.names = FALSE)
  }
}

# --- classic data sets --------------------------------------------------------------------
d <- write_data(Dyestuff, "dyestuff.csv")
run_model("dyestuff", d, "dyestuff.csv", "Yield ~ 1 + (1 | Batch)")
d <- write_data(Dyestuff2, "dyestuff2.csv")
run_model("dyestuff2", d, "dyestuff2.csv", "Yield ~ 1 + (1 | Batch)")
d <- write_data(sleepstudy, "sleepstudy.csv")
run_model("sleepstudy", d, "sleepstudy.csv", "Reaction ~ Days + (Days | Subject)")
run_model("sleepstudy_uncorr", d, "sleepstudy.csv", "Reaction ~ Days + (Days || Subject)")
run_model("sleepstudy_ns", d, "sleepstudy.csv", "Reaction ~ ns(Days, df = 3) + (1 | Subject)")
d <- write_data(Penicillin, "penicillin.csv")
run_model("penicillin", d, "penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)")
d <- write_data(Pastes, "pastes.csv")
run_model("pastes", d, "pastes.csv", "strength ~ 1 + (1 | batch/cask)")
o <- as.data.frame(nlme::Orthodont)
o <- data.frame(distance = o$distance, age = o$age, Subject = as.character(o$Subject), Sex = as.character(o$Sex))
d <- write_data(o, "orthodont.csv")
run_model("orthodont", d, "orthodont.csv", "distance ~ age * Sex + (age | Subject)")

# --- simulated designs --------------------------------------------------------------------
set.seed(20261123)
ns <- 40; nv <- 6
subj <- sprintf("S%02d", 1:ns)
sex <- sample(c("Female", "Male"), ns, replace = TRUE)
trt <- sample(c("control", "high", "low"), ns, replace = TRUE)
age0 <- round(runif(ns, 25, 65), 1)
cat_df <- data.frame(subject = rep(subj, each = nv), sex = rep(sex, each = nv),
                     treatment = rep(trt, each = nv),
                     age = rep(age0, each = nv) + rep(0:(nv - 1), ns) * 0.5)
u <- rnorm(ns, 0, 2)
cat_df$y <- round(10 + 0.08 * cat_df$age + 1.5 * (cat_df$sex == "Male") +
                    0.04 * cat_df$age * (cat_df$sex == "Male") +
                    c(control = 0, high = 2, low = 0.8)[cat_df$treatment] +
                    rep(u, each = nv) + rnorm(nrow(cat_df), 0, 1.2), 6)
d <- write_data(cat_df, "categorical.csv")
run_model("categorical", d, "categorical.csv", "y ~ age * sex + treatment + (1 | subject)")

set.seed(7)
nsub <- 30; nper <- 5; nsite <- 4
tr <- data.frame(subject = rep(sprintf("P%02d", 1:nsub), each = nper))
tr$site <- rep(sprintf("site%d", sample(1:nsite, nsub, replace = TRUE)), each = nper)
tr$treatment <- rep(sample(c("A", "B", "C"), nsub, replace = TRUE), each = nper)
tr$age <- round(rep(runif(nsub, 20, 70), each = nper) + rep(0:(nper - 1), nsub), 3)
tr$dose <- round(runif(nrow(tr), 0.5, 10), 4)
tr$z <- round(runif(nrow(tr), -1, 1), 4)
us <- rnorm(nsub, 0, 1.5); uslope <- rnorm(nsub, 0, 0.05); usite <- rnorm(nsub * nsite, 0, 0.8)
sid <- as.integer(factor(tr$subject))
tr$y <- round(5 + 0.0015 * tr$age^2 + 0.8 * log(tr$dose) - 0.5 * sqrt(tr$dose) + 0.6 * exp(tr$z) +
                c(A = 0, B = 1, C = -0.7)[tr$treatment] + us[sid] + uslope[sid] * tr$age +
                usite[(sid - 1) * nsite + as.integer(factor(tr$site, levels = sprintf("site%d", 1:nsite)))] +
                rnorm(nrow(tr), 0, 0.7), 6)
d <- write_data(tr, "transforms.csv")
run_model("transforms", d, "transforms.csv", "y ~ I(age^2) + log(dose) + sqrt(dose) + exp(z) + (1 | subject)")
run_model("no_intercept", d, "transforms.csv", "y ~ 0 + treatment + age + (0 + age | subject) + (1 | site:subject)")

set.seed(11)
n <- 300
cm <- data.frame(a = sprintf("a%02d", sample(1:30, n, replace = TRUE, prob = (1:30) / sum(1:30))),
                 b = sprintf("b%d", sample(1:8, n, replace = TRUE)),
                 c = sprintf("c%d", sample(1:5, n, replace = TRUE)),
                 x = round(rnorm(n), 6),
                 grp = sample(c("case", "control"), n, replace = TRUE))
ea <- rnorm(30, 0, 1); eb <- rnorm(8, 0, 0.7); ec <- rnorm(5, 0, 0.5)
cm$y <- round(2 + 0.5 * cm$x + 0.8 * (cm$grp == "control") + ea[as.integer(factor(cm$a))] +
                eb[as.integer(factor(cm$b))] + ec[as.integer(factor(cm$c))] + rnorm(n), 6)
cm$y[sample(n, 15)] <- NA
cm$x[sample(n, 9)] <- NA
d <- write_data(cm, "crossed_missing.csv")
run_model("crossed_missing", d, "crossed_missing.csv", "y ~ x + grp + (1 | a) + (1 | b) + (1 | c)")

set.seed(400)
np <- 80
pt <- data.frame(patient = sprintf("P%03d", 1:np), age = round(runif(np, 30, 70), 1),
                 sex = sample(c("F", "M"), np, replace = TRUE))
om <- pt[rep(1:np, each = 5), ]
om$batch_id <- sample(1:16, nrow(om), replace = TRUE)
om$lab <- sprintf("L%d", (om$batch_id - 1) %/% 4 + 1)
om$batch <- sprintf("%sB%d", om$lab, (om$batch_id - 1) %% 4 + 1)
om$batch_id <- NULL
ep <- rnorm(np, 0, sqrt(0.3)); el <- rnorm(4, 0, sqrt(0.1)); eb <- rnorm(16, 0, sqrt(0.1))
om$y <- round(3 + 0.02 * om$age + 0.3 * (om$sex == "M") + ep[as.integer(factor(om$patient))] +
                el[as.integer(factor(om$lab))] + eb[as.integer(factor(om$batch))] +
                rnorm(nrow(om), 0, sqrt(0.4)), 6)
d <- write_data(om, "omics_one.csv")
run_model("omics_one", d, "omics_one.csv", "y ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)")

set.seed(3)
sg <- data.frame(g = rep(sprintf("g%02d", 1:20), each = 8), x = round(rep(0:7, 20) / 2, 3))
sg$y <- round(1 + 0.4 * sg$x + rep(rnorm(20, 0, 1), each = 8) + rnorm(nrow(sg), 0, 1), 6)
d <- write_data(sg, "singular_slope.csv")
run_model("singular_slope", d, "singular_slope.csv", "y ~ x + (x | g)")

# --- classic designs (data simulated by varpart) ------------------------------------------
d <- read_data("tumour.csv")
run_model("tumour", d, "tumour.csv", "log(volume) ~ treatment * day + (day | mouse)")
d <- read_data("qol.csv")
run_model("qol", d, "qol.csv", "qol ~ arm * month + (month | patient)")
d <- read_data("practice.csv")
run_model("practice", d, "practice.csv", "rt ~ log(trial) + condition + (log(trial) | participant)")
d <- read_data("schools.csv")
run_model("schools", d, "schools.csv", "score ~ year + (year | student) + (1 | classroom) + (1 | district)")
# varpart's apim helper must give each person the other member's value, or NA without one
raw <- read.csv(file.path("data", "couples.csv"), stringsAsFactors = FALSE)
d <- read_data("couples_apim.csv")
partner <- vapply(seq_len(nrow(raw)), function(i) {
  j <- which(raw$couple == raw$couple[i] & seq_len(nrow(raw)) != i)
  if (length(j) == 1) raw$stress[j] else NA_real_
}, 0)
stopifnot(identical(d$stress_actor, raw$stress), identical(d$stress_partner, partner),
          identical(as.character(d$couple), raw$couple))
run_model("couples", d, "couples_apim.csv", "satisfaction ~ role + stress_actor + stress_partner + (1 | couple)")

write.table(models, "models.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# --- likelihood-ratio comparisons, as anova(m1, m2) -----------------------------------------
# Reference: both models fitted with the tight optimiser by ML (by REML for refit = FALSE), then
# anova(); "deviance_default" is what anova() gives on lmer()'s default fits, which it refits
# by ML with its default optimiser (refit = TRUE), the figure a fit must match or beat.
comparisons <- data.frame(name = character(), data = character(), formula1 = character(),
                          formula2 = character(), refit = logical())
run_comparison <- function(name, file, f1, f2, refit) {
  comparisons[nrow(comparisons) + 1, ] <<- list(name, file, f1, f2, refit)
  message(name)
  assign("fixture_data", read_data(file), envir = globalenv())
  fit <- function(f, reml, control) eval(bquote(lme4::lmer(.(as.formula(f)), data = fixture_data, REML = .(reml),
                                                           control = .(control))), envir = globalenv())
  m1 <- fit(f1, TRUE, lmerControl()); m2 <- fit(f2, TRUE, lmerControl())
  default <- suppressMessages(anova(m1, m2, refit = refit))
  m1 <- fit(f1, !refit, tight); m2 <- fit(f2, !refit, tight)
  a <- suppressMessages(anova(m1, m2, refit = refit))
  out <- list()
  add <- function(key, nm, value) out[[length(out) + 1]] <<- data.frame(key = key, name = nm, value = num(value))
  for (m in rownames(a)) {
    add("npar", m, a[m, "npar"]); add("aic", m, a[m, "AIC"]); add("bic", m, a[m, "BIC"])
    add("log_likelihood", m, a[m, "logLik"]); add("deviance", m, a[m, "deviance"])
    add("deviance_default", m, default[m, "deviance"])
  }
  add("larger", "-", match(rownames(a)[2], c("m1", "m2")))
  add("chisq", "-", a[2, "Chisq"]); add("df", "-", a[2, "Df"]); add("p_value", "-", a[2, "Pr(>Chisq)"])
  add("refit", "-", as.integer(refit))
  write.table(do.call(rbind, out), file.path("fixtures", paste0(name, ".anova.tsv")), sep = "\t", quote = FALSE,
              row.names = FALSE)
}
run_comparison("tumour_interaction", "tumour.csv", "log(volume) ~ treatment * day + (day | mouse)",
               "log(volume) ~ treatment + day + (day | mouse)", TRUE)
run_comparison("qol_slope", "qol.csv", "qol ~ arm * month + (month | patient)", "qol ~ arm * month + (1 | patient)", TRUE)
run_comparison("qol_slope_reml", "qol.csv", "qol ~ arm * month + (month | patient)",
               "qol ~ arm * month + (1 | patient)", FALSE)
run_comparison("schools_district", "schools.csv", "score ~ year + (year | student) + (1 | classroom) + (1 | district)",
               "score ~ year + (year | student) + (1 | classroom)", TRUE)
write.table(comparisons, "comparisons.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# --- natural spline bases -----------------------------------------------------------------
set.seed(5)
xs <- c(round(runif(27, 0, 20), 2), 3.5, 3.5, 12)
write.csv(data.frame(x = xs), file.path("data", "ns_x.csv"), row.names = FALSE)
cases <- list(list("sleep_df3", sleepstudy$Days, 3), list("x_df4", xs, 4), list("x_df1", xs, 1))
nsl <- list()
for (cs in cases) {
  b <- ns(cs[[2]], df = cs[[3]])
  for (i in seq_len(nrow(b))) for (j in seq_len(ncol(b))) nsl[[length(nsl) + 1]] <- c(cs[[1]], i, j, num(b[i, j]))
  k <- attr(b, "knots")
  for (i in seq_along(k)) nsl[[length(nsl) + 1]] <- c(cs[[1]], "knot", i, num(k[i]))
  bk <- attr(b, "Boundary.knots")
  for (i in 1:2) nsl[[length(nsl) + 1]] <- c(cs[[1]], "boundary", i, num(bk[i]))
}
nsd <- as.data.frame(do.call(rbind, nsl))
names(nsd) <- c("case", "row", "col", "value")
write.table(nsd, file.path("fixtures", "ns_basis.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

writeLines(c(R.version.string, paste("lme4", packageVersion("lme4")),
             paste("lmerTest", packageVersion("lmerTest")), paste("Matrix", packageVersion("Matrix")),
             paste("minqa", packageVersion("minqa"))),
           file.path("fixtures", "VERSIONS.txt"))
