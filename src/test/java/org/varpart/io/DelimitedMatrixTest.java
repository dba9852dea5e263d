package org.varpart.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
