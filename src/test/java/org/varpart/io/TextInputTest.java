package org.varpart.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.varpart.InputException;

/** Text inputs pass through unchanged when they are UTF-8, and stop with the line and column where they are not. */
class TextInputTest {

    static byte[] readAll(byte[] bytes, int chunk) throws IOException {
        InputStream in = TextInput.utf8("t.tsv", new ByteArrayInputStream(bytes), '\t');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        int n;
        while ((n = in.read(buf, 0, chunk)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    @Test
    void validUtf8PassesUnchangedWhateverTheReadSize() throws IOException {
        byte[] text = "\uFEFFsample\tlab\nS1\tKöln\nS2\tKüln\nS3\t東京\nS4\t\uD83E\uDDEC\n".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= 9; chunk++) assertArrayEquals(text, readAll(text, chunk), "chunks of " + chunk);
    }

    @Test
    void invalidSequencesAreRefusedWithTheirLineAndColumn() {
        byte[][] bad = {
            {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xF6, 'l', 'n', '\n'}, // Latin-1 ö
            {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xC0, (byte) 0x80, '\n'}, // overlong NUL
            {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}, // a UTF-16 surrogate
            {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xE2, (byte) 0x82}, // cut inside a character
        };
        for (byte[] b : bad) {
            for (int chunk : new int[] {1, 3, 64}) {
                InputException e = assertThrows(InputException.class, () -> readAll(b, chunk));
                assertTrue(e.getMessage().startsWith("t.tsv line 2, column 2: the byte 0x"), e.getMessage());
                assertTrue(e.getMessage().contains("iconv -f latin1 -t utf8"), e.getMessage());
            }
        }
    }
}
