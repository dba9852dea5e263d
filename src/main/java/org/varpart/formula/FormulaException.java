package org.varpart.formula;

/**
 * A formula that cannot be used. The message shows the formula with a caret under the position
 * of the problem, when there is one.
 */
public class FormulaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FormulaException(String message) {
        super(message);
    }

    /** A problem at character {@code pos} (0-based) of {@code formula}. */
    public static FormulaException at(String formula, int pos, String problem) {
        int p = Math.max(0, Math.min(pos, formula.length()));
        String caret = " ".repeat(p) + "^";
        return new FormulaException(problem + "\n  " + formula + "\n  " + caret);
    }
}
