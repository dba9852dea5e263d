package org.varpart.formula;

/**
 * A formula that cannot be used. The message shows the formula with a caret under the position
 * of the problem, when there is one.
 */
public class FormulaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String formula;
    private final int position;

    public FormulaException(String message) {
        this(message, message, null, -1);
    }

    private FormulaException(String message, String problem, String formula, int position) {
        super(message);
        this.problem = problem;
        this.formula = formula;
        this.position = position;
    }

    /** A problem at character {@code pos} (0-based) of {@code formula}. */
    public static FormulaException at(String formula, int pos, String problem) {
        int p = Math.max(0, Math.min(pos, formula.length()));
        String caret = " ".repeat(p) + "^";
        return new FormulaException(problem + "\n  " + formula + "\n  " + caret, problem, formula, p);
    }

    /**
     * The same problem shown in the text the user wrote, when the parsed formula was that text
     * with {@code prefix} put in front (the Spark job parses {@code feature ~ ...} for a
     * right-hand side {@code ~ ...}).
     */
    public FormulaException withoutPrefix(String prefix) {
        if (formula == null || !formula.startsWith(prefix)) return this;
        return at(formula.substring(prefix.length()), position - prefix.length(), problem);
    }
}
