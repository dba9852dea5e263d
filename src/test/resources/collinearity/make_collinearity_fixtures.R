# Reference values for varpart's collinearity table (CollinearityTest).
#
# Run from the repository root:  Rscript src/test/resources/collinearity/make_collinearity_fixtures.R
# Needs R with lme4 (for subbars). Writes, beside this script:
#   nested_samples.tsv  a simulated sample sheet whose batch is nearly nested in lab, with missing values
#   expected.tsv        study, variable1, variable2, value, n_obs for every pair of formula variables
#
# The value is variancePartition's canCorPairs(formula, data), transcribed below line by line
# (formula -> subbars -> model.matrix.lm with na.pass -> columns per term -> per pair, the rows
# complete in both -> stats::cancor -> sqrt(mean(cor^2))). One deliberate difference, the one varpart
# makes: the grouping factors of random terms are made factors first, so that a numeric grouping
# column (plate) is coded by indicators as the mixed model codes it, not as one numeric column.
suppressMessages(library(lme4))

here <- "src/test/resources/collinearity"

can_cor_pairs <- function(formula, data) {
  formula <- subbars(formula)
  X <- model.matrix.lm(formula, data, na.action = "na.pass")
  labels <- attr(terms(formula), "term.labels")
  idx <- attr(X, "assign")
  vars <- list()
  for (i in unique(idx)) {
    if (i == 0) next
    vars[[labels[i]]] <- X[, idx == i, drop = FALSE]
  }
  pairs <- combn(labels, 2)
  out <- NULL
  for (k in seq_len(ncol(pairs))) {
    a <- pairs[1, k]; b <- pairs[2, k]
    keep <- apply(vars[[a]], 1, function(x) !any(is.na(x))) & apply(vars[[b]], 1, function(x) !any(is.na(x)))
    value <- tryCatch({
      fit <- cancor(vars[[a]][keep, , drop = FALSE], vars[[b]][keep, , drop = FALSE])
      sqrt(mean(fit$cor^2))
    }, error = function(e) NA)
    out <- rbind(out, data.frame(variable1 = a, variable2 = b, value = value, n_obs = sum(keep)))
  }
  out
}

as_groups <- function(data, groups) {
  for (g in groups) data[[g]] <- factor(data[[g]])
  data
}

# --- the shipped example study: all 200 samples (the rna assay) and the 181 of the protein assay
example <- read.delim("examples/study/samples.tsv", na.strings = c("", "NA", "NaN"), stringsAsFactors = FALSE)
example <- as_groups(example, c("patient", "lab", "batch"))
protein_samples <- strsplit(readLines("examples/study/protein.tsv", n = 1), "\t")[[1]][-1]
f_example <- ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)

# --- a study whose batch is nearly nested in lab
set.seed(20261201)
n <- 150
patients <- sprintf("P%02d", 1:30)
patient <- rep(patients, each = 5)
lab <- sample(c("labA", "labB", "labC"), n, replace = TRUE)
batch <- paste0(lab, "_b", sample(1:2, n, replace = TRUE))
moved <- c(7, 61, 118)                       # three samples run in a batch of another lab
batch[moved] <- c("labB_b1", "labC_b2", "labA_b1")
batch[moved] <- ifelse(substr(batch[moved], 1, 4) == lab[moved], "labC_b1", batch[moved])
age <- round(rep(runif(30, 25, 80), each = 5), 1)   # a patient's age: a function of patient
sex <- rep(sample(c("F", "M"), 30, replace = TRUE), each = 5)
treatment <- sample(c("ctrl", "low", "high"), n, replace = TRUE)
rin <- round(runif(n, 5, 10), 2)
dose <- round(3 + 0.5 * rin + rnorm(n, 0, 0.01), 4)  # nearly a linear function of rin
plate <- sample(1:5, n, replace = TRUE)              # numeric codes: a grouping factor all the same
age[c(3, 40, 41, 99)] <- NA
sex[c(12, 130)] <- NA
treatment[c(5, 77, 78)] <- NA
rin[c(20, 140)] <- NA
nested <- data.frame(sample = sprintf("S%03d", 1:n), patient, lab, batch, age, sex, treatment, rin, dose, plate)
write.table(nested, file.path(here, "nested_samples.tsv"), sep = "\t", quote = FALSE, row.names = FALSE, na = "NA")
nested <- read.delim(file.path(here, "nested_samples.tsv"), na.strings = c("", "NA", "NaN"), stringsAsFactors = FALSE)
nested <- as_groups(nested, c("patient", "lab", "batch", "plate"))
f_nested <- ~ age + sex + treatment + rin + dose + (1 | patient) + (1 | lab) + (1 | batch) + (1 | plate)

expected <- rbind(
  cbind(study = "example", can_cor_pairs(f_example, example)),
  cbind(study = "example_protein", can_cor_pairs(f_example, example[example$sample %in% protein_samples, ])),
  cbind(study = "nested", can_cor_pairs(f_nested, nested)))
expected$value <- sprintf("%.17g", expected$value)
write.table(expected, file.path(here, "expected.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
cat(sprintf("R %s, lme4 %s: %d pairs written\n", getRversion(), packageVersion("lme4"), nrow(expected)))
