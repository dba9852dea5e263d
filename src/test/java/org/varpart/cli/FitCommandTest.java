package org.varpart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.Fixtures;

class FitCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsAnLme4StyleSummaryAndWritesJsonAndRanef(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("fit.json"), ranef = dir.resolve("ranef.csv");
        Run r = run("fit", "--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)",
                "--json", json.toString(), "--ranef", ranef.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Linear mixed model fit by REML ['lmerMod']"), r.out());
        // the numbers below are lme4's and lmerTest's, from src/test/resources/lme4/fixtures/sleepstudy.REML.tsv
        // (written by make_fixtures.R), as the summary rounds them: objective 1743.628271958491
        assertTrue(r.out().contains("REML criterion at convergence: 1743.6"), r.out());
        assertTrue(r.out().contains("Number of obs: 180, groups:  Subject, 18"), r.out());
        // Days: se 1.5457889324298524, sat_df 16.999999026306277, t_value 6.7714846056908513,
        // p_value 3.2637900197388121e-06 (the estimate, 10.467, is lme4's beta of the same fixture)
        assertTrue(r.out().matches("(?s).*Days\\s+10\\.467\\s+1\\.5458\\s+17\\.000\\s+6\\.771\\s+3\\.26e-06.*"), r.out());
        // ranova_lrt 42.836813436429793, ranova_df 2
        assertTrue(r.out().contains("Days in (Days | Subject) 42.8368  2"), r.out());
        String j = Files.readString(json);
        // objective 1743.628271958491 and t_value 6.7714846056908513 of the same fixture
        for (String key : new String[] {"\"n_obs\": 180", "\"criterion\": \"REML\"", "\"objective\": 1743.62827",
                "\"term\": \"(Intercept)\"", "\"group\": \"Subject\"", "\"term2\": \"Days\"", "\"levels\": 18", "\"converged\": true",
                "\"component\": \"Days in (Days | Subject)\"", "\"t_value\": 6.77", "\"term_tests\""}) {
            assertTrue(j.contains(key), key + " in " + j);
        }
        String csv = Files.readString(ranef);
        assertTrue(csv.startsWith("group,term,level,estimate,cond_sd\nSubject,(Intercept),308,"), csv);
        assertEquals(1 + 36, csv.split("\n").length);
    }

    @Test
    void mlFitPrintsTheInformationCriteria() {
        Run r = run("fit", "--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--ml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fit by maximum likelihood"), r.out());
        // src/test/resources/lme4/fixtures/sleepstudy.ML.tsv: aic 1763.9393444631976, bic 1783.0970855685389,
        // log_likelihood -875.96967223159879, objective (deviance) 1751.9393444631976; df.resid 180 − 6 = 174
        assertTrue(r.out().matches("(?s).*1763\\.9\\s+1783\\.1\\s+-876\\.0\\s+1751\\.9\\s+174.*"), r.out());
    }

    @Test
    void badInputGivesOneClearMessageAndExitCode2() {
        Run r = run("fit", "--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Dayz + (1 | Subject)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("The column 'Dayz' is not in examples/sleepstudy.csv; its columns are: Reaction, Days, Subject."), r.err());
        r = run("fit", "--data", "no/such.csv", "--formula", "y ~ x + (1|g)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("The file no/such.csv does not exist."), r.err());
        r = run("fit", "--formula", "y ~ x + (1|g)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data is required"), r.err());
        r = run("fit", "--data", "x.csv", "--formula", "y ~ x", "--bogus");
        assertTrue(r.err().contains("unknown option --bogus"), r.err());
    }

    @Test
    void compareAddsTheLikelihoodRatioTestToTheSummaryAndTheJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("fit.json");
        Run r = run("fit", "--data", "src/test/resources/lme4/data/qol.csv", "--formula", "qol ~ arm * month + (month | patient)",
                "--compare", "qol ~ arm * month + (1 | patient)", "--no-tests", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        // lme4: anova(m1, m2) refits both by ML; Chisq 8.4196 on 2 df, p 0.01485 (fixtures/qol_slope.anova.tsv)
        assertTrue(r.out().contains("(refitted by ML, as lme4's anova() does)"), r.out());
        assertTrue(r.out().matches("(?s).*\\n m2 +6 .*\\n m1 +8 .* 8\\.4196 +2 +0\\.0148\\n.*"), r.out());
        String j = Files.readString(json);
        for (String key : new String[] {"\"comparison\"", "\"refitted_ml\": true", "\"npar\": 6", "\"chisq\": 8.41958", "\"df\": 2"}) {
            assertTrue(j.contains(key), key + " in " + j);
        }
        r = run("fit", "--data", "src/test/resources/lme4/data/qol.csv", "--formula", "qol ~ arm * month + (month | patient)",
                "--compare", "qol ~ arm * month + (1 | patient)", "--no-tests", "--no-refit");
        assertTrue(r.out().contains("(REML fits)"), r.out());
    }

    @Test
    void compareMisuseIsAnInputError() {
        Run r = run("fit", "--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--no-refit");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-refit applies only with --compare"), r.err());
        r = run("fit", "--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)",
                "--compare", "Reaction ~ 1 + (1 | Days)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("The models are not nested"), r.err());
        assertEquals("", r.out(), "nothing is fitted or printed before the check");
    }

    @Test
    void ranefFileHoldsLme4sConditionalModes(@TempDir Path dir) throws Exception {
        Path ranef = dir.resolve("mice.csv");
        Run r = run("fit", "--data", "src/test/resources/lme4/data/tumour.csv", "--formula",
                "log(volume) ~ treatment * day + (day | mouse)", "--no-tests", "--ranef", ranef.toString());
        assertEquals(0, r.code(), r.err());
        Fixtures.Fixture f = Fixtures.model("tumour").fixture("REML");
        List<String> lines = Files.readAllLines(ranef);
        assertEquals(1 + 2 * 40, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            String key = c[0] + "|" + c[1] + "|" + c[2];
            double scale = Math.sqrt(f.get("varcomp", c[0] + "|" + c[1]));
            // ranef(fit, condVar = TRUE): 1e-4 of the term's SD, as Lme4FixtureTest
            assertEquals(f.get("ranef", key), Double.parseDouble(c[3]), 1e-4 * scale, "mode " + key);
            assertEquals(f.get("condsd", key), Double.parseDouble(c[4]), 1e-4 * scale, "cond sd " + key);
        }
    }

    @Test
    void simulateDesignAndApimFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        Run r = run("simulate", "--design", "couples", "--out", csv.toString(), "--seed", "9");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("stress_partner -0.25"), r.out());
        assertTrue(Files.readString(dir.resolve("c.truth.tsv")).contains("fixed\t\tstress_partner\t-0.25\n"));
        r = run("apim", "--data", csv.toString(), "--dyad", "couple", "--vars", "stress", "--out", dir.resolve("a.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("a.csv")).startsWith("couple,person,role,stress,satisfaction,stress_actor,stress_partner\n"));
        r = run("simulate", "--design", "mice");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown design 'mice'; the designs are: tumour, qol, practice, schools, couples"), r.err());
        r = run("simulate", "--design", "qol", "--features", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--features does not apply to --design"), r.err());
        r = run("apim", "--data", csv.toString(), "--dyad", "person", "--vars", "stress", "--role", "role", "--out",
                dir.resolve("b.csv").toString());
        assertEquals(0, r.code(), "one person per dyad: nobody has a partner, which is not an error");
        assertTrue(r.out().contains("0 with both members"), r.out());
    }

    @Test
    void helpIsPrinted() {
        Run r = run("fit", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: varpart fit"), r.out());
        assertEquals(0, run("--help").code());
    }
}
