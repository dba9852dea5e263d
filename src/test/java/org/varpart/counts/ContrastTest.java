package org.varpart.counts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.varpart.InputException;

/** Parsing of contrast keys into vectors over the coefficients, and the errors users see. */
class ContrastTest {
    private static final String[] COEF = {"(Intercept)", "treatmentdrug", "treatmentplacebo", "age", "dose-high"};

    @Test
    void differencesSumsAndMultiples() {
        assertArrayEquals(new double[] {0, 1, -1, 0, 0}, Contrast.parse("c", "treatmentdrug - treatmentplacebo").vector(COEF));
        assertArrayEquals(new double[] {0, 0.5, 0.5, -2, 0},
                Contrast.parse("c", "0.5*treatmentdrug + treatmentplacebo * 0.5 - 2 * age").vector(COEF));
        assertArrayEquals(new double[] {-1, 0, 0, 0, 1}, Contrast.parse("c", "-(Intercept) + `dose-high`").vector(COEF));
        assertArrayEquals(new double[] {0, 0, 0, 1e-3, 0}, Contrast.parse("c", "1e-3*age").vector(COEF));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, Contrast.parse("c", "age - age").vector(COEF));
    }

    @Test
    void errorsNameTheContrastAndWhatIsWrong() {
        InputException unknown = assertThrows(InputException.class, () -> Contrast.parse("dvp", "drug - placebo").vector(COEF));
        assertTrue(unknown.getMessage().startsWith("contrast.dvp = drug - placebo: 'drug' is not a fixed-effect coefficient")
                && unknown.getMessage().contains("treatmentdrug"), unknown.getMessage());
        InputException empty = assertThrows(InputException.class, () -> Contrast.parse("e", "  "));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        InputException dangling = assertThrows(InputException.class, () -> Contrast.parse("d", "age -"));
        assertTrue(dangling.getMessage().contains("missing at the end"), dangling.getMessage());
        InputException quote = assertThrows(InputException.class, () -> Contrast.parse("q", "`dose-high - age"));
        assertTrue(quote.getMessage().contains("not closed"), quote.getMessage());
        InputException star = assertThrows(InputException.class, () -> Contrast.parse("s", "2 age"));
        assertTrue(star.getMessage().contains("expected '*'"), star.getMessage());
    }
}
