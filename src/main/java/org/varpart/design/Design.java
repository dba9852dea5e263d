package org.varpart.design;

import java.util.List;

/**
 * A model on data: the response y, the fixed-effects matrix X (with column names and the term
 * each column belongs to) and the random-effects terms, all over the complete observations.
 * Random-effects terms are ordered by decreasing number of levels, as lme4 orders them.
 */
public final class Design implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String formula;
    private final String response;
    private final double[] y;
    private final double[] x;
    private final int p;
    private final String[] xNames;
    private final int[] assign;
    private final List<String> fixedTerms;
    private final List<ReTerm> terms;
    private final int[] rows;
    private final int dropped;
    private final List<String> messages;
    private final List<double[][]> typeThree;

    /**
     * @param x the fixed-effects matrix, column-major (n × p)
     * @param assign for each column of X, the index into {@code fixedTerms} of its term
     * @param fixedTerms the fixed terms' labels, {@code (Intercept)} first when present
     * @param rows for each observation, its row in the data table (0-based)
     * @param dropped the number of table rows dropped for a missing value
     * @param messages notes made while building (columns dropped for rank deficiency, ...)
     */
    public Design(String formula, String response, double[] y, double[] x, String[] xNames, int[] assign,
                  List<String> fixedTerms, List<ReTerm> terms, int[] rows, int dropped, List<String> messages) {
        this.formula = formula;
        this.response = response;
        this.y = y;
        this.x = x;
        this.p = xNames.length;
        this.xNames = xNames;
        this.assign = assign;
        this.fixedTerms = List.copyOf(fixedTerms);
        this.terms = List.copyOf(terms);
        this.rows = rows;
        this.dropped = dropped;
        this.messages = List.copyOf(messages);
        this.typeThree = null;
        if (x.length != (long) y.length * p) throw new IllegalArgumentException("X has the wrong size");
    }

    public String formula() {
        return formula;
    }

    public String response() {
        return response;
    }

    /** Number of observations n. */
    public int n() {
        return y.length;
    }

    /** Number of fixed-effects columns p. */
    public int p() {
        return p;
    }

    public double[] y() {
        return y;
    }

    /** X, column-major. */
    public double[] x() {
        return x;
    }

    public double x(int i, int j) {
        return x[j * y.length + i];
    }

    public String xName(int j) {
        return xNames[j];
    }

    public String[] xNames() {
        return xNames.clone();
    }

    /** Index into {@link #fixedTerms()} of column j's term. */
    public int assign(int j) {
        return assign[j];
    }

    public List<String> fixedTerms() {
        return fixedTerms;
    }

    public List<ReTerm> terms() {
        return terms;
    }

    /** Data-table row of observation i. */
    public int row(int i) {
        return rows[i];
    }

    public int[] rows() {
        return rows.clone();
    }

    public int dropped() {
        return dropped;
    }

    public List<String> messages() {
        return messages;
    }

    private Design(Design d, List<ReTerm> terms, String response, double[] y, List<double[][]> typeThree) {
        this.formula = d.formula;
        this.response = response;
        this.y = y;
        this.x = d.x;
        this.p = d.p;
        this.xNames = d.xNames;
        this.assign = d.assign;
        this.fixedTerms = d.fixedTerms;
        this.terms = List.copyOf(terms);
        this.rows = d.rows;
        this.dropped = d.dropped;
        this.messages = d.messages;
        this.typeThree = typeThree == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(typeThree));
    }

    /**
     * The type III contrast matrix (q × p) of fixed term t ({@link TypeThree}), or null when the
     * design was built without them or t is the intercept.
     */
    public double[][] typeThree(int t) {
        return typeThree == null ? null : typeThree.get(t);
    }

    /** The same design with the type III contrasts of its fixed terms (one entry per term). */
    public Design withTypeThree(List<double[][]> contrasts) {
        if (contrasts.size() != fixedTerms.size()) throw new IllegalArgumentException("one contrast per fixed term expected");
        return new Design(this, terms, response, y, contrasts);
    }

    /** The same design with other random-effects terms (re-ordered by decreasing number of levels). */
    public Design withTerms(List<ReTerm> newTerms) {
        List<ReTerm> sorted = new java.util.ArrayList<>(newTerms);
        sorted.sort(java.util.Comparator.comparingInt(ReTerm::levels).reversed());
        return new Design(this, sorted, response, y, typeThree);
    }

    /** The same design with another response over the same observations. */
    public Design withResponse(String name, double[] newY) {
        if (newY.length != y.length) throw new IllegalArgumentException("response length " + newY.length + " != " + y.length);
        return new Design(this, terms, name, newY, typeThree);
    }
}
