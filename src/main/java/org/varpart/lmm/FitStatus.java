package org.varpart.lmm;

import java.util.Locale;

/** The outcome of one fit; every fit has exactly one. */
public enum FitStatus {
    /** Converged, no variance on the boundary. */
    OK,
    /** Converged with a variance component at (or next to) zero; estimates are still reported. */
    SINGULAR,
    /** The optimiser stopped without meeting the convergence check; estimates are reported. */
    NOT_CONVERGED,
    /** The response does not vary: there is no variance to partition. */
    SKIPPED_CONSTANT,
    /** Too few observations for the model (after dropping missing values). */
    SKIPPED_TOO_FEW,
    /** A numerical or input problem stopped the fit; the message says which. */
    FAILED;

    /** The name used in output tables: {@code ok}, {@code singular}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether estimates exist for this status. */
    public boolean hasEstimates() {
        return this == OK || this == SINGULAR || this == NOT_CONVERGED;
    }
}
