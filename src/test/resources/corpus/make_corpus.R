# The corpus of real models that CorpusTest fits: public data sets that ship with R packages
# (lme4, nlme, lmerTest, MASS, datasets), plus three omics-like features simulated here with a
# very large batch variance, each model fitted by REML and by ML with lme4 1.1 and lmerTest. The tests do not need R; this script writes what they read:
#
#   cd src/test/resources/corpus && Rscript make_corpus.R
#
#   models.tsv                     name, data file, formula
#   data/<data>.csv                the columns the models use, read back before fitting so that R
#                                  and varpart see the same numbers and the same sorted levels
#   fixtures/<name>.<REML|ML>.tsv  key <TAB> name <TAB> value (numbers as %.17g)
#
# The reference is lme4's best: each model is fitted from lme4's default start with each of its
# optimisers (bobyqa, Nelder_Mead and nloptwrap, lme4's default for lmer) and the fit with the
# lowest criterion is kept. A fixture records, for that fit: the criterion ("objective"), θ, β,
# σ², the variance of every random-effects column, lmerTest's Satterthwaite df of every fixed
# effect, whether lme4's convergence check passed ("converged", 0/1; a singular fit alone is not a
# failure), its singular flag, and every optimiser's criterion, evaluation count and convergence
# flag ("objective_<opt>", "evaluations_<opt>", "converged_<opt>"; lme4's feval, which does not
# count the evaluations of its convergence check).
#
# Tolerances ("tol", one per estimate) follow from the curvature of the criterion at the
# reference θ. A fit whose criterion is within δ = 1e-8·max(1, |criterion|) of the reference can
# move θ by any Δθ with ½ΔθᵀHΔθ ≤ δ (H the Hessian over the θ that are not on their bound), and
# an estimate ψ(θ) by at most √(2δ·gᵀH⁻¹g), g = ∂ψ/∂θ. The tolerance is three times that, plus
# 1e-7·|ψ| for rounding. g comes from central differences of ψ at θ ± h (h = 1e-4·max(|θᵢ|, 0.1),
# shrunk so as not to cross a bound), each ψ computed by lmerTest at a fixed θ (optimizer = NULL);
# H is lme4's own finite-difference Hessian, inverted over its eigenvalues above 1e-8 of the
# largest (a flat direction gets no bound: its tolerance is infinite, written as Inf).
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(nlme, exclude = c("lmList", "collapse"))
  library(MASS)
})
Sys.setlocale("LC_COLLATE", "C")
dir.create("data", showWarnings = FALSE)
dir.create("fixtures", showWarnings = FALSE)
num <- function(x) sprintf("%.17g", as.numeric(x))

# Grouping and factor columns are written as text with a letter in front, so that read.csv (and
# varpart) read them as categorical whatever their labels look like.
lab <- function(x, prefix) paste0(prefix, as.character(x))

write_data <- function(df, file) {
  write.csv(df, file.path("data", file), row.names = FALSE, na = "NA")
  invisible(file)
}
read_data <- function(file) read.csv(file.path("data", file), stringsAsFactors = TRUE)

optimisers <- c("bobyqa", "Nelder_Mead", "nloptwrap")

lme4_converged <- function(fit) {
  msgs <- fit@optinfo$conv$lme4$messages
  msgs <- msgs[!grepl("singular", msgs)]
  warn <- fit@optinfo$warnings
  length(msgs) == 0 && length(warn) == 0
}

fit_with <- function(formula, df, reml, control) {
  assign("corpus_data", df, envir = globalenv())
  withCallingHandlers(
    eval(bquote(lmerTest::lmer(.(formula), data = corpus_data, REML = .(reml), control = .(control))),
         envir = globalenv()),
    warning = function(w) invokeRestart("muffleWarning"),
    message = function(m) invokeRestart("muffleMessage"))
}

crit_of <- function(fit) if (isREML(fit)) REMLcrit(fit) else deviance(fit)

# The estimates compared, as a named vector: beta, sigma2, varcomp, df.
estimates <- function(fit) {
  b <- fixef(fit)
  out <- c(setNames(b, paste0("beta\t", names(b))), "sigma2\t-" = sigma(fit)^2)
  vc <- as.data.frame(VarCorr(fit))
  vc <- vc[vc$grp != "Residual" & is.na(vc$var2), ]
  out <- c(out, setNames(vc$vcov, paste0("varcomp\t", vc$grp, "|", vc$var1)))
  df <- tryCatch(summary(fit)$coefficients[, "df"], error = function(e) NULL)
  if (!is.null(df)) out <- c(out, setNames(df, paste0("df\t", names(df))))
  out
}

estimates_at <- function(formula, df, reml, theta) {
  assign("corpus_data", df, envir = globalenv())
  fit <- suppressWarnings(suppressMessages(eval(bquote(
    lmerTest::lmer(.(formula), data = corpus_data, REML = .(reml), start = list(theta = .(theta)),
                   control = lmerControl(optimizer = NULL, calc.derivs = FALSE))), envir = globalenv())))
  estimates(fit)
}

tolerances <- function(formula, df, reml, best) {
  theta <- getME(best, "theta")
  lower <- getME(best, "lower")
  free <- which(!(lower == 0 & theta < 1e-6))
  est <- estimates(best)
  obj <- crit_of(best)
  delta <- 1e-8 * max(1, abs(obj))
  tol <- rep(Inf, length(est))
  if (length(free) == 0) return(setNames(1e-7 * abs(est), names(est)))
  devfun <- suppressWarnings(suppressMessages(eval(bquote(
    lmer(.(formula), data = corpus_data, REML = .(reml), devFunOnly = TRUE)), envir = globalenv())))
  H <- lme4:::deriv12(function(t) { th <- theta; th[free] <- t; devfun(th) }, theta[free])$Hessian
  H <- (H + t(H)) / 2
  e <- eigen(H, symmetric = TRUE)
  keep <- e$values > 1e-8 * max(e$values)
  G <- matrix(0, length(est), length(free))
  for (a in seq_along(free)) {
    i <- free[a]
    h <- 1e-4 * max(abs(theta[i]), 0.1)
    if (lower[i] == 0) h <- min(h, theta[i] / 2)
    tp <- theta; tp[i] <- tp[i] + h
    tm <- theta; tm[i] <- tm[i] - h
    ep <- estimates_at(formula, df, reml, tp)
    em <- estimates_at(formula, df, reml, tm)
    G[, a] <- (ep[names(est)] - em[names(est)]) / (2 * h)
  }
  for (j in seq_along(est)) {
    g <- G[j, ]
    if (any(!is.finite(g))) next
    proj <- crossprod(e$vectors, g)
    if (any(!keep & abs(proj) > 1e-8 * max(1, sqrt(sum(g^2))))) next  # moves along a flat direction
    q <- sum(proj[keep]^2 / e$values[keep])
    tol[j] <- 3 * sqrt(2 * delta * q) + 1e-7 * abs(est[j])
  }
  setNames(tol, names(est))
}

models <- data.frame(name = character(), data = character(), formula = character())

run_model <- function(name, file, formula) {
  models[nrow(models) + 1, ] <<- c(name, file, formula)
  df <- read_data(file)
  f <- as.formula(formula)
  for (reml in c(TRUE, FALSE)) {
    crit <- if (reml) "REML" else "ML"
    message(name, " ", crit)
    fits <- lapply(optimisers, function(o) fit_with(f, df, reml, lmerControl(optimizer = o)))
    names(fits) <- optimisers
    objs <- sapply(fits, crit_of)
    best <- fits[[which.min(objs)]]
    lines <- list()
    add <- function(key, nm, value) lines[[length(lines) + 1]] <<- data.frame(key = key, name = nm, value = num(value))
    add("n_obs", "-", nobs(best))
    add("objective", "-", crit_of(best))
    add("best_optimizer", names(fits)[which.min(objs)], which.min(objs))
    add("converged", "-", as.integer(lme4_converged(best)))
    add("singular", "-", as.integer(isSingular(best)))
    th <- getME(best, "theta")
    for (i in seq_along(th)) add("theta", i, th[i])
    for (o in optimisers) {
      add(paste0("objective_", o), "-", objs[[o]])
      add(paste0("evaluations_", o), "-", fits[[o]]@optinfo$feval)
      add(paste0("converged_", o), "-", as.integer(lme4_converged(fits[[o]])))
    }
    est <- estimates(best)
    tol <- tolerances(f, df, reml, best)
    for (k in names(est)) {
      kn <- strsplit(k, "\t")[[1]]
      add(kn[1], kn[2], est[[k]])
      add(paste0("tol_", kn[1]), kn[2], tol[[k]])
    }
    write.table(do.call(rbind, lines), file.path("fixtures", paste0(name, ".", crit, ".tsv")),
                sep = "\t", quote = FALSE, row.names = FALSE)
  }
}

# --- data: the columns used, categorical ones as labelled text ----------------------------------
write_data(data.frame(Reaction = sleepstudy$Reaction, Days = sleepstudy$Days,
                      Subject = lab(sleepstudy$Subject, "S")), "sleepstudy.csv")
write_data(data.frame(Yield = Dyestuff$Yield, Batch = as.character(Dyestuff$Batch)), "dyestuff.csv")
write_data(data.frame(Yield = Dyestuff2$Yield, Batch = as.character(Dyestuff2$Batch)), "dyestuff2.csv")
write_data(data.frame(diameter = Penicillin$diameter, plate = as.character(Penicillin$plate),
                      sample = as.character(Penicillin$sample)), "penicillin.csv")
write_data(data.frame(strength = Pastes$strength, batch = as.character(Pastes$batch),
                      cask = as.character(Pastes$cask)), "pastes.csv")
write_data(data.frame(angle = cake$angle, recipe = as.character(cake$recipe), temp = cake$temp,
                      replicate = lab(cake$replicate, "R")), "cake.csv")
write_data(data.frame(height = Oxboys$height, age = Oxboys$age, Subject = lab(Oxboys$Subject, "B")), "oxboys.csv")
write_data(data.frame(distance = Orthodont$distance, age = Orthodont$age, Sex = as.character(Orthodont$Sex),
                      Subject = as.character(Orthodont$Subject)), "orthodont.csv")
write_data(data.frame(score = Machines$score, Machine = as.character(Machines$Machine),
                      Worker = lab(Machines$Worker, "W")), "machines.csv")
write_data(data.frame(travel = Rail$travel, Rail = lab(Rail$Rail, "R")), "rail.csv")
write_data(data.frame(yield = Oats$yield, nitro = Oats$nitro, Variety = as.character(Oats$Variety),
                      Block = as.character(Oats$Block)), "oats.csv")
write_data(data.frame(effort = ergoStool$effort, Type = as.character(ergoStool$Type),
                      Subject = lab(ergoStool$Subject, "S")), "ergostool.csv")
write_data(data.frame(Preference = carrots$Preference, sens1 = carrots$sens1, sens2 = carrots$sens2,
                      Homesize = lab(carrots$Homesize, "H"), Consumer = lab(carrots$Consumer, "C"),
                      Product = as.character(carrots$Product)), "carrots.csv")
write_data(data.frame(liking = ham$Informed.liking, Product = lab(ham$Product, "P"),
                      Information = lab(ham$Information, "I"), Consumer = lab(ham$Consumer, "C")), "ham.csv")
write_data(data.frame(logSize = Spruce$logSize, days = Spruce$days, plot = as.character(Spruce$plot),
                      Tree = as.character(Spruce$Tree)), "spruce.csv")
write_data(data.frame(weight = ChickWeight$weight, Time = ChickWeight$Time, Diet = lab(ChickWeight$Diet, "D"),
                      Chick = lab(ChickWeight$Chick, "C")), "chickweight.csv")
write_data(data.frame(uptake = CO2$uptake, conc = CO2$conc, Type = as.character(CO2$Type),
                      Treatment = as.character(CO2$Treatment), Plant = as.character(CO2$Plant)), "co2.csv")
write_data(data.frame(circumference = Orange$circumference, age = Orange$age, Tree = lab(Orange$Tree, "T")), "orange.csv")
write_data(data.frame(height = Loblolly$height, age = Loblolly$age, Seed = lab(Loblolly$Seed, "S")), "loblolly.csv")
ma <- MathAchieve[MathAchieve$School %in% sort(unique(as.character(MathAchieve$School)))[1:80], ]
write_data(data.frame(MathAch = ma$MathAch, SES = ma$SES, Minority = as.character(ma$Minority),
                      Sex = as.character(ma$Sex), School = lab(ma$School, "S")), "mathach.csv")
write_data(data.frame(pixel = Pixel$pixel, day = Pixel$day, Dog = lab(Pixel$Dog, "D"),
                      Side = as.character(Pixel$Side)), "pixel.csv")
write_data(data.frame(weight = BodyWeight$weight, Time = BodyWeight$Time, Diet = lab(BodyWeight$Diet, "D"),
                      Rat = lab(BodyWeight$Rat, "R")), "bodyweight.csv")
write_data(data.frame(current = Wafer$current, voltage = Wafer$voltage, Wafer = lab(Wafer$Wafer, "W"),
                      Site = lab(Wafer$Site, "S")), "wafer.csv")
write_data(data.frame(rate = Dialyzer$rate, pressure = Dialyzer$pressure, QB = lab(Dialyzer$QB, "Q"),
                      Subject = lab(Dialyzer$Subject, "S")), "dialyzer.csv")
write_data(data.frame(Yield = Alfalfa$Yield, Variety = as.character(Alfalfa$Variety),
                      Date = as.character(Alfalfa$Date), Block = lab(Alfalfa$Block, "B")), "alfalfa.csv")
write_data(data.frame(Y = MASS::oats$Y, N = lab(MASS::oats$N, "N"), V = as.character(MASS::oats$V),
                      B = as.character(MASS::oats$B)), "mass_oats.csv")
write_data(data.frame(yield = npk$yield, N = lab(npk$N, "N"), P = lab(npk$P, "P"), K = lab(npk$K, "K"),
                      block = lab(npk$block, "B")), "npk.csv")
write_data(data.frame(rounds = Gun$rounds, Method = as.character(Gun$Method), Team = as.character(Gun$Team)), "gun.csv")
write_data(data.frame(logticks = log(grouseticks$TICKS + 1), YEAR = lab(grouseticks$YEAR, "Y"),
                      HEIGHT = grouseticks$HEIGHT, BROOD = lab(grouseticks$BROOD, "B"),
                      LOCATION = lab(grouseticks$LOCATION, "L")), "grouseticks.csv")
write_data(data.frame(protein = Milk$protein, Time = Milk$Time, Diet = as.character(Milk$Diet),
                      Cow = as.character(Milk$Cow)), "milk.csv")
write_data(data.frame(logweight = log(Soybean$weight), Time = Soybean$Time, Variety = as.character(Soybean$Variety),
                      Plot = as.character(Soybean$Plot)), "soybean.csv")

# Omics-like features on the reference design of varpart's benchmark (400 samples: 80 patients
# x 5, 4 labs, 16 batches nested in labs), simulated here with R's generator: the batch variance
# is 66 times the residual one (θ of order 8), where large θ must be as safe as small θ.
set.seed(20261201)
om <- data.frame(patient = rep(sprintf("P%02d", 1:80), each = 5))
om$lab <- sprintf("L%d", (seq_len(400) - 1) %% 4 + 1)
om$batch <- paste0(om$lab, "B", (seq_len(400) - 1) %/% 4 %% 4 + 1)
om$age <- round(rep(runif(80, 20, 80), each = 5), 1)
om$sex <- rep(sample(c("F", "M"), 80, replace = TRUE), each = 5)
for (j in 1:3) {
  pe <- rnorm(80, 0, 2.1)[as.integer(factor(om$patient))]
  le <- rnorm(4, 0, 1.5)[as.integer(factor(om$lab))]
  be <- rnorm(16, 0, sqrt(66))[as.integer(factor(om$batch))]
  om[[paste0("y", j)]] <- round(5 + 0.01 * om$age + 0.3 * (om$sex == "M") + pe + le + be + rnorm(400), 6)
}
write_data(om, "omics_large_theta.csv")

# --- models -------------------------------------------------------------------------------------
run_model("sleepstudy_slope", "sleepstudy.csv", "Reaction ~ Days + (Days | Subject)")
run_model("sleepstudy_uncorr", "sleepstudy.csv", "Reaction ~ Days + (Days || Subject)")
run_model("sleepstudy_slope_only", "sleepstudy.csv", "Reaction ~ Days + (0 + Days | Subject)")
run_model("dyestuff", "dyestuff.csv", "Yield ~ 1 + (1 | Batch)")
run_model("dyestuff2_singular", "dyestuff2.csv", "Yield ~ 1 + (1 | Batch)")
run_model("penicillin_crossed", "penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)")
run_model("pastes_nested", "pastes.csv", "strength ~ 1 + (1 | batch/cask)")
run_model("cake_interaction_group", "cake.csv", "angle ~ recipe * temp + (1 | recipe:replicate)")
run_model("cake_crossed", "cake.csv", "angle ~ recipe + temp + (1 | replicate) + (1 | recipe:replicate)")
run_model("oxboys", "oxboys.csv", "height ~ age + I(age^2) + (1 + age | Subject)")
run_model("orthodont", "orthodont.csv", "distance ~ age * Sex + (age | Subject)")
run_model("machines_nested", "machines.csv", "score ~ Machine + (1 | Worker) + (1 | Worker:Machine)")
run_model("machines_factor_slope", "machines.csv", "score ~ Machine + (0 + Machine | Worker)")
run_model("rail", "rail.csv", "travel ~ 1 + (1 | Rail)")
run_model("oats_split_plot", "oats.csv", "yield ~ nitro + Variety + (1 | Block/Variety)")
run_model("ergostool", "ergostool.csv", "effort ~ Type + (1 | Subject)")
run_model("carrots", "carrots.csv", "Preference ~ sens1 + sens2 + Homesize + (1 + sens1 + sens2 | Consumer) + (1 | Product)")
run_model("carrots_crossed", "carrots.csv", "Preference ~ sens2 + (1 | Consumer) + (1 | Product)")
run_model("ham", "ham.csv", "liking ~ Product * Information + (1 | Consumer) + (1 | Product:Consumer)")
run_model("spruce_uncorr", "spruce.csv", "logSize ~ days + plot + (days || Tree)")
run_model("spruce_corr", "spruce.csv", "logSize ~ days + plot + (days | Tree)")
run_model("chickweight", "chickweight.csv", "weight ~ Time * Diet + (Time | Chick)")
run_model("co2", "co2.csv", "uptake ~ Type * Treatment + log(conc) + (1 | Plant)")
run_model("orange_large_scale", "orange.csv", "circumference ~ age + (age | Tree)")
run_model("loblolly", "loblolly.csv", "height ~ age + I(age^2) + (age | Seed)")
run_model("mathach", "mathach.csv", "MathAch ~ SES * Minority + Sex + (SES | School)")
run_model("pixel", "pixel.csv", "pixel ~ day + I(day^2) + (day | Dog) + (1 | Side:Dog)")
run_model("bodyweight", "bodyweight.csv", "weight ~ Time * Diet + (Time | Rat)")
run_model("wafer", "wafer.csv", "current ~ voltage + I(voltage^2) + (1 | Wafer) + (1 | Wafer:Site)")
run_model("dialyzer", "dialyzer.csv", "rate ~ pressure + I(pressure^2) + QB + (pressure | Subject)")
run_model("alfalfa_split_plot", "alfalfa.csv", "Yield ~ Variety * Date + (1 | Block/Variety)")
run_model("mass_oats", "mass_oats.csv", "Y ~ N * V + (1 | B/V)")
run_model("npk", "npk.csv", "yield ~ N + P + K + (1 | block)")
run_model("gun", "gun.csv", "rounds ~ Method + (1 | Team)")
run_model("grouseticks", "grouseticks.csv", "logticks ~ YEAR + HEIGHT + (1 | BROOD) + (1 | LOCATION)")
run_model("milk", "milk.csv", "protein ~ Diet * Time + (Time | Cow)")
run_model("soybean", "soybean.csv", "logweight ~ Time * Variety + (Time | Plot)")
for (j in 1:3) run_model(paste0("omics_large_theta_", j), "omics_large_theta.csv",
                         paste0("y", j, " ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)"))

write.table(models, "models.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
writeLines(c(paste("R", getRversion()), paste("lme4", packageVersion("lme4")),
             paste("lmerTest", packageVersion("lmerTest")), paste("nlme", packageVersion("nlme")),
             paste("MASS", packageVersion("MASS"))), "fixtures/VERSIONS.txt")
