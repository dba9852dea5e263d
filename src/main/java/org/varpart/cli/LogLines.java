package org.varpart.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * The job's log (its progress lines, notes and warnings) as lines on an slf4j logger, so that a
 * cluster's logging settings place and filter them: a line that is a warning at WARN, any other at
 * INFO. The job itself writes to a {@link PrintStream} (tests read it as text); this is the stream
 * the command line gives it.
 */
final class LogLines extends OutputStream {
    private final Logger log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogLines(Logger log) {
        this.log = log;
    }

    /** A print stream whose every line goes to {@code log}. */
    static PrintStream to(Logger log) {
        return new PrintStream(new LogLines(log), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') emit();
        else line.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    @Override
    public synchronized void flush() {
        // a line is logged when it ends; a partial line waits for its end (or close)
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) emit();
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) return;
        if (s.contains("warning:")) log.warn(s);
        else log.info(s);
    }
}
