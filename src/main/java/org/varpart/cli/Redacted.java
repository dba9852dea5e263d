package org.varpart.cli;

import org.varpart.job.Redaction;

/**
 * A copy of an exception, and of its causes, whose messages are redacted (see {@link Redaction})
 * and whose stack traces are the original's: what an unexpected error logs, so that its stack trace
 * reaches the driver's log without the credentials a message may quote.
 */
final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String original;

    private Redacted(Throwable t, Throwable cause) {
        super(Redaction.text(t.getMessage()), cause, false, true);
        this.original = t.getClass().getName();
        setStackTrace(t.getStackTrace());
    }

    /** The redacted copy of {@code t} and its causes (a cycle ends the chain). */
    static Redacted of(Throwable t) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) chain.add(c);
        Redacted r = null;
        for (int i = chain.size() - 1; i >= 0; i--) r = new Redacted(chain.get(i), r);
        return r;
    }

    /** Printed as the original exception's class and the redacted message. */
    @Override
    public String toString() {
        String m = getMessage();
        return m == null ? original : original + ": " + m;
    }
}
