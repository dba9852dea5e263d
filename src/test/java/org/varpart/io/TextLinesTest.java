package org.varpart.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A data line parsed from its bytes on an executor is the feature the text path makes of it: the
 * same ID, the same problem, and values equal bit for bit (Double.parseDouble's), on random lines
 * that mix plain decimals, exponents, missing-value tokens, blanks, quotes and wrong field counts.
 */
class TextLinesTest {
    private static final String[] CELLS = {"NA", "NaN", "", " 3 ", "Inf", "-inf", "1e-3", "2.5E+07", "\"4\"", "x", "+", "1.", ".5",
        "-0", "12345678901234567890", "0.1000000000000000000000001"};

    @Test
    void theBytePathParsesAsTheTextPath() {
        Random rnd = new Random(5);
        int fast = 0;
        for (int k = 0; k < 20_000; k++) {
            char delim = k % 2 == 0 ? '\t' : ',';
            int width = 2 + rnd.nextInt(5);
            StringBuilder sb = new StringBuilder(switch (rnd.nextInt(10)) {
                case 0 -> "\"q" + delim + k + "\"";
                case 1 -> " s" + k;
                case 2 -> "ü" + k;
                default -> "f" + k;
            });
            int fields = rnd.nextInt(20) == 0 ? width + rnd.nextInt(3) - 1 : width;
            for (int j = 1; j < fields; j++) {
                sb.append(delim);
                sb.append(rnd.nextInt(4) == 0 ? CELLS[rnd.nextInt(CELLS.length)]
                        : String.format(java.util.Locale.ROOT, "%." + rnd.nextInt(12) + "f", rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 3)));
            }
            String line = sb.toString();
            TextLines parser = new TextLines(delim, width, "t.tsv");
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            FeatureRow text = DelimitedMatrix.parseLine(line, delim, width, "t.tsv");
            FeatureRow got = parser.parse(bytes);
            assertEquals(text.id(), got.id(), line);
            assertEquals(text.id(), parser.id(bytes), line);
            assertEquals(text.problem(), got.problem(), line);
            if (text.values() != null) {
                long[] a = java.util.Arrays.stream(text.values()).mapToLong(Double::doubleToRawLongBits).toArray();
                long[] b = java.util.Arrays.stream(got.values()).mapToLong(Double::doubleToRawLongBits).toArray();
                assertArrayEquals(a, b, line);
                fast++;
            }
        }
        assertTrue(fast > 10_000, fast + " lines read");
    }

    @Test
    void blankAsTheStringSaysIt() {
        for (String s : new String[] {"", " ", "\t \u000B", "\u2003 ", " a", "\u00A0", "x"}) {
            assertEquals(s.isBlank(), TextLines.blank(s.getBytes(StandardCharsets.UTF_8)), "'" + s + "'");
        }
    }
}
