package org.varpart.design;

/**
 * A model variable evaluated on every row of a table: numeric columns (one, or several for a
 * spline basis) or a factor. Missing entries are NaN (numeric) or code -1 (factor).
 */
public sealed interface Variable {

    /** Whether row i is missing. */
    boolean missing(int i);

    /**
     * Numeric columns; {@code suffixes} name the columns after the variable's label (null for a
     * single column, {@code "1","2",...} for {@code ns()}).
     */
    record Numeric(String label, double[][] columns, String[] suffixes) implements Variable {
        public boolean missing(int i) {
            for (double[] c : columns) if (Double.isNaN(c[i])) return true;
            return false;
        }

        public int width() {
            return columns.length;
        }

        public String columnName(int j) {
            return suffixes == null ? label : label + suffixes[j];
        }
    }

    /**
     * A factor over the rows; {@code values} hold each row's level text (null when missing) and
     * {@code numericOrder} says whether levels sort as numbers (true when the column is numeric).
     */
    record Factor(String label, String[] values, boolean numericOrder) implements Variable {
        public boolean missing(int i) {
            return values[i] == null;
        }
    }
}
