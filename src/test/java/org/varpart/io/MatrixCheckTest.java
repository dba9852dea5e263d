package org.varpart.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.InputException;

/**
 * The driver's byte-level pass over a delimited assay gives what the text path gives, line for
 * line: the same features, the same count of values present per feature, the same digest, and on
 * a bad line the same message.
 */
class MatrixCheckTest {
    @TempDir
    Path dir;

    private static final String[] GOOD = {"1", "-2.5", "+0.25", ".5", "1.", "1e-3", "2.5E+07", "NA", "NaN", "", " 3 ", "Inf", "-inf",
        "007", "1.0000000000000000000001", "\"2\"", "1e400"};

    /** Random files whose cells mix every kind of accepted text: both paths agree on everything they report. */
    @Test
    void theBytePathAgreesWithTheTextPath() throws IOException {
        Random rnd = new Random(11);
        for (int file = 0; file < 40; file++) {
            char delim = file % 2 == 0 ? '\t' : ',';
            int samples = 1 + rnd.nextInt(6);
            StringBuilder sb = new StringBuilder("feature");
            for (int j = 0; j < samples; j++) sb.append(delim).append("S").append(j);
            sb.append(file % 3 == 0 ? "\r\n" : "\n");
            for (int i = 0; i < 60; i++) {
                if (rnd.nextInt(30) == 0) sb.append(rnd.nextBoolean() ? "" : "  ").append('\n');
                sb.append(switch (rnd.nextInt(8)) {
                    case 0 -> "\"g," + i + "\"";
                    case 1 -> " g" + i;
                    case 2 -> "gène" + i;
                    default -> "g" + i;
                });
                for (int j = 0; j < samples; j++) {
                    String cell = GOOD[rnd.nextInt(GOOD.length)];
                    sb.append(delim).append(rnd.nextInt(3) == 0 ? cell : Double.toString(rnd.nextGaussian() * 100));
                }
                if (i < 59 || file % 4 != 0) sb.append(file % 3 == 0 ? "\r\n" : "\n");
            }
            Path f = dir.resolve("m" + file + (delim == ',' ? ".csv" : ".tsv"));
            Files.writeString(f, sb.toString());
            DelimitedMatrix.Checked fast = MatrixCheck.check(new Configuration(), f.toString(), delim, false);
            DelimitedMatrix.Checked text = MatrixCheck.check(new Configuration(), f.toString(), delim, true);
            assertEquals(text.features(), fast.features(), f.toString());
            assertEquals(text.digest(), fast.digest(), f.toString());
            assertArrayEquals(text.observed(), fast.observed(), f.toString());
            assertEquals(text.samples(), fast.samples());
        }
    }

    /** Each bad line stops both paths with the same message. */
    @Test
    void aBadLineGivesTheTextPathsMessage() throws IOException {
        List<String> bad = List.of("g2\t1\tx", "g2\t1", "g2\t1\t2\t3", "g1\t1\t2", "\t1\t2", "feature\tA\tB", "g2\t1\t1e", "g2\t+\t2",
                "g2\t1\t0x10", "g2\t1\tNAN", "g2\tNA\tNaNa", "g2\t1\t2\r3");
        for (String line : bad) {
            Path f = dir.resolve("bad.tsv");
            Files.writeString(f, "feature\tA\tB\ng1\t1\t2\n" + line + "\n");
            InputException fast = assertThrows(InputException.class, () -> MatrixCheck.check(new Configuration(), f.toString(), '\t', false), line);
            InputException text = assertThrows(InputException.class, () -> MatrixCheck.check(new Configuration(), f.toString(), '\t', true), line);
            assertEquals(text.getMessage(), fast.getMessage(), line);
        }
    }

    /** Lines are cut as the string reader cuts them, whatever the read sizes; the hash of ASCII bytes is the string's. */
    @Test
    void linesAndHashesAsTheStringReader() throws IOException {
        String text = "a\r\n\nbb\n" + "x".repeat(200_000) + "\nlast";
        ByteLines lines = new ByteLines("t", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        List<String> got = new ArrayList<>();
        while (lines.next()) {
            got.add(lines.text());
            assertEquals(lines.text().hashCode(), ByteLines.hash(lines.buf(), lines.start(), lines.end()));
        }
        assertEquals(List.of("a", "", "bb", "x".repeat(200_000), "last"), got);
        ByteLines tooLong = new ByteLines("t", new ByteArrayInputStream(("h\n" + "é".repeat(60)).getBytes(StandardCharsets.UTF_8)), 100);
        tooLong.next();
        assertEquals(true, tooLong.next()); // 120 bytes, 60 characters
        ByteLines refused = new ByteLines("t", new ByteArrayInputStream(("h\n" + "y".repeat(101)).getBytes(StandardCharsets.UTF_8)), 100);
        refused.next();
        assertEquals("t line 2: longer than 100 characters; is this really a delimited text file?",
                assertThrows(InputException.class, refused::next).getMessage());
    }
}
