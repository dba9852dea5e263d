package org.varpart.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV assay whose feature IDs are quoted with commas inside, as R's write.csv writes them, is read as the driver checks it and as the executors parse it. */
class DelimitedMatrixTest {
    @TempDir
    Path dir;

    @Test
    void aQuotedFeatureIdMayHoldTheDelimiter() throws IOException {
        Path csv = dir.resolve("quoted.csv");
        Files.write(csv, List.of("\"feature\",\"S1\",\"S2\",\"S3\"", "\"HLA-A,1\",1.5,2.5,NA", "\"say \"\"hi\"\"\",3,4,5", "plain,6,7,8"));
        DelimitedMatrix.Checked checked = DelimitedMatrix.check(new Configuration(), csv.toString(), ',');
        assertEquals(List.of("S1", "S2", "S3"), checked.samples());
        assertEquals(3, checked.features());
        FeatureRow quoted = DelimitedMatrix.parseLine("\"HLA-A,1\",1.5,2.5,NA", ',', 4, csv.toString());
        assertEquals("HLA-A,1", quoted.id());
        assertNull(quoted.problem());
        assertArrayEquals(new double[] {1.5, 2.5, Double.NaN}, quoted.values());
        assertEquals("say \"hi\"", DelimitedMatrix.id("\"say \"\"hi\"\"\",3,4,5", ','));
        assertEquals("plain", DelimitedMatrix.id("plain,6,7,8", ','));
        assertEquals("tab\tsep", DelimitedMatrix.id("\"tab\tsep\"\t1\t2", '\t'));
    }

    /**
     * The short path for plain decimals gives bit for bit what Double.parseDouble gives, on random
     * values printed as the usual writers print them (%.Nf, R's 15 significant digits, Java's
     * shortest repr) and on edge cases; text it does not take is left to the general path.
     */
    @Test
    void plainDecimalsParseBitForBitAsParseDouble() {
        java.util.Random rnd = new java.util.Random(7);
        List<String> texts = new java.util.ArrayList<>(List.of("0", "-0", "+0", "-0.0", "1.", ".5", "+.25", "007.50", "9007199254740991",
                "900719925474099.1", "0.1", "0.3", "123456789012345.6", "1.0000000000000000000001", "4.35", "-2.675"));
        for (int k = 0; k < 40_000; k++) {
            double v = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6);
            texts.add(switch (k % 4) {
                case 0 -> String.format(java.util.Locale.ROOT, "%.5f", v);
                case 1 -> String.format(java.util.Locale.ROOT, "%." + rnd.nextInt(23) + "f", v);
                case 2 -> new java.math.BigDecimal(v).round(new java.math.MathContext(15)).toPlainString();
                default -> Double.toString(v).contains("E") ? "1.5" : Double.toString(v);
            });
        }
        int fast = 0;
        for (String t : texts) {
            double p = DelimitedMatrix.plainDecimal("x\t" + t + "\t", 2, 2 + t.length());
            if (Double.isNaN(p)) continue;
            fast++;
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(t)), Double.doubleToRawLongBits(p), t);
        }
        assertTrue(fast > texts.size() * 0.6, fast + " of " + texts.size() + " on the short path");
        for (String t : List.of("", "-", ".", "1e5", " 1", "1 ", "\"1\"", "NA", "Inf", "1.2.3", "0x10", "1d", "12345678901234567890")) {
            assertTrue(Double.isNaN(DelimitedMatrix.plainDecimal(t, 0, t.length())), t);
        }
        FeatureRow row = DelimitedMatrix.parseLine("f\t1.25\t 2 \tNA\t1e-3\t-0.5", '\t', 6, "t.tsv");
        assertArrayEquals(new double[] {1.25, 2, Double.NaN, 1e-3, -0.5}, row.values());
    }
}
