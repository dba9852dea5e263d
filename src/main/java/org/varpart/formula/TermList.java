package org.varpart.formula;

import java.util.List;

/**
 * The terms of a model matrix: an optional intercept and a list of terms, ordered as R's
 * {@code terms.formula} orders them (main effects, then two-way interactions, and so on; in
 * order of appearance within each order).
 */
public record TermList(boolean intercept, List<Term> terms) implements java.io.Serializable {

    /** Number of terms, not counting the intercept. */
    public int size() {
        return terms.size();
    }
}
