package org.varpart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code varpart bench} prints the bootstrap's cost: replicates per second per core and the projected core-minutes. */
class BenchBootstrapTest {

    @Test
    void benchPrintsTheCostOfIntervals() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--features", "5", "--no-r", "--no-large", "--no-end-to-end",
            "--bootstrap-features", "3"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("confidence intervals (ci = true)"), text);
        Matcher m = Pattern.compile("(\\d+) replicates/s per core; 20,000 features x 200 replicates: ([0-9.]+) core-minutes").matcher(text);
        assertTrue(m.find(), text);
        double perSecond = Double.parseDouble(m.group(1)), minutes = Double.parseDouble(m.group(2));
        assertTrue(perSecond > 0 && minutes > 0, text);
        // the projection is 20,000 × 200 replicates at the printed rate (the rate is rounded to a whole number)
        assertEquals(20_000 * 200 / perSecond / 60, minutes, 0.01 * minutes + 0.05, text);
    }
}
