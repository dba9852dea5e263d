package org.varpart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertTrue(r.out().contains("REML criterion at convergence: 1743.6"), r.out());
        assertTrue(r.out().contains("Number of obs: 180, groups:  Subject, 18"), r.out());
        // lmerTest: Days 10.467 1.546 17.000 6.771 3.26e-06
        assertTrue(r.out().matches("(?s).*Days\\s+10\\.467\\s+1\\.5458\\s+17\\.000\\s+6\\.771\\s+3\\.26e-06.*"), r.out());
        assertTrue(r.out().contains("Days in (Days | Subject) 42.8368  2"), r.out());
        String j = Files.readString(json);
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
    void helpIsPrinted() {
        Run r = run("fit", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: varpart fit"), r.out());
        assertEquals(0, run("--help").code());
    }
}
