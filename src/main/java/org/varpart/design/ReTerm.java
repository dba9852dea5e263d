package org.varpart.design;

/**
 * One random-effects term on the observations of a design: the grouping factor (each
 * observation's level) and the per-observation model-matrix row of the term's columns. With c
 * columns and g levels the term has q = g·c coefficients, ordered level by level (all columns of
 * level 1, then of level 2, ...), as lme4 orders them; its relative covariance factor T is
 * c × c lower triangular, and Λ holds g copies of it.
 */
public final class ReTerm implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String group;
    private final String[] columnNames;
    private final String[] levels;
    private final int[] codes;
    private final double[] z;

    /**
     * @param group the grouping factor's name, e.g. {@code Subject} or {@code cask:batch}
     * @param columnNames the term's columns, e.g. {@code (Intercept)}, {@code Days}
     * @param levels the level names
     * @param codes each observation's level (0-based)
     * @param z the term's model matrix, row-major: observation i, column a at {@code z[i*c + a]}
     */
    public ReTerm(String group, String[] columnNames, String[] levels, int[] codes, double[] z) {
        if (z.length != codes.length * columnNames.length) throw new IllegalArgumentException("z has the wrong length");
        this.group = group;
        this.columnNames = columnNames.clone();
        this.levels = levels.clone();
        this.codes = codes;
        this.z = z;
    }

    public String group() {
        return group;
    }

    /**
     * The index of the term of {@code from} that this one keeps some columns of (the same grouping
     * factor and levels, a subset of its columns: a reduced model's term), or -1 if none.
     */
    public int sourceIn(java.util.List<ReTerm> from) {
        for (int i = 0; i < from.size(); i++) {
            ReTerm f = from.get(i);
            if (f.group().equals(group()) && f.levels() == levels()
                    && java.util.Arrays.asList(f.columnNames()).containsAll(java.util.Arrays.asList(columnNames()))) return i;
        }
        return -1;
    }

    public String[] columnNames() {
        return columnNames.clone();
    }

    public String columnName(int a) {
        return columnNames[a];
    }

    /** Number of columns c. */
    public int columns() {
        return columnNames.length;
    }

    /** Number of levels g. */
    public int levels() {
        return levels.length;
    }

    public String level(int l) {
        return levels[l];
    }

    /** Number of coefficients q = g·c. */
    public int q() {
        return levels.length * columnNames.length;
    }

    /** Number of covariance parameters θ: c(c+1)/2. */
    public int nTheta() {
        int c = columns();
        return c * (c + 1) / 2;
    }

    /** Level of observation i. */
    public int code(int i) {
        return codes[i];
    }

    /** Model-matrix entry of observation i, column a. */
    public double z(int i, int a) {
        return z[i * columnNames.length + a];
    }

    /** Number of observations. */
    public int n() {
        return codes.length;
    }

    /** The same grouping with only the given columns (used to build reduced models). */
    public ReTerm keepColumns(int[] keep) {
        int c = columns(), k = keep.length, n = n();
        String[] names = new String[k];
        double[] zz = new double[n * k];
        for (int j = 0; j < k; j++) {
            names[j] = columnNames[keep[j]];
            for (int i = 0; i < n; i++) zz[i * k + j] = z[i * c + keep[j]];
        }
        return new ReTerm(group, names, levels, codes, zz);
    }

    /** Whether the term has one column whose every entry is 1 (a random intercept). */
    public boolean isScalarIntercept() {
        if (columns() != 1) return false;
        for (double v : z) if (v != 1.0) return false;
        return true;
    }
}
