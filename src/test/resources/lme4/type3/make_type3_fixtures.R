# Writes lmerTest's type III F tests (its default anova, Satterthwaite's denominator df) for
# models whose fixed terms are contained in others -- factor by factor, numeric by factor, three
# variables, numeric by numeric -- on the data sets of ../data, for TypeThreeTest. Run:
#
#   cd src/test/resources/lme4/type3 && Rscript make_type3_fixtures.R
#
# Output: models.tsv (name, data, formula) and <name>.<REML|ML>.tsv (key, name, value as %.17g)
# with the objective and, per term, anova_numdf, anova_dendf, anova_f, anova_p. Fits use a
# tight bobyqa (trust radius down to 1e-12) so the reference sits at the optimum.
suppressPackageStartupMessages(library(lmerTest))
Sys.setlocale("LC_COLLATE", "C")
num <- function(x) sprintf("%.17g", as.numeric(x))
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
models <- data.frame(name = character(), data = character(), formula = character())

run <- function(name, file, formula) {
  models[nrow(models) + 1, ] <<- c(name, file, formula)
  df <- read.csv(file.path("..", "data", file), stringsAsFactors = TRUE)
  for (reml in c(TRUE, FALSE)) {
    fit <- lmer(as.formula(formula), data = df, REML = reml, control = tight)
    a <- anova(fit)
    out <- data.frame(key = "objective", name = "-", value = num(if (reml) REMLcrit(fit) else deviance(fit)))
    for (n in rownames(a)) {
      out <- rbind(out, data.frame(key = c("anova_numdf", "anova_dendf", "anova_f", "anova_p"), name = n,
                                   value = num(c(a[n, "NumDF"], a[n, "DenDF"], a[n, "F value"], a[n, "Pr(>F)"]))))
    }
    write.table(out, paste0(name, ".", if (reml) "REML" else "ML", ".tsv"), sep = "\t", quote = FALSE,
                row.names = FALSE)
  }
}

run("sex_by_treatment", "categorical.csv", "y ~ sex * treatment + age + (1 | subject)")
run("three_way", "categorical.csv", "y ~ age * sex * treatment + (1 | subject)")
run("treatment_by_day", "tumour.csv", "log(volume) ~ treatment * day + (1 | mouse)")
run("numeric_by_numeric", "practice.csv", "log(rt) ~ trial * I(trial^2) + condition + (1 | participant)")
run("arm_by_month_slope", "qol.csv", "qol ~ arm * month + (month | patient)")
# A factor slope: ranova removes the whole factor from (condition | participant), leaving
# (1 | participant); with two levels that is varpart's test of the one slope column.
# Written to factor_slope.<REML|ML>.ranova.tsv (key, name, value).
practice <- read.csv(file.path("..", "data", "practice.csv"), stringsAsFactors = TRUE)
for (reml in c(TRUE, FALSE)) {
  fit <- lmer(rt ~ condition + (condition | participant), data = practice, REML = reml, control = tight)
  rv <- ranova(fit)
  out <- data.frame(key = "objective", name = "-", value = num(if (reml) REMLcrit(fit) else deviance(fit)))
  for (n in rownames(rv)[-1]) {
    out <- rbind(out, data.frame(key = c("ranova_lrt", "ranova_df", "ranova_p"), name = n,
                                 value = num(c(rv[n, "LRT"], rv[n, "Df"], rv[n, "Pr(>Chisq)"]))))
  }
  write.table(out, paste0("factor_slope.", if (reml) "REML" else "ML", ".ranova.tsv"), sep = "\t", quote = FALSE,
              row.names = FALSE)
}
write.table(models, "models.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
writeLines(c(paste("R", getRversion()), paste("lme4", packageVersion("lme4")),
             paste("lmerTest", packageVersion("lmerTest"))), "VERSIONS.txt")
